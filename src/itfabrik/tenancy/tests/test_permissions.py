"""Permission matrix of the tenancy app: every endpoint × every actor.

Targets are Mellerud objects: the unit Hemtjänst norr and its administration Socialförvaltningen,
and Mellerud's membership. Bengtsfors' portal user is the "other municipality"; a Mellerud portal
user working at Hemtjänst norr is the "same unit". An object outside the actor's scope answers
404 exactly like an id that does not exist; a visible object the actor may not change answers 403
(API) or 404 (web edit pages). Every refused write is checked to have changed nothing.
"""

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
    TARGET_ADMINISTRATION,
    TARGET_UNIT,
    actor_params,
    assert_error,
    assert_login_redirect,
    assert_unchanged,
    db_state,
    ensure_same_unit_user,
    page_without_noise,
)
from itfabrik.tenancy.models import Membership, OrgNode

ALL_200 = {ANON: 401, OTHER: 200, SAME: 200, ORDERER: 200, AGENT: 200, FINANCE: 200, ADMIN: 200}
SCOPED_READ = {**ALL_200, OTHER: 404}
ADMIN_ONLY_WRITE = {ANON: 401, OTHER: 404, SAME: 403, ORDERER: 403, AGENT: 403, FINANCE: 403}
MEMBERSHIP_WRITE = {ANON: 401, OTHER: 403, SAME: 403, ORDERER: 403, AGENT: 403, FINANCE: 403}
ERROR_CODES = {401: "not_authenticated", 403: "forbidden", 404: "not_found"}


@pytest.fixture
def target(demo: Any) -> Any:
    ensure_same_unit_user(demo)

    class Target:
        unit = demo.node(TARGET_UNIT, municipality=MELLERUD)
        administration = demo.node(TARGET_ADMINISTRATION, municipality=MELLERUD)
        municipality = demo.node(MELLERUD)
        membership = Membership.objects.get(municipality__name=MELLERUD)
        dals_ed = demo.node("Dals-Eds kommun")
        bengtsfors_unit = demo.node(TARGET_UNIT, municipality="Bengtsfors kommun")
        cooperation = demo.cooperation

    return Target()


def _check_refusal(
    client: Any,
    response: Any,
    expected: int,
    missing_url: str,
    method: str,
    data: dict[str, Any] | None = None,
) -> None:
    """A refusal is in the error format; a 404 is byte-identical to that of a missing id."""
    assert_error(response, expected, ERROR_CODES[expected])
    if expected == 404:
        ghost = getattr(client, method)(missing_url, data or {}, format="json")
        assert ghost.status_code == 404
        assert response.json() == ghost.json()


# --- /api/v1/organisations/ -------------------------------------------------------------------


@pytest.mark.parametrize(("actor", "expected"), actor_params(ALL_200))
def test_api_organisation_list(api_as: Any, target: Any, actor: str | None, expected: int) -> None:
    r = api_as(actor).get("/api/v1/organisations/", {"q": TARGET_UNIT, "page_size": 200})
    if expected != 200:
        return _check_refusal(api_as(actor), r, expected, "", "get")
    assert r.status_code == 200
    ids = {row["id"] for row in r.json()["results"]}
    # Only the other municipality's user lacks the Mellerud unit; it sees its own one.
    assert (target.unit.pk in ids) is (actor != OTHER)
    if actor in (OTHER,):
        assert target.bengtsfors_unit.pk in ids
    if actor in (SAME, ORDERER):
        assert target.bengtsfors_unit.pk not in ids


@pytest.mark.parametrize(("actor", "expected"), actor_params(SCOPED_READ))
def test_api_organisation_detail(
    api_as: Any, target: Any, actor: str | None, expected: int
) -> None:
    client = api_as(actor)
    r = client.get(f"/api/v1/organisations/{target.unit.pk}/")
    if expected != 200:
        return _check_refusal(client, r, expected, f"/api/v1/organisations/{MISSING_ID}/", "get")
    assert r.status_code == 200
    assert r.json()["id"] == target.unit.pk
    assert r.json()["cost_centre"] == "1461-3100"


