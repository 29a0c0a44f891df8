"""Issue 13: units and administrations can be closed (web and API), a wrongly entered inhabitant
year can be removed, siblings cannot share a name, and node selects are scoped search fields."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, transaction

from itfabrik.core.actors import SYSTEM
from itfabrik.core.errors import ValidationFailed
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
    assert_unchanged,
    db_state,
    ensure_same_unit_user,
    grow,
    page_query_count,
)
from itfabrik.tenancy import selectors, services
from itfabrik.tenancy.choices import NodeKind
from itfabrik.tenancy.models import InhabitantCount, OrgNode

ERROR_CODES = {401: "not_authenticated", 403: "forbidden", 404: "not_found"}
# The unit is visible to everyone in Mellerud and to the staff; only the admin may change it.
UNIT_WRITE = {ANON: 401, OTHER: 404, SAME: 403, ORDERER: 403, AGENT: 403, FINANCE: 403, ADMIN: 200}
# A municipality is public within the cooperation: every signed-in actor sees it.
MUNICIPALITY_WRITE = {
    ANON: 401,
    OTHER: 403,
    SAME: 403,
    ORDERER: 403,
    AGENT: 403,
    FINANCE: 403,
    ADMIN: 204,
}
WEB_UNIT_WRITE = {ANON: 302, OTHER: 404, SAME: 404, ORDERER: 404, AGENT: 404, FINANCE: 404}


@pytest.fixture
def unit(demo: Any) -> OrgNode:
    ensure_same_unit_user(demo)
    return demo.node(TARGET_UNIT, municipality=MELLERUD)  # type: ignore[no-any-return]


# --- closing ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("actor", "expected"), actor_params(UNIT_WRITE))
def test_api_close_matrix(api_as: Any, unit: OrgNode, actor: str | None, expected: int) -> None:
    client = api_as(actor)
    before = db_state()
    url = f"/api/v1/organisations/{unit.pk}/close/"
    r = client.post(url, {"closed_on": "2026-01-31"}, format="json")
    if expected == 200:
        assert r.status_code == 200, r.content
        assert (r.json()["is_active"], r.json()["closed_on"]) == (False, "2026-01-31")
        return
    assert_error(r, expected, ERROR_CODES[expected])
    assert_unchanged(before)
    if expected == 404:
        ghost = client.post(
            f"/api/v1/organisations/{MISSING_ID}/close/", {"closed_on": "2026-01-31"}, format="json"
        )
        assert ghost.json() == r.json()


def test_api_close_is_refused_with_the_reason_while_children_are_open(
    api_as: Any, demo: Any
) -> None:
    administration = demo.node(TARGET_ADMINISTRATION, municipality=MELLERUD)
    client = api_as(ADMIN)
    before = db_state()
    r = client.post(
        f"/api/v1/organisations/{administration.pk}/close/",
        {"closed_on": "2026-01-31"},
        format="json",
    )
    error = assert_error(r, 400, "invalid")
    message = error["fields"]["children"][0]["messages"]
    assert "underliggande enheter som är öppna" in message["sv"]
    assert (message["en"] and message["en"] != message["sv"]) or message["en"]
    for bad in ({}, {"closed_on": "31/01/2026"}):
        assert_error(
            client.post(f"/api/v1/organisations/{administration.pk}/close/", bad, format="json"),
            400,
            "invalid",
        )
    municipality = demo.node(MELLERUD)
    r = client.post(
        f"/api/v1/organisations/{municipality.pk}/close/",
        {"closed_on": "2026-01-31"},
        format="json",
    )
    assert "kind" in assert_error(r, 400, "invalid")["fields"]
    assert_unchanged(before)


def test_api_close_twice_and_with_a_stale_version(api_as: Any, unit: OrgNode) -> None:
    client = api_as(ADMIN)
    url = f"/api/v1/organisations/{unit.pk}/close/"
    before = db_state()
    r = client.post(url, {"closed_on": "2026-01-31", "version": unit.version + 5}, format="json")
    assert r.status_code == 409
    assert_unchanged(before)
    assert client.post(url, {"closed_on": "2026-01-31"}, format="json").status_code == 200
    again = client.post(url, {"closed_on": "2026-02-01"}, format="json")
    assert "closed_on" in assert_error(again, 400, "invalid")["fields"]


def test_web_close_confirms_then_closes_and_is_in_the_history(web_as: Any, unit: OrgNode) -> None:
    client = web_as(ADMIN)
    page = client.get(f"/organisation/{unit.pk}/").content.decode()
    assert f'href="/organisation/{unit.pk}/avveckla/"' in page
    confirm = client.get(f"/organisation/{unit.pk}/avveckla/")
    assert confirm.status_code == 200
    assert "Inget tas bort" in confirm.content.decode()
    r = client.post(
        f"/organisation/{unit.pk}/avveckla/", {"version": unit.version, "closed_on": "2026-01-31"}
    )
    assert r.status_code == 302
    unit.refresh_from_db()
    assert (unit.is_active, unit.closed_on.isoformat()) == (False, "2026-01-31")  # type: ignore[union-attr]
    detail = client.get(r["Location"]).content.decode()
    assert "Hemtjänst norr har avvecklats." in detail
    assert "avveckla/" not in detail  # no second close button
    history = AuditEntry.objects.filter(object_type="tenancy.orgnode", object_id=str(unit.pk))
    assert "is_active" in history.order_by("pk").last().changed_fields  # type: ignore[union-attr]


def test_web_close_lists_open_children_and_refuses(web_as: Any, demo: Any) -> None:
    administration = demo.node(TARGET_ADMINISTRATION, municipality=MELLERUD)
    client = web_as(ADMIN)
    before = db_state()
    r = client.post(
        f"/organisation/{administration.pk}/avveckla/",
        {"version": administration.version, "closed_on": "2026-01-31"},
    )
    assert r.status_code == 200
    html = r.content.decode()
    assert "Avveckla först de" in html
    assert "Hemtjänst norr" in html
    assert_unchanged(before)


@pytest.mark.parametrize(("actor", "expected"), actor_params({**WEB_UNIT_WRITE, ADMIN: 200}))
def test_web_close_matrix(web_as: Any, unit: OrgNode, actor: str | None, expected: int) -> None:
    client = web_as(actor)
    before = db_state()
    assert client.get(f"/organisation/{unit.pk}/avveckla/").status_code == expected
    if expected != 200:
        r = client.post(
            f"/organisation/{unit.pk}/avveckla/",
            {"version": unit.version, "closed_on": "2026-01-31"},
        )
        assert r.status_code == expected
        assert_unchanged(before)


# --- inhabitants --------------------------------------------------------------------------------


def _mistake(demo: Any) -> InhabitantCount:
    return services.inhabitants_set(
        actor=SYSTEM, municipality=demo.node(MELLERUD), year=2025, inhabitants=90_000
    )


@pytest.mark.parametrize(("actor", "expected"), actor_params(MUNICIPALITY_WRITE))
def test_api_inhabitants_remove_matrix(
    api_as: Any, demo: Any, actor: str | None, expected: int
) -> None:
    ensure_same_unit_user(demo)
    _mistake(demo)
    client = api_as(actor)
    node = demo.node(MELLERUD)
    before = db_state()
    r = client.delete(f"/api/v1/organisations/{node.pk}/inhabitants/2025/")
    if expected == 204:
        assert r.status_code == 204
        assert not InhabitantCount.objects.filter(municipality=node, year=2025).exists()
        entry = AuditEntry.objects.order_by("pk").last()
        assert entry is not None
        assert (entry.action, entry.before["inhabitants"], entry.after) == ("delete", 90_000, None)
        # Removing it again, or a year that never was, is 404.
        assert (
            client.delete(f"/api/v1/organisations/{node.pk}/inhabitants/2025/").status_code == 404
        )
        return
    assert_error(r, expected, ERROR_CODES[expected])
    assert_unchanged(before)


def test_web_inhabitants_remove_confirms_first(web_as: Any, demo: Any) -> None:
    _mistake(demo)
    node = demo.node(MELLERUD)
    client = web_as(ADMIN)
    page = client.get(f"/organisation/{node.pk}/").content.decode()
    assert f"/organisation/{node.pk}/invanare/2025/ta-bort/" in page
    before = db_state()
    confirm = client.get(f"/organisation/{node.pk}/invanare/2025/ta-bort/")
    assert confirm.status_code == 200
    assert "ange samma år igen" in confirm.content.decode()
    assert_unchanged(before)
    r = client.post(f"/organisation/{node.pk}/invanare/2025/ta-bort/", follow=True)
    assert "Invånarantalet för 2025 är borttaget." in r.content.decode()
    assert not InhabitantCount.objects.filter(municipality=node, year=2025).exists()
    assert client.get(f"/organisation/{node.pk}/invanare/2025/ta-bort/").status_code == 404
    # The agent sees the municipality but may not remove anything.
    _mistake(demo)
    before = db_state()
    agent = web_as(AGENT)
    assert agent.post(f"/organisation/{node.pk}/invanare/2025/ta-bort/").status_code == 404
    assert_unchanged(before)


# --- sibling names ------------------------------------------------------------------------------


def test_two_open_siblings_cannot_share_a_name(demo: Any, unit: OrgNode) -> None:
    administration = demo.node(TARGET_ADMINISTRATION, municipality=MELLERUD)
    before = db_state()
    with pytest.raises(ValidationFailed) as exc:
        services.node_create(
            actor=SYSTEM, parent=administration, kind=NodeKind.UNIT, name=" hemtjänst NORR "
        )
    message = str(exc.value.fields["name"][0])
    assert "Hemtjänst norr" in message
    assert "Socialförvaltningen" in message
    other = services.node_create(
        actor=SYSTEM, parent=administration, kind=NodeKind.UNIT, name="Hemtjänst väster"
    )
    before = db_state()
    with pytest.raises(ValidationFailed):
        services.node_update(actor=SYSTEM, node=other, expected_version=None, name="Hemtjänst Norr")
    assert_unchanged(before)
    # A closed unit keeps its name; a new one may take it.
    services.node_close(
        actor=SYSTEM, node=unit, closed_on=unit.created_at.date(), expected_version=None
    )
    services.node_update(actor=SYSTEM, node=other, expected_version=None, name="Hemtjänst norr")


def test_the_database_refuses_open_namesakes_too(demo: Any, unit: OrgNode) -> None:
    twin = OrgNode(
        name="Hemtjänst norr",
        kind=NodeKind.UNIT,
        cooperation_id=unit.cooperation_id,
        municipality_id=unit.municipality_id,
        parent_id=unit.parent_id,
    )
    parent = OrgNode.objects.get(pk=unit.parent_id)
    with pytest.raises(IntegrityError), transaction.atomic():
        OrgNode.objects.add_child(parent, instance=twin)


def test_api_refuses_a_namesake_with_a_field_message(api_as: Any, demo: Any) -> None:
    administration = demo.node(TARGET_ADMINISTRATION, municipality=MELLERUD)
    client = api_as(ADMIN)
    before = db_state()
    r = client.post(
        "/api/v1/organisations/",
        {"parent": administration.pk, "kind": "unit", "name": "Hemtjänst norr"},
        format="json",
    )
    error = assert_error(r, 400, "invalid")
    assert "Hemtjänst norr" in error["fields"]["name"][0]["messages"]["sv"]
    assert "tenancy_" not in str(error)
    assert_unchanged(before)


# --- search -------------------------------------------------------------------------------------


def test_search_labels_namesakes_and_is_scoped(demo: Any) -> None:
    from itfabrik.tenancy.templatetags.tenancy_tags import node_label

    admin = demo.user("admin")
    labels = [
        node_label(n) for n in selectors.node_choice_list(actor=admin, query="Hemtjänst norr")
    ]
    assert "Hemtjänst norr — Socialförvaltningen, Melleruds kommun" in labels
    assert len(labels) == len(set(labels)) >= 4
    other = demo.user(OTHER)
    visible = selectors.node_choice_list(actor=other, query="Hemtjänst norr")
    assert {n.municipality.name for n in visible} == {"Bengtsfors kommun"}  # type: ignore[union-attr]
    from itfabrik.accounts import permissions as account_actions

    assert (
        selectors.node_choice_list(actor=other, action=account_actions.MANAGE_ROLES, query="a")
        == []
    )


def test_search_returns_at_most_twenty(demo: Any) -> None:
    grow(demo)
    found = selectors.node_choice_list(actor=demo.user("admin"), query="Extra")
    assert len(found) == 20
    assert all(n.name.startswith("Extra") for n in found)


@pytest.mark.parametrize(
    ("actor", "expected"),
    actor_params(
        {ANON: 302, OTHER: 200, SAME: 200, ORDERER: 200, AGENT: 200, FINANCE: 200, ADMIN: 200}
    ),
)
def test_web_search_endpoint_matrix(
    web_as: Any, demo: Any, actor: str | None, expected: int
) -> None:
    ensure_same_unit_user(demo)
    client = web_as(actor)
    r = client.get(
        "/organisation/sok/",
        {"q": "Hemtjänst norr", "behorighet": "accounts.manage_roles", "lista": "x"},
    )
    assert r.status_code == expected
    if expected != 200:
        return
    html = r.content.decode()
    if actor == ADMIN:
        assert 'data-label="Hemtjänst norr — Socialförvaltningen, Melleruds kommun"' in html
        assert 'role="option"' in html
    else:  # nobody else grants roles: nothing to choose
        assert "Inga träffar." in html
        assert "data-value" not in html


def test_web_search_query_count_is_fixed(web_as: Any, demo: Any) -> None:
    client = web_as(ADMIN)
    few, _r = page_query_count(client, "/organisation/sok/?q=Hemtj%C3%A4nst")
    many, r = page_query_count(client, "/organisation/sok/?q=e")
    assert r.content.decode().count('role="option"') == 21  # twenty and "more"
    assert few == many
    grow(demo)
    assert page_query_count(client, "/organisation/sok/?q=e")[0] == many


def test_web_org_list_names_the_municipality_on_a_phone(web_as: Any, demo: Any) -> None:
    html = web_as(ADMIN).get("/organisation/?q=Hemtj%C3%A4nst+norr").content.decode()
    assert 'class="cards-on-phone"' in html
    assert 'data-label="Kommun">Melleruds kommun' in html
