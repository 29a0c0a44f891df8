"""Permission matrix of the core app: the audit trail (API and web) and the start page."""

from __future__ import annotations

from typing import Any

import pytest

from itfabrik.core.models import AuditEntry
from itfabrik.core.tests import (
    ADMIN,
    AGENT,
    ANON,
    FINANCE,
    MELLERUD,
    MISSING_ID,
    ORDERER,
    OTHER,
    SAME,
    TARGET_UNIT,
    actor_params,
    assert_error,
    assert_login_redirect,
    ensure_same_unit_user,
    home_panel,
)

MUNICIPALITY_NAMES = ["Bengtsfors kommun", "Dals-Eds kommun", "Färgelanda kommun", MELLERUD,
                      "Åmåls kommun"]  # fmt: skip

# Only roles with core.view_audit see the trail; everyone else gets an empty list, not an error.
AUDIT_VISIBLE = {ANON: 401, OTHER: False, SAME: False, ORDERER: False, AGENT: False,
                 FINANCE: False, ADMIN: True}  # fmt: skip


@pytest.fixture
def unit_entry(demo: Any) -> AuditEntry:
    ensure_same_unit_user(demo)
    unit = demo.node(TARGET_UNIT, municipality=MELLERUD)
    return AuditEntry.objects.get(object_type="tenancy.orgnode", object_id=str(unit.pk))


@pytest.mark.parametrize(("actor", "expected"), actor_params(AUDIT_VISIBLE))
def test_api_audit_list(
    api_as: Any, demo: Any, unit_entry: AuditEntry, actor: str | None, expected: Any
) -> None:
    r = api_as(actor).get("/api/v1/audit/", {"page_size": 200})
    if expected == 401:
        assert_error(r, 401, "not_authenticated")
        return
    assert r.status_code == 200
    if expected:
        in_scope = AuditEntry.objects.filter(scope_path__startswith=demo.cooperation.root.path)
        assert r.json()["count"] == in_scope.count() > 0
    else:
        assert r.json() == {"count": 0, "next": None, "previous": None, "results": []}


@pytest.mark.parametrize(
    ("actor", "expected"), actor_params({**AUDIT_VISIBLE, **{a: 404 for a in (OTHER, SAME,
                                         ORDERER, AGENT, FINANCE)}, ADMIN: 200})
)  # fmt: skip
def test_api_audit_detail(
    api_as: Any, unit_entry: AuditEntry, actor: str | None, expected: Any
) -> None:
    client = api_as(actor)
    r = client.get(f"/api/v1/audit/{unit_entry.pk}/")
    if expected == 401:
        assert_error(r, 401, "not_authenticated")
        return
    if expected == 404:
        assert_error(r, 404, "not_found")
        assert r.json() == client.get(f"/api/v1/audit/{MISSING_ID}/").json()
        return
    assert r.status_code == 200
    assert r.json()["object_id"] == unit_entry.object_id
    assert r.json()["after"]["cost_centre"] == "1461-3100"


def test_api_audit_detail_non_numeric_id_is_404(api_as: Any, demo: Any) -> None:
    assert_error(api_as(ADMIN).get("/api/v1/audit/abc/"), 404, "not_found")


# --- web ----------------------------------------------------------------------------------------

ALL_200 = {ANON: "login", OTHER: 200, SAME: 200, ORDERER: 200, AGENT: 200, FINANCE: 200,
           ADMIN: 200}  # fmt: skip


@pytest.mark.parametrize(("actor", "expected"), actor_params(ALL_200))
def test_web_home(web_as: Any, demo: Any, actor: str | None, expected: Any) -> None:
    ensure_same_unit_user(demo)
    r = web_as(actor).get("/")
    if expected == "login":
        assert_login_redirect(r, "/")
        return
    assert r.status_code == 200
    intro = home_panel(r, "tenancy.intro")
    assert intro["cooperation"].pk == demo.cooperation.pk
    assert intro["member_count"] == 4
    # The audit box is shown only to those who may read the trail.
    assert (home_panel(r, "core.recent_changes") is not None) is (actor == ADMIN)
    # The unit summary is for orderers (their own municipality only), finance and admins.
    rows = (home_panel(r, "tenancy.unit_summary") or {}).get("rows", [])
    summary = {row["municipality__name"] for row in rows}
    expected_summary = {
        ORDERER: {MELLERUD},
        FINANCE: set(MUNICIPALITY_NAMES),
        ADMIN: set(MUNICIPALITY_NAMES),
    }.get(actor, set())
    assert summary == expected_summary


@pytest.mark.parametrize(
    ("actor", "expected"),
    actor_params({**ALL_200, **{a: 404 for a in (OTHER, SAME, ORDERER, AGENT, FINANCE)}}),
)
def test_web_audit_list(web_as: Any, demo: Any, actor: str | None, expected: Any) -> None:
    ensure_same_unit_user(demo)
    client = web_as(actor)
    r = client.get("/granskning/")
    if expected == "login":
        assert_login_redirect(r, "/granskning/")
        return
    if expected == 404:
        assert r.status_code == 404
        assert r.templates[0].name == "404.html"
        return
    assert r.status_code == 200
    in_scope = AuditEntry.objects.filter(scope_path__startswith=demo.cooperation.root.path)
    assert r.context["page"].paginator.count == in_scope.count() > 0
