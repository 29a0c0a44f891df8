"""The organisation pages end to end with the Django test client."""

from __future__ import annotations

from typing import Any

import pytest

from itfabrik.core.actors import SYSTEM
from itfabrik.core.models import AuditEntry
from itfabrik.core.tests import assert_unchanged, db_state, grow, page_query_count
from itfabrik.tenancy import services
from itfabrik.tenancy.models import Membership, OrgNode


@pytest.fixture
def admin(web_as: Any) -> Any:
    return web_as("admin")


@pytest.fixture
def unit(demo: Any) -> OrgNode:
    return demo.node("Hemtjänst norr", municipality="Melleruds kommun")


def _messages(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# --- edit ---------------------------------------------------------------------------------------


def test_edit_form_shows_current_values(admin: Any, unit: OrgNode) -> None:
    r = admin.get(f"/organisation/{unit.pk}/andra/")
    assert r.status_code == 200
    form = r.context["form"]
    assert form.initial["name"] == "Hemtjänst norr"
    assert form.initial["version"] == unit.version
    # A unit has a cost centre but no municipal fields.
    assert set(form.fields) == {"version", "name", "cost_centre"}
    assert 'value="1461-3100"' in r.content.decode()


def test_edit_saves_and_redirects_with_message(admin: Any, unit: OrgNode) -> None:
    audit_before = AuditEntry.objects.count()
    r = admin.post(
        f"/organisation/{unit.pk}/andra/",
        {"version": unit.version, "name": "Hemtjänst nord", "cost_centre": "1461-3101"},
        follow=True,
    )
    assert r.redirect_chain == [(f"/organisation/{unit.pk}/", 302)]
    assert _messages(r) == ["Ändringarna är sparade."]
    assert "Ändringarna är sparade." in r.content.decode()
    saved = OrgNode.objects.get(pk=unit.pk)
    assert (saved.name, saved.cost_centre, saved.version) == (
        "Hemtjänst nord",
        "1461-3101",
        unit.version + 1,
    )
    assert AuditEntry.objects.count() == audit_before + 1
    # The detail page shows the history to whoever may read the trail.
    assert [e.after["name"] for e in r.context["history"]][:1] == ["Hemtjänst nord"]


def test_edit_with_stale_version_shows_conflict(admin: Any, unit: OrgNode) -> None:
    stale = unit.version
    services.node_update(actor=SYSTEM, node=unit, expected_version=stale, name="Hemtjänst N")
    before = db_state()
    r = admin.post(
        f"/organisation/{unit.pk}/andra/",
        {"version": stale, "name": "Min ändring", "cost_centre": "1461-3100"},
    )
    assert r.status_code == 200
    errors = r.context["form"].non_field_errors()
    assert len(errors) == 1
    assert "Någon annan har ändrat uppgifterna" in errors[0]
    assert "Någon annan har ändrat uppgifterna" in r.content.decode()
    assert_unchanged(before)
    assert OrgNode.objects.get(pk=unit.pk).name == "Hemtjänst N"


def test_edit_with_invalid_organisation_number_shows_error(admin: Any, demo: Any) -> None:
    mellerud = demo.node("Melleruds kommun")
    before = db_state()
    r = admin.post(
        f"/organisation/{mellerud.pk}/andra/",
        {
            "version": mellerud.version,
            "name": "Melleruds kommun",
            "municipal_code": "1461",
            "organisation_number": "123",
            "email_domain": "mellerud.se",
        },
    )
    assert r.status_code == 200
    form = r.context["form"]
    assert list(form.errors) == ["organisation_number"]
    assert "fel format" in form.errors["organisation_number"][0]
    assert 'class="error-summary"' in r.content.decode()
    assert_unchanged(before)


def test_edit_with_empty_name_shows_error(admin: Any, unit: OrgNode) -> None:
    before = db_state()
    r = admin.post(f"/organisation/{unit.pk}/andra/", {"version": unit.version, "name": ""})
    assert r.status_code == 200
    assert list(r.context["form"].errors) == ["name"]
    assert_unchanged(before)


def test_edit_with_duplicate_cost_centre_shows_error(admin: Any, unit: OrgNode) -> None:
    before = db_state()
    r = admin.post(
        f"/organisation/{unit.pk}/andra/",
        {"version": unit.version, "name": unit.name, "cost_centre": "1461-3110"},
    )
    assert r.status_code == 200
    assert r.context["form"].errors
    assert_unchanged(before)


# --- add a child --------------------------------------------------------------------------------


def test_add_unit_under_administration(admin: Any, demo: Any) -> None:
    adm = demo.node("Socialförvaltningen", municipality="Melleruds kommun")
    r = admin.post(
        f"/organisation/{adm.pk}/ny/",
        {"kind": "unit", "name": "Nattpatrullen", "cost_centre": "1461-3990"},
        follow=True,
    )
    created = OrgNode.objects.get(name="Nattpatrullen")
    assert r.redirect_chain == [(f"/organisation/{created.pk}/", 302)]
    assert _messages(r) == ["Nattpatrullen har lagts till."]
    assert (created.kind, created.parent_id, created.cost_centre) == ("unit", adm.pk, "1461-3990")
    assert created.municipality_id == demo.node("Melleruds kommun").pk
    # The administration's page lists it among its children.
    children = admin.get(f"/organisation/{adm.pk}/").context["children"]
    assert "Nattpatrullen" in [c.name for c in children]


def test_add_child_offers_only_allowed_kinds(admin: Any, demo: Any) -> None:
    root = demo.cooperation.root
    r = admin.get(f"/organisation/{root.pk}/ny/")
    kinds = {k for k, _label in r.context["form"].fields["kind"].choices}
    assert kinds == {"municipality", "it_organisation"}


def test_add_child_with_wrong_kind_is_refused(admin: Any, demo: Any) -> None:
    adm = demo.node("Socialförvaltningen", municipality="Melleruds kommun")
    before = db_state()
    r = admin.post(f"/organisation/{adm.pk}/ny/", {"kind": "team", "name": "Fel"})
    assert r.status_code == 200
    assert list(r.context["form"].errors) == ["kind"]
    assert_unchanged(before)


def test_add_child_with_invalid_cost_centre_shows_error(admin: Any, demo: Any) -> None:
    adm = demo.node("Socialförvaltningen", municipality="Melleruds kommun")
    before = db_state()
    r = admin.post(
        f"/organisation/{adm.pk}/ny/", {"kind": "unit", "name": "X", "cost_centre": "fel värde!"}
    )
    assert r.status_code == 200
    assert list(r.context["form"].errors) == ["cost_centre"]
    assert_unchanged(before)


def test_add_child_under_a_unit_with_cost_centre_on_municipality_refused(
    admin: Any, demo: Any
) -> None:
    mellerud = demo.node("Melleruds kommun")
    before = db_state()
    r = admin.post(
        f"/organisation/{mellerud.pk}/ny/",
        {"kind": "administration", "name": "Ny förvaltning", "cost_centre": "1461-9"},
    )
    assert r.status_code == 200
    assert list(r.context["form"].errors) == ["cost_centre"]
    assert_unchanged(before)


# --- memberships --------------------------------------------------------------------------------


def test_join_and_leave_through_the_pages(admin: Any, demo: Any) -> None:
    dals_ed = demo.node("Dals-Eds kommun")
    r = admin.post(
        "/medlemskap/",
        {"municipality": dals_ed.pk, "joined_on": "2026-01-01", "decision_reference": "KF 1"},
        follow=True,
    )
    assert r.redirect_chain == [("/medlemskap/", 302)]
    assert _messages(r) == ["Dals-Eds kommun är medlem från 2026-01-01."]
    membership = Membership.objects.get(municipality=dals_ed)
    assert (membership.joined_on.isoformat(), membership.decision_reference) == (
        "2026-01-01",
        "KF 1",
    )
    # All five are members now: nobody left to add.
    assert r.context["candidates"] == []
    assert "Alla kommuner i samverkans organisation är medlemmar." in r.content.decode()

    r = admin.post(
        f"/medlemskap/{membership.pk}/avsluta/",
        {"version": membership.version, "left_on": "2026-12-31"},
        follow=True,
    )
    assert r.redirect_chain == [("/medlemskap/", 302)]
    assert _messages(r) == ["Medlemskapet är avslutat."]
    membership.refresh_from_db()
    assert membership.left_on.isoformat() == "2026-12-31"


def test_double_join_is_refused(admin: Any, demo: Any) -> None:
    dals_ed = demo.node("Dals-Eds kommun")
    assert (
        admin.post("/medlemskap/", {"municipality": dals_ed.pk, "joined_on": "2026-01-01"})[
            "Location"
        ]
        == "/medlemskap/"
    )
    before = db_state()
    r = admin.post("/medlemskap/", {"municipality": dals_ed.pk, "joined_on": "2026-06-01"})
    assert r.status_code == 200
    assert list(r.context["form"].errors) == ["municipality"]  # no longer a candidate
    assert_unchanged(before)


def test_join_of_current_member_is_refused(admin: Any, demo: Any) -> None:
    before = db_state()
    r = admin.post(
        "/medlemskap/",
        {"municipality": demo.node("Melleruds kommun").pk, "joined_on": "2026-01-01"},
    )
    assert r.status_code == 200
    assert "municipality" in r.context["form"].errors
    assert_unchanged(before)


def test_host_cannot_leave(admin: Any, demo: Any) -> None:
    membership = Membership.objects.get(municipality__name="Åmåls kommun")
    before = db_state()
    r = admin.post(
        f"/medlemskap/{membership.pk}/avsluta/",
        {"version": membership.version, "left_on": "2026-12-31"},
    )
    assert r.status_code == 200
    errors = r.context["form"].non_field_errors()
    assert errors == ["Värdkommunen kan inte lämna samverkan. Byt värdkommun först."]
    assert_unchanged(before)


def test_leave_with_stale_version_shows_conflict(admin: Any, demo: Any) -> None:
    membership = Membership.objects.get(municipality__name="Melleruds kommun")
    before = db_state()
    r = admin.post(
        f"/medlemskap/{membership.pk}/avsluta/",
        {"version": membership.version + 3, "left_on": "2026-12-31"},
    )
    assert r.status_code == 200
    assert "Någon annan har ändrat uppgifterna" in r.context["form"].non_field_errors()[0]
    assert_unchanged(before)


def test_membership_list_shows_every_membership(admin: Any, demo: Any) -> None:
    r = admin.get("/medlemskap/")
    names = sorted(m.municipality.name for m in r.context["memberships"])
    assert names == ["Bengtsfors kommun", "Färgelanda kommun", "Melleruds kommun", "Åmåls kommun"]


# --- the organisation list ----------------------------------------------------------------------


def test_node_list_filters(admin: Any, demo: Any) -> None:
    mellerud = demo.node("Melleruds kommun")
    r = admin.get("/organisation/", {"kind": "municipality"})
    assert r.context["page"].paginator.count == 5
    r = admin.get("/organisation/", {"municipality": mellerud.pk})
    # The municipality itself, its four administrations and eighteen units.
    assert r.context["page"].paginator.count == 1 + 4 + 18
    r = admin.get("/organisation/", {"q": "1461-3100"})
    assert [n.name for n in r.context["page"]] == ["Hemtjänst norr"]


def test_node_list_hides_closed_units_unless_asked(admin: Any, demo: Any) -> None:
    import datetime as dt

    unit = demo.node("Elevhälsan", municipality="Melleruds kommun")
    services.node_close(
        actor=SYSTEM, node=unit, closed_on=dt.date(2025, 6, 30), expected_version=unit.version
    )
    shown = admin.get("/organisation/", {"q": "Elevhälsan"}).context["page"]
    assert unit.pk not in [n.pk for n in shown]
    shown = admin.get("/organisation/", {"q": "Elevhälsan", "inactive": "on"}).context["page"]
    assert unit.pk in [n.pk for n in shown]


def test_node_list_invalid_filter_shows_message_not_500(admin: Any, demo: Any) -> None:
    r = admin.get("/organisation/", {"kind": "planet"})
    assert r.status_code == 200
    assert "Filtret kunde inte användas" in r.content.decode()


def test_htmx_request_gets_only_the_table(admin: Any, demo: Any) -> None:
    r = admin.get("/organisation/", {"kind": "municipality"}, HTTP_HX_REQUEST="true")
    assert r.status_code == 200
    assert [t.name for t in r.templates if t.name.startswith("tenancy/")] == [
        "tenancy/_node_table.html"
    ]
    assert "base.html" not in [t.name for t in r.templates]
    html = r.content.decode()
    assert "<html" not in html
    assert '<table class="cards-on-phone">' in html
    assert html.count("<tr>") == 1 + 5  # header + five municipalities
    full = admin.get("/organisation/", {"kind": "municipality"})
    assert "<html" in full.content.decode()


def test_node_list_pagination(admin: Any, demo: Any) -> None:
    first = admin.get("/organisation/")
    assert len(first.context["page"].object_list) == 50
    total = first.context["page"].paginator.count
    last = admin.get("/organisation/", {"page": 999})
    assert last.context["page"].number == -(-total // 50)


def test_node_detail_of_municipality(admin: Any, demo: Any) -> None:
    amal = demo.node("Åmåls kommun")
    r = admin.get(f"/organisation/{amal.pk}/")
    assert [i.inhabitants for i in r.context["inhabitants"]] == [12006]
    assert [m.joined_on.isoformat() for m in r.context["memberships"]] == ["2025-01-01"]
    assert [a.pk for a in r.context["ancestors"]] == [demo.cooperation.root_id]


def test_it_organisation_page(web_as: Any, demo: Any) -> None:
    r = web_as("agent").get("/it-organisation/")
    assert r.context["total"] == 28
    assert r.context["org"].name == "Dalslands IT- och digitaliseringsorganisation"
    assert sum(len(t["positions"]) for t in r.context["teams"]) == 28


# --- query counts -------------------------------------------------------------------------------


@pytest.mark.parametrize("actor", ["admin", "bestallare-mellerud"])
def test_node_list_query_count_does_not_depend_on_rows(web_as: Any, demo: Any, actor: str) -> None:
    client = web_as(actor)
    one_row, r = page_query_count(client, "/organisation/?kind=cooperation")
    assert len(r.context["page"].object_list) == 1
    full_page, r = page_query_count(client, "/organisation/")
    assert len(r.context["page"].object_list) >= 35
    assert full_page == one_row
    htmx, _r = page_query_count(client, "/organisation/", HTTP_HX_REQUEST="true")
    grow(demo)
    assert page_query_count(client, "/organisation/")[0] == full_page
    assert page_query_count(client, "/organisation/", HTTP_HX_REQUEST="true")[0] == htmx


def test_node_list_query_count_is_fixed(web_as: Any, demo: Any) -> None:
    # Session, user, two OTP device lookups, grants, municipalities for the filter, count,
    # page ids, page rows, shell cooperation.
    queries, _r = page_query_count(web_as("admin"), "/organisation/")
    assert queries == 10


def test_node_detail_query_count_does_not_depend_on_children(web_as: Any, demo: Any) -> None:
    client = web_as("admin")
    adm = demo.node("Socialförvaltningen", municipality="Melleruds kommun")
    before, r = page_query_count(client, f"/organisation/{adm.pk}/")
    assert len(r.context["children"].object_list) == 5
    grow(demo)
    after, r = page_query_count(client, f"/organisation/{adm.pk}/")
    assert len(r.context["children"].object_list) == 35
    assert after == before


def test_membership_page_query_count_does_not_depend_on_rows(web_as: Any, demo: Any) -> None:
    client = web_as("admin")
    before, r = page_query_count(client, "/medlemskap/")
    grow(demo)
    after, r = page_query_count(client, "/medlemskap/")
    assert len(r.context["memberships"]) == 34
    assert after == before


def test_it_organisation_query_count_does_not_depend_on_rows(web_as: Any, demo: Any) -> None:
    client = web_as("agent")
    before, _r = page_query_count(client, "/it-organisation/")
    grow(demo)
    after, r = page_query_count(client, "/it-organisation/")
    assert r.context["total"] == 58
    assert after == before