@pytest.mark.parametrize("actor", [SAME, ORDERER])
def test_api_mellerud_staff_do_not_see_bengtsfors_units(
    api_as: Any, target: Any, actor: str
) -> None:
    client = api_as(actor)
    r = client.get(f"/api/v1/organisations/{target.bengtsfors_unit.pk}/")
    _check_refusal(client, r, 404, f"/api/v1/organisations/{MISSING_ID}/", "get")


@pytest.mark.parametrize(("actor", "expected"), actor_params({**ADMIN_ONLY_WRITE, ADMIN: 201}))
def test_api_organisation_create(
    api_as: Any, target: Any, actor: str | None, expected: int
) -> None:
    client = api_as(actor)
    data = {
        "parent": target.administration.pk,
        "kind": "unit",
        "name": "Nattpatrullen",
        "cost_centre": "1461-3990",
    }
    before = db_state()
    audits_before = AuditEntry.objects.count()
    r = client.post("/api/v1/organisations/", data, format="json")
    if expected != 201:
        _check_refusal(
            client, r, expected, "/api/v1/organisations/", "post", {**data, "parent": MISSING_ID}
        )
        assert_unchanged(before)
        return
    assert r.status_code == 201
    node = OrgNode.objects.get(pk=r.json()["id"])
    assert (node.name, node.parent_id, node.municipality_id) == (
        "Nattpatrullen",
        target.administration.pk,
        target.municipality.pk,
    )
    assert AuditEntry.objects.count() == audits_before + 1


@pytest.mark.parametrize(("actor", "expected"), actor_params({**ADMIN_ONLY_WRITE, ADMIN: 200}))
def test_api_organisation_patch(api_as: Any, target: Any, actor: str | None, expected: int) -> None:
    client = api_as(actor)
    data = {"version": target.unit.version, "name": "Hemtjänst nord"}
    before = db_state()
    audits_before = AuditEntry.objects.count()
    r = client.patch(f"/api/v1/organisations/{target.unit.pk}/", data, format="json")
    if expected != 200:
        _check_refusal(client, r, expected, f"/api/v1/organisations/{MISSING_ID}/", "patch", data)
        assert_unchanged(before)
        return
    assert r.status_code == 200
    target.unit.refresh_from_db()
    assert (target.unit.name, target.unit.version) == ("Hemtjänst nord", data["version"] + 1)
    assert AuditEntry.objects.count() == audits_before + 1


@pytest.mark.parametrize("actor", [SAME, ORDERER])
def test_api_mellerud_staff_cannot_patch_bengtsfors_unit(
    api_as: Any, target: Any, actor: str
) -> None:
    client = api_as(actor)
    data = {"version": target.bengtsfors_unit.version, "name": "Kapad"}
    before = db_state()
    r = client.patch(f"/api/v1/organisations/{target.bengtsfors_unit.pk}/", data, format="json")
    _check_refusal(client, r, 404, f"/api/v1/organisations/{MISSING_ID}/", "patch", data)
    assert_unchanged(before)


# --- /api/v1/cooperations/ --------------------------------------------------------------------


@pytest.fixture
def other_cooperation(db: Any) -> Any:
    from itfabrik.core.actors import SYSTEM
    from itfabrik.tenancy import services

    return services.cooperation_create(actor=SYSTEM, name="Annan samverkan", slug="annan")


@pytest.mark.parametrize(("actor", "expected"), actor_params(ALL_200))
def test_api_cooperation_list(
    api_as: Any, target: Any, other_cooperation: Any, actor: str | None, expected: int
) -> None:
    client = api_as(actor)
    r = client.get("/api/v1/cooperations/")
    if expected != 200:
        return _check_refusal(client, r, expected, "", "get")
    assert r.status_code == 200
    # Everyone sees Dalsland and nobody (not even its admin) sees another cooperation.
    assert [row["id"] for row in r.json()["results"]] == [target.cooperation.pk]


