"""Helpers shared by the permission matrices and API tests of every app.

The matrix actors are the ones ARCHITECTURE.md names: anonymous, a portal user of another
municipality, a portal user of the same unit, an orderer, an agent, a finance officer and an
admin. The demo has no plain portal user in Mellerud, so `ensure_same_unit_user()` adds one
(end user at Mellerud kommun, working at Mellerud's Hemtjänst norr) inside the test transaction.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.urls import reverse

ANON = None
OTHER = "anvandare-bengtsfors"  # portal user of another municipality (Bengtsfors)
SAME = "anvandare-mellerud"  # portal user of the same municipality and unit (Mellerud)
ORDERER = "bestallare-mellerud"
AGENT = "agent"
FINANCE = "ekonom"
ADMIN = "admin"
ACTORS = [ANON, OTHER, SAME, ORDERER, AGENT, FINANCE, ADMIN]
ACTOR_IDS = ["anonymous", "other-municipality", "same-unit", "orderer", "agent", "finance", "admin"]

# No table in the demo comes anywhere near this many rows.
MISSING_ID = 987654321

MELLERUD = "Mellerud kommun"
TARGET_UNIT = "Hemtjänst norr"  # in Mellerud's Socialförvaltningen
TARGET_ADMINISTRATION = "Socialförvaltningen"


def actor_params(expected: dict[str | None, Any]) -> list[Any]:
    """pytest parameters (actor, expected) for every matrix actor, with readable ids."""
    import pytest

    assert set(expected) == set(ACTORS), "a matrix must name every actor"
    return [
        pytest.param(actor, expected[actor], id=name)
        for actor, name in zip(ACTORS, ACTOR_IDS, strict=True)
    ]


def ensure_same_unit_user(demo: Any) -> Any:
    """The portal user of Mellerud's Hemtjänst norr (created once per test transaction)."""
    from itfabrik.accounts import services as account_services
    from itfabrik.accounts.choices import Role
    from itfabrik.accounts.models import User
    from itfabrik.core.actors import SYSTEM
    from itfabrik.demo.dalsland import DEMO_PASSWORD

    existing = User.objects.filter(username=SAME).first()
    if existing is not None:
        return existing
    user = account_services.user_create(
        actor=SYSTEM,
        username=SAME,
        password=DEMO_PASSWORD,
        first_name="Mia",
        last_name="Mellerud",
        home_unit=demo.node(TARGET_UNIT, municipality=MELLERUD),
        check_password_strength=False,
    )
    account_services.role_assign(
        actor=SYSTEM, user=user, role=Role.END_USER, node=demo.node(MELLERUD)
    )
    return user


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    """The response is the one API error format with this status and code; returns the error."""
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}, body
    error = body["error"]
    assert set(error) == {"code", "message", "messages", "fields"}, error
    assert error["code"] == code, error
    assert isinstance(error["message"], str)
    assert error["message"]
    assert set(error["messages"]) == {"sv", "en"}, error
    assert all(isinstance(m, str) and m for m in error["messages"].values()), error
    assert isinstance(error["fields"], dict)
    return error  # type: ignore[no-any-return]


def db_state() -> dict[str, Any]:
    """Every business row the tenancy, accounts and core apps hold, to compare before/after."""
    from rest_framework.authtoken.models import Token

    from itfabrik.accounts.models import RoleAssignment, User
    from itfabrik.core.models import AuditEntry
    from itfabrik.tenancy.models import Cooperation, InhabitantCount, Membership, OrgNode, Position

    def rows(model: Any) -> list[dict[str, Any]]:
        return list(model.objects.order_by("pk").values())

    return {
        "nodes": rows(OrgNode),
        "cooperations": rows(Cooperation),
        "memberships": rows(Membership),
        "positions": rows(Position),
        "inhabitants": rows(InhabitantCount),
        "assignments": rows(RoleAssignment),
        "users": list(User.objects.order_by("pk").values("pk", "username", "home_unit_id")),
        "tokens": Token.objects.count(),
        "audit_count": AuditEntry.objects.count(),
        "audit_last": AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first(),
    }


def assert_unchanged(before: dict[str, Any]) -> None:
    after = db_state()
    for key in before:
        assert after[key] == before[key], f"a refused write changed {key}"


def login_redirect(url: str) -> str:
    return f"{reverse('accounts:login')}?next={quote(url)}"


def assert_login_redirect(response: Any, url: str) -> None:
    assert response.status_code == 302, response.status_code
    assert response["Location"] == login_redirect(url)


def page_without_noise(response: Any) -> str:
    """The page with what differs per request removed: CSRF tokens and its own address."""
    import re

    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    return html.replace(response.wsgi_request.get_full_path(), "")
