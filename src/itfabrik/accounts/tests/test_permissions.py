"""Permission matrix of the accounts app: role assignments, /me/, the token endpoint and /konto/."""

from __future__ import annotations

from typing import Any

import pytest

from itfabrik.accounts.models import RoleAssignment, User
from itfabrik.core.tests import (
    ADMIN,
    AGENT,
    ANON,
    FINANCE,
    ORDERER,
    OTHER,
    SAME,
    actor_params,
    assert_error,
    assert_login_redirect,
    assert_unchanged,
    db_state,
    ensure_same_unit_user,
)
from itfabrik.demo.dalsland import DEMO_PASSWORD

# accounts.view_user: agents and admins see the assignments below their node; the others none.
ASSIGNMENTS_VISIBLE = {ANON: 401, OTHER: False, SAME: False, ORDERER: False, AGENT: True,
                       FINANCE: False, ADMIN: True}  # fmt: skip


@pytest.mark.parametrize(("actor", "expected"), actor_params(ASSIGNMENTS_VISIBLE))
def test_api_role_assignment_list(api_as: Any, demo: Any, actor: str | None, expected: Any) -> None:
    ensure_same_unit_user(demo)
    r = api_as(actor).get("/api/v1/role-assignments/", {"page_size": 200})
    if expected == 401:
        assert_error(r, 401, "not_authenticated")
        return
    assert r.status_code == 200
    ids = {row["id"] for row in r.json()["results"]}
    if expected:
        assert ids == set(RoleAssignment.objects.values_list("pk", flat=True))
    else:
        assert ids == set()


@pytest.mark.parametrize(("actor", "expected"), actor_params({a: 200 for a in
                         (OTHER, SAME, ORDERER, AGENT, FINANCE, ADMIN)} | {ANON: 401}))  # fmt: skip
def test_api_me(api_as: Any, demo: Any, actor: str | None, expected: int) -> None:
    ensure_same_unit_user(demo)
    r = api_as(actor).get("/api/v1/me/")
    if expected == 401:
        assert_error(r, 401, "not_authenticated")
        return
    assert r.status_code == 200
    body = r.json()
    assert body["username"] == actor
    # Only one's own assignments, never anyone else's.
    mine = set(RoleAssignment.objects.filter(user__username=actor).values_list("pk", flat=True))
    assert {a["id"] for a in body["assignments"]} == mine
    assert mine


@pytest.mark.parametrize("actor", [OTHER, SAME, ORDERER, AGENT, FINANCE, ADMIN])
def test_api_token_with_right_password(api_as: Any, demo: Any, actor: str) -> None:
    ensure_same_unit_user(demo)
    r = api_as(None).post(
        "/api/v1/auth/token/", {"username": actor, "password": DEMO_PASSWORD}, format="json"
    )
    assert r.status_code == 200
    token = r.json()["token"]
    me = api_as(None)
    me.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert me.get("/api/v1/me/").json()["username"] == actor


@pytest.mark.parametrize("actor", [OTHER, SAME, ORDERER, AGENT, FINANCE, ADMIN])
def test_api_token_with_wrong_password_changes_nothing(api_as: Any, demo: Any, actor: str) -> None:
    ensure_same_unit_user(demo)
    before = db_state()
    r = api_as(None).post(
        "/api/v1/auth/token/", {"username": actor, "password": "fel-lösenord"}, format="json"
    )
    assert_error(r, 401, "not_authenticated")
    assert "token" not in r.json()
    assert_unchanged(before)


def test_api_token_for_unknown_user_looks_like_a_wrong_password(api_as: Any, demo: Any) -> None:
    client = api_as(None)
    unknown = client.post(
        "/api/v1/auth/token/", {"username": "finns-inte", "password": "x"}, format="json"
    )
    wrong = client.post(
        "/api/v1/auth/token/", {"username": "admin", "password": "x"}, format="json"
    )
    assert_error(unknown, 401, "not_authenticated")
    assert unknown.json() == wrong.json()


def test_api_token_of_inactive_user_is_refused(api_as: Any, demo: Any) -> None:
    User.objects.filter(username=AGENT).update(is_active=False)
    r = api_as(None).post(
        "/api/v1/auth/token/", {"username": AGENT, "password": DEMO_PASSWORD}, format="json"
    )
    assert_error(r, 401, "not_authenticated")


SIGNED_IN = (OTHER, SAME, ORDERER, AGENT, FINANCE, ADMIN)


@pytest.mark.parametrize(
    ("actor", "expected"), actor_params({a: 200 for a in SIGNED_IN} | {ANON: "login"})
)
def test_web_profile(web_as: Any, demo: Any, actor: str | None, expected: Any) -> None:
    ensure_same_unit_user(demo)
    r = web_as(actor).get("/konto/")
    if expected == "login":
        assert_login_redirect(r, "/konto/")
        return
    assert r.status_code == 200
    assert {a.user.username for a in r.context["assignments"]} == {actor}