@pytest.mark.parametrize(("actor", "expected"), actor_params(ALL_200))
def test_api_cooperation_detail(
    api_as: Any, target: Any, other_cooperation: Any, actor: str | None, expected: int
) -> None:
    client = api_as(actor)
    r = client.get(f"/api/v1/cooperations/{target.cooperation.pk}/")
    if expected != 200:
        return _check_refusal(client, r, expected, f"/api/v1/cooperations/{MISSING_ID}/", "get")
    assert r.status_code == 200
    assert r.json()["slug"] == "dalsland"
    hidden = client.get(f"/api/v1/cooperations/{other_cooperation.pk}/")
    _check_refusal(client, hidden, 404, f"/api/v1/cooperations/{MISSING_ID}/", "get")


# --- /api/v1/memberships/ ---------------------------------------------------------------------


@pytest.mark.parametrize(("actor", "expected"), actor_params(ALL_200))
def test_api_membership_list(api_as: Any, target: Any, actor: str | None, expected: int) -> None:
    client = api_as(actor)
    r = client.get("/api/v1/memberships/")
    if expected != 200:
        return _check_refusal(client, r, expected, "", "get")
    assert r.status_code == 200
    # Who the members are is public within the cooperation.
    assert sorted(row["municipality_name"] for row in r.json()["results"]) == [
        "Bengtsfors kommun",
        "Färgelanda kommun",
        "Melleruds kommun",
        "Åmåls kommun",
    ]


@pytest.mark.parametrize(("actor", "expected"), actor_params(ALL_200))
def test_api_membership_detail(api_as: Any, target: Any, actor: str | None, expected: int) -> None:
    client = api_as(actor)
    r = client.get(f"/api/v1/memberships/{target.membership.pk}/")
    if expected != 200:
        return _check_refusal(client, r, expected, f"/api/v1/memberships/{MISSING_ID}/", "get")
    assert r.status_code == 200
    assert r.json()["municipality"] == target.municipality.pk


@pytest.mark.parametrize(("actor", "expected"), actor_params({**MEMBERSHIP_WRITE, ADMIN: 201}))
def test_api_membership_create(api_as: Any, target: Any, actor: str | None, expected: int) -> None:
    client = api_as(actor)
    data = {
        "cooperation": target.cooperation.pk,
        "municipality": target.dals_ed.pk,
        "joined_on": "2026-01-01",
    }
    before = db_state()
    audits_before = AuditEntry.objects.count()
    r = client.post("/api/v1/memberships/", data, format="json")
    if expected != 201:
        _check_refusal(client, r, expected, "", "post")
        assert_unchanged(before)
        return
    assert r.status_code == 201
    assert Membership.objects.filter(municipality=target.dals_ed, left_on=None).count() == 1
    assert AuditEntry.objects.count() == audits_before + 1


@pytest.mark.parametrize(("actor", "expected"), actor_params({**MEMBERSHIP_WRITE, ADMIN: 200}))
def test_api_membership_end(api_as: Any, target: Any, actor: str | None, expected: int) -> None:
    client = api_as(actor)
    data = {"version": target.membership.version, "left_on": "2026-12-31"}
    before = db_state()
    audits_before = AuditEntry.objects.count()
    r = client.post(f"/api/v1/memberships/{target.membership.pk}/end/", data, format="json")
    if expected != 200:
        _check_refusal(client, r, expected, f"/api/v1/memberships/{MISSING_ID}/end/", "post", data)
        assert_unchanged(before)
        return
    assert r.status_code == 200
    target.membership.refresh_from_db()
    assert target.membership.left_on.isoformat() == "2026-12-31"
    assert AuditEntry.objects.count() == audits_before + 1


@pytest.mark.parametrize("actor", [ADMIN, OTHER])
def test_api_membership_create_in_hidden_cooperation_is_404(
    api_as: Any, target: Any, other_cooperation: Any, actor: str
) -> None:
    client = api_as(actor)
    data = {
        "cooperation": other_cooperation.pk,
        "municipality": target.dals_ed.pk,
        "joined_on": "2026-01-01",
    }
    before = db_state()
    r = client.post("/api/v1/memberships/", data, format="json")
    ghost = client.post("/api/v1/memberships/", {**data, "cooperation": MISSING_ID}, format="json")
    assert_error(r, 404, "not_found")
    assert r.json() == ghost.json()
    assert_unchanged(before)


# --- /api/v1/positions/ -----------------------------------------------------------------------

POSITIONS = {ANON: 401, OTHER: 0, SAME: 0, ORDERER: 0, AGENT: 28, FINANCE: 28, ADMIN: 28}


@pytest.mark.parametrize(("actor", "expected"), actor_params(POSITIONS))
def test_api_position_list(api_as: Any, target: Any, actor: str | None, expected: int) -> None:
    client = api_as(actor)
    r = client.get("/api/v1/positions/")
    if actor is ANON:
        return _check_refusal(client, r, 401, "", "get")
    assert r.status_code == 200
    # Portal users and orderers have no right to see the staff list: an empty list, not an error.
    assert r.json()["count"] == expected


# --- web --------------------------------------------------------------------------------------


def _web_refusal(client: Any, response: Any, url: str, expected: int | str) -> None:
    if expected == "login":
        assert_login_redirect(response, url)
    else:
        assert response.status_code == expected == 404
        assert response.templates[0].name == "404.html"


@pytest.mark.parametrize(("actor", "expected"), actor_params({**ALL_200, ANON: "login"}))
def test_web_node_list(web_as: Any, target: Any, actor: str | None, expected: Any) -> None:
    client = web_as(actor)
    r = client.get("/organisation/", {"q": TARGET_UNIT} if actor else {})
    if expected != 200:
        return _web_refusal(client, r, "/organisation/", expected)
    assert r.status_code == 200
    shown = {n.pk for n in r.context["page"]}
    assert (target.unit.pk in shown) is (actor != OTHER)
    assert (target.bengtsfors_unit.pk in shown) is (actor not in (SAME, ORDERER))


@pytest.mark.parametrize(("actor", "expected"), actor_params({**SCOPED_READ, ANON: "login"}))
def test_web_node_detail(web_as: Any, target: Any, actor: str | None, expected: Any) -> None:
    client = web_as(actor)
    url = f"/organisation/{target.unit.pk}/"
    r = client.get(url)
    if expected != 200:
        _web_refusal(client, r, url, expected)
        if expected == 404:  # the same page as for an id that does not exist
            ghost = client.get(f"/organisation/{MISSING_ID}/")
            assert ghost.status_code == 404
            assert page_without_noise(ghost) == page_without_noise(r)
        return
    assert r.status_code == 200
    assert r.context["node"].pk == target.unit.pk
    assert r.context["can_change"] is (actor == ADMIN)


WEB_ADMIN_ONLY = {
    ANON: "login",
    OTHER: 404,
    SAME: 404,
    ORDERER: 404,
    AGENT: 404,
    FINANCE: 404,
    ADMIN: 200,
}


@pytest.mark.parametrize(("actor", "expected"), actor_params(WEB_ADMIN_ONLY))
def test_web_node_edit_get(web_as: Any, target: Any, actor: str | None, expected: Any) -> None:
    client = web_as(actor)
    url = f"/organisation/{target.unit.pk}/andra/"
    r = client.get(url)
    if expected != 200:
        return _web_refusal(client, r, url, expected)
    assert r.status_code == 200
    assert r.context["form"].initial["version"] == target.unit.version


@pytest.mark.parametrize(("actor", "expected"), actor_params({**WEB_ADMIN_ONLY, ADMIN: 302}))
def test_web_node_edit_post(web_as: Any, target: Any, actor: str | None, expected: Any) -> None:
    client = web_as(actor)
    url = f"/organisation/{target.unit.pk}/andra/"
    before = db_state()
    r = client.post(
        url,
        {
            "version": target.unit.version,
            "name": "Hemtjänst nord",
            "cost_centre": target.unit.cost_centre,
        },
    )
    if expected != 302:
        _web_refusal(client, r, url, expected)
        assert_unchanged(before)
        return
    assert r.status_code == 302
    assert r["Location"] == f"/organisation/{target.unit.pk}/"
    target.unit.refresh_from_db()
    assert target.unit.name == "Hemtjänst nord"


@pytest.mark.parametrize(("actor", "expected"), actor_params(WEB_ADMIN_ONLY))
def test_web_node_add_child_get(web_as: Any, target: Any, actor: str | None, expected: Any) -> None:
    client = web_as(actor)
    url = f"/organisation/{target.administration.pk}/ny/"
    r = client.get(url)
    if expected != 200:
        return _web_refusal(client, r, url, expected)
    assert r.status_code == 200
    assert [k for k, _label in r.context["form"].fields["kind"].choices] == ["unit"]


@pytest.mark.parametrize(("actor", "expected"), actor_params({**WEB_ADMIN_ONLY, ADMIN: 302}))
def test_web_node_add_child_post(
    web_as: Any, target: Any, actor: str | None, expected: Any
) -> None:
    client = web_as(actor)
    url = f"/organisation/{target.administration.pk}/ny/"
    before = db_state()
    r = client.post(url, {"kind": "unit", "name": "Nattpatrullen", "cost_centre": "1461-3990"})
    if expected != 302:
        _web_refusal(client, r, url, expected)
        assert_unchanged(before)
        return
    created = OrgNode.objects.get(name="Nattpatrullen")
    assert r.status_code == 302
    assert r["Location"] == f"/organisation/{created.pk}/"
    assert created.parent_id == target.administration.pk


@pytest.mark.parametrize(("actor", "expected"), actor_params(WEB_ADMIN_ONLY))
def test_web_membership_list_get(
    web_as: Any, target: Any, actor: str | None, expected: Any
) -> None:
    client = web_as(actor)
    r = client.get("/medlemskap/")
    if expected != 200:
        return _web_refusal(client, r, "/medlemskap/", expected)
    assert r.status_code == 200
    assert [m.pk for m in r.context["candidates"]] == [target.dals_ed.pk]


@pytest.mark.parametrize(("actor", "expected"), actor_params({**WEB_ADMIN_ONLY, ADMIN: 302}))
def test_web_membership_join_post(
    web_as: Any, target: Any, actor: str | None, expected: Any
) -> None:
    client = web_as(actor)
    before = db_state()
    r = client.post("/medlemskap/", {"municipality": target.dals_ed.pk, "joined_on": "2026-01-01"})
    if expected != 302:
        _web_refusal(client, r, "/medlemskap/", expected)
        assert_unchanged(before)
        return
    assert r.status_code == 302
    assert r["Location"] == "/medlemskap/"
    assert Membership.objects.filter(municipality=target.dals_ed).count() == 1


@pytest.mark.parametrize(("actor", "expected"), actor_params(WEB_ADMIN_ONLY))
def test_web_membership_end_get(web_as: Any, target: Any, actor: str | None, expected: Any) -> None:
    client = web_as(actor)
    url = f"/medlemskap/{target.membership.pk}/avsluta/"
    r = client.get(url)
    if expected != 200:
        return _web_refusal(client, r, url, expected)
    assert r.status_code == 200
    assert r.context["membership"].pk == target.membership.pk


@pytest.mark.parametrize(("actor", "expected"), actor_params({**WEB_ADMIN_ONLY, ADMIN: 302}))
def test_web_membership_end_post(
    web_as: Any, target: Any, actor: str | None, expected: Any
) -> None:
    client = web_as(actor)
    url = f"/medlemskap/{target.membership.pk}/avsluta/"
    before = db_state()
    r = client.post(url, {"version": target.membership.version, "left_on": "2026-12-31"})
    if expected != 302:
        _web_refusal(client, r, url, expected)
        assert_unchanged(before)
        return
    assert r.status_code == 302
    assert r["Location"] == "/medlemskap/"
    target.membership.refresh_from_db()
    assert target.membership.left_on is not None


IT_ORG = {ANON: "login", OTHER: 404, SAME: 404, ORDERER: 404, AGENT: 200, FINANCE: 200, ADMIN: 200}


@pytest.mark.parametrize(("actor", "expected"), actor_params(IT_ORG))
def test_web_it_organisation(web_as: Any, target: Any, actor: str | None, expected: Any) -> None:
    client = web_as(actor)
    r = client.get("/it-organisation/")
    if expected != 200:
        return _web_refusal(client, r, "/it-organisation/", expected)
    assert r.status_code == 200
    assert r.context["total"] == 28


# --- positions of the joint IT organisation: create, change, close ----------------------------

# The IT teams are public in the cooperation, so a write there by someone who may not change the
# team is a 403; a position is only visible with tenancy.view_position, so PATCH and close by
# those without it are 404, like a missing id.
POSITION_CREATE = {ANON: 401, OTHER: 403, SAME: 403, ORDERER: 403, AGENT: 403, FINANCE: 403}
POSITION_WRITE = {ANON: 401, OTHER: 404, SAME: 404, ORDERER: 404, AGENT: 403, FINANCE: 403}


@pytest.fixture
def position(demo: Any) -> Any:
    from itfabrik.tenancy.models import Position

    return Position.objects.filter(team__name="2:a linjen", holder__isnull=True).first()


@pytest.mark.parametrize(("actor", "expected"), actor_params({**POSITION_CREATE, ADMIN: 201}))
def test_api_position_create(
    api_as: Any, target: Any, demo: Any, actor: str | None, expected: int
) -> None:
    from itfabrik.tenancy.models import Position

    client = api_as(actor)
    team = demo.node("2:a linjen")
    data = {"team": team.pk, "title": "Nätverkstekniker", "line": "second_line"}
    before = db_state()
    audits_before = AuditEntry.objects.count()
    r = client.post("/api/v1/positions/", data, format="json")
    if expected != 201:
        _check_refusal(client, r, expected, "/api/v1/positions/", "post", data)
        assert_unchanged(before)
        return
    assert r.status_code == 201
    created = Position.objects.get(pk=r.json()["id"])
    assert (created.title, created.team_id, created.holder_id) == (
        "Nätverkstekniker",
        team.pk,
        None,
    )
    assert AuditEntry.objects.count() == audits_before + 1


@pytest.mark.parametrize(("actor", "expected"), actor_params({**POSITION_WRITE, ADMIN: 200}))
def test_api_position_patch(
    api_as: Any, target: Any, position: Any, actor: str | None, expected: int
) -> None:
    client = api_as(actor)
    data = {"version": position.version, "title": "Senior tekniker"}
    before = db_state()
    r = client.patch(f"/api/v1/positions/{position.pk}/", data, format="json")
    if expected != 200:
        _check_refusal(client, r, expected, f"/api/v1/positions/{MISSING_ID}/", "patch", data)
        assert_unchanged(before)
        return
    assert r.status_code == 200
    position.refresh_from_db()
    assert (position.title, position.version) == ("Senior tekniker", data["version"] + 1)


@pytest.mark.parametrize(("actor", "expected"), actor_params({**POSITION_WRITE, ADMIN: 200}))
def test_api_position_close(
    api_as: Any, target: Any, position: Any, actor: str | None, expected: int
) -> None:
    client = api_as(actor)
    data = {"version": position.version, "closed_on": "2026-12-31"}
    url = f"/api/v1/positions/{position.pk}/close/"
    before = db_state()
    r = client.post(url, data, format="json")
    if expected != 200:
        _check_refusal(client, r, expected, f"/api/v1/positions/{MISSING_ID}/close/", "post", data)
        assert_unchanged(before)
        return
    assert r.status_code == 200
    position.refresh_from_db()
    assert position.closed_on is not None
    assert r.json()["closed_on"] == "2026-12-31"


@pytest.mark.parametrize("method", ["delete", "put"])
def test_api_positions_are_never_deleted_or_replaced(
    api_as: Any, target: Any, position: Any, method: str
) -> None:
    client = api_as(ADMIN)
    before = db_state()
    r = getattr(client, method)(f"/api/v1/positions/{position.pk}/", {}, format="json")
    assert r.status_code == 405
    assert_unchanged(before)


WEB_POSITION = {ANON: "login", OTHER: 404, SAME: 404, ORDERER: 404, AGENT: 404, FINANCE: 404}


@pytest.mark.parametrize(("actor", "expected"), actor_params({**WEB_POSITION, ADMIN: 302}))
def test_web_position_create(
    web_as: Any, target: Any, demo: Any, actor: str | None, expected: Any
) -> None:
    client = web_as(actor)
    url = "/it-organisation/ny-tjanst/"
    if actor is not None and expected != 302:
        assert client.get(url).status_code == 404
    data = {"team": demo.node("2:a linjen").pk, "title": "Nätverkstekniker", "line": "second_line"}
    before = db_state()
    r = client.post(url, data)
    if expected != 302:
        _web_refusal(client, r, url, expected)
        assert_unchanged(before)
        return
    assert r.status_code == 302
    assert r["Location"] == "/it-organisation/"


@pytest.mark.parametrize(("actor", "expected"), actor_params({**WEB_POSITION, ADMIN: 302}))
def test_web_position_edit(
    web_as: Any, target: Any, position: Any, actor: str | None, expected: Any
) -> None:
    client = web_as(actor)
    url = f"/it-organisation/tjanster/{position.pk}/"
    if actor is not None and expected != 302:
        assert client.get(url).status_code == 404
    data = {
        "version": position.version,
        "title": "Senior tekniker",
        "line": position.line,
        "team": position.team_id,
    }
    before = db_state()
    r = client.post(url, data)
    if expected != 302:
        _web_refusal(client, r, url, expected)
        assert_unchanged(before)
        return
    assert r.status_code == 302
    position.refresh_from_db()
    assert position.title == "Senior tekniker"


@pytest.mark.parametrize(("actor", "expected"), actor_params({**WEB_POSITION, ADMIN: 302}))
def test_web_position_close(
    web_as: Any, target: Any, position: Any, actor: str | None, expected: Any
) -> None:
    client = web_as(actor)
    url = f"/it-organisation/tjanster/{position.pk}/avsluta/"
    before = db_state()
    r = client.post(url, {"version": position.version, "closed_on": "2026-12-31"})
    if expected != 302:
        _web_refusal(client, r, url, expected)
        assert_unchanged(before)
        return
    assert r.status_code == 302
    position.refresh_from_db()
    assert position.closed_on is not None


# --- a new cooperation: superusers only --------------------------------------------------------

COOP_CREATE = {ANON: 401, OTHER: 403, SAME: 403, ORDERER: 403, AGENT: 403, FINANCE: 403}


@pytest.fixture
def superuser(db: Any) -> Any:
    from itfabrik.accounts.models import User

    # As the operations guide has it: the first administrator comes from a command.
    return User.objects.create_superuser("drift", "drift@example.se", "Drift-Lösen-123")


@pytest.mark.parametrize(
    ("actor", "expected"), [*actor_params({**COOP_CREATE, ADMIN: 403}), ("drift", 201)]
)
def test_api_cooperation_create(
    api_as: Any, target: Any, superuser: Any, actor: str | None, expected: int
) -> None:
    from itfabrik.tenancy.models import Cooperation

    client = api_as(actor)
    data = {"name": "Fyrbodal IT", "slug": "fyrbodal"}
    before = db_state()
    audits_before = AuditEntry.objects.count()
    r = client.post("/api/v1/cooperations/", data, format="json")
    if expected != 201:
        _check_refusal(client, r, expected, "", "post")
        assert_unchanged(before)
        return
    assert r.status_code == 201
    coop = Cooperation.objects.get(pk=r.json()["id"])
    assert coop.root is not None
    assert coop.root.name == "Fyrbodal IT"
    assert r.json()["root"] == coop.root_id
    assert AuditEntry.objects.count() == audits_before + 2  # the cooperation, its root


@pytest.mark.parametrize(
    ("actor", "expected"),
    [*actor_params({**WEB_POSITION, ADMIN: 404}), ("drift", 302)],
)
def test_web_cooperation_create(
    web_as: Any, target: Any, superuser: Any, actor: str | None, expected: Any
) -> None:
    from itfabrik.tenancy.models import Cooperation

    client = web_as(actor)
    url = "/samverkan/ny/"
    if actor is not None and expected != 302:
        assert client.get(url).status_code == 404
    before = db_state()
    r = client.post(url, {"name": "Fyrbodal IT", "slug": "fyrbodal", "root_name": ""})
    if expected != 302:
        _web_refusal(client, r, url, expected)
        assert_unchanged(before)
        return
    coop = Cooperation.objects.get(slug="fyrbodal")
    assert r.status_code == 302
    assert r["Location"] == f"/organisation/{coop.root_id}/"
