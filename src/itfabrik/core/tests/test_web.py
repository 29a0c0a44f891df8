"""The core pages: start page, audit trail with filters, error pages."""

from __future__ import annotations

from typing import Any

import pytest

from itfabrik.core.actors import SYSTEM
from itfabrik.core.models import AuditEntry
from itfabrik.core.tests import grow, home_panel, page_query_count
from itfabrik.tenancy import services


@pytest.fixture
def admin(web_as: Any) -> Any:
    return web_as("admin")


@pytest.fixture
def renamed(demo: Any) -> Any:
    unit = demo.node("Hemtjänst norr", municipality="Melleruds kommun")
    return services.node_update(
        actor=SYSTEM, node=unit, expected_version=unit.version, name="Hemtjänst nord"
    )


# --- start page ---------------------------------------------------------------------------------


def test_home_shows_the_cooperation(admin: Any, demo: Any) -> None:
    r = admin.get("/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "Dalslands IT-samverkan – 4 medlemskommuner med Åmåls kommun som värdkommun." in html
    assert home_panel(r, "tenancy.facts")["total_inhabitants"] == 12006 + 9165 + 9138 + 6434
    shares = {
        m.name: m.population_share for m in home_panel(r, "tenancy.members")["municipalities"]
    }
    assert shares["Dals-Eds kommun"] is None
    assert sum(v for v in shares.values() if v is not None) == 100


def test_home_of_portal_user_shows_home_unit(web_as: Any, demo: Any) -> None:
    r = web_as("anvandare-bengtsfors").get("/")
    assert home_panel(r, "tenancy.my_unit")["home_unit"].name == "Grundskola F–6"
    assert [n.name for n in home_panel(r, "tenancy.my_unit")["trail"]] == [
        "Dalslands IT-samverkan",
        "Bengtsfors kommun",
        "Barn- och utbildningsförvaltningen",
    ]
    assert "recent_changes" not in r.context


def test_home_query_count_does_not_depend_on_rows(admin: Any, demo: Any) -> None:
    before, r = page_query_count(admin, "/")
    assert len(home_panel(r, "tenancy.members")["municipalities"]) == 5
    grow(demo)
    after, r = page_query_count(admin, "/")
    assert len(home_panel(r, "tenancy.members")["municipalities"]) == 35
    assert after == before


def test_home_query_count_is_fixed(admin: Any, demo: Any) -> None:
    queries, _r = page_query_count(admin, "/")
    # 14 + one query each for the catalogue's panels (the admin's orders, orders to decide on),
    # + three for the service desk's (the admin leads the demo's groups: their groups and one
    # count of their queue; their own open tickets), + two for satisfaction's (resolved tickets
    # to rate, low-score alerts to follow up), + one for the bookings' (coming visits and
    # tickets marked for a visit), + four for the chat's panel (whether the service desk's
    # calendar is open now, and the chats waiting for an agent), + one for the service desk
    # reports' SLA panel (the cooperation admin holds every action, ADR 0017), + one for
    # governance's (the cooperation agreement's evaluations due soon), + two for identity's
    # (direct grants and role changes waiting for the admin's approval), + one for the assets'
    # (the devices the person uses), + one for the portfolio's (the benefits the actor owns
    # that still lack a realised value).
    assert queries == 32


# --- audit trail --------------------------------------------------------------------------------


def test_audit_page_lists_newest_first(admin: Any, renamed: Any) -> None:
    r = admin.get("/granskning/")
    assert r.status_code == 200
    first = r.context["page"].object_list[0]
    assert (first.object_repr, first.action) == ("Hemtjänst nord", "update")
    assert "Hemtjänst nord" in r.content.decode()


def test_audit_page_filters_by_object(admin: Any, renamed: Any) -> None:
    r = admin.get("/granskning/", {"object_type": "tenancy.orgnode", "object_id": str(renamed.pk)})
    rows = list(r.context["page"].object_list)
    assert [(e.action, e.object_id) for e in rows] == [
        ("update", str(renamed.pk)),
        ("create", str(renamed.pk)),
    ]


def test_audit_page_filters_by_action_and_search(admin: Any, renamed: Any) -> None:
    r = admin.get("/granskning/", {"action": "update", "q": "hemtjänst nord"})
    assert [e.object_repr for e in r.context["page"].object_list] == ["Hemtjänst nord"]
    r = admin.get("/granskning/", {"object_type": "tenancy.membership"})
    assert r.context["page"].paginator.count == 4
    assert {e.object_type for e in r.context["page"].object_list} == {"tenancy.membership"}


def test_audit_page_with_invalid_filter_is_not_an_error(admin: Any, demo: Any) -> None:
    r = admin.get("/granskning/", {"action": "explode"})
    assert r.status_code == 200
    assert r.context["form"].errors


def test_audit_page_htmx_returns_only_the_table(admin: Any, renamed: Any) -> None:
    r = admin.get("/granskning/", {"q": "Hemtjänst nord"}, HTTP_HX_REQUEST="true")
    assert r.status_code == 200
    names = [t.name for t in r.templates]
    assert "core/_audit_table.html" in names
    assert "base.html" not in names
    assert "<html" not in r.content.decode()


def test_audit_page_query_count_does_not_depend_on_rows(admin: Any, demo: Any) -> None:
    few, r = page_query_count(admin, "/granskning/?object_type=tenancy.cooperation")
    assert 0 < len(r.context["page"].object_list) < 5
    # The newest entries are those of the rows grow() adds (nodes, memberships, users, roles,
    # positions), whichever app's demo step happened to write last (the catalogue's orders and
    # billing's runs bring other related kinds, and with them other lookups).
    grow(demo)
    full, r = page_query_count(admin, "/granskning/")
    assert len(r.context["page"].object_list) == 50
    # Eight as before, plus one batched lookup per kind of related object shown on the page
    # (nodes for cooperations; nodes, cooperations and users for the full page).
    assert (few, full) == (9, 11)
    # A page further into hundreds of such rows costs the same.
    assert page_query_count(admin, "/granskning/?page=3")[0] == full
    # One entry or a full page of the same kind of object: the same number of queries.
    one = AuditEntry.objects.filter(object_type="tenancy.orgnode").first()
    assert one is not None
    single, r = page_query_count(
        admin, f"/granskning/?object_type=tenancy.orgnode&object_id={one.object_id}"
    )
    assert len(r.context["page"].object_list) < 5
    many, r = page_query_count(admin, "/granskning/?object_type=tenancy.orgnode")
    assert len(r.context["page"].object_list) == 50
    assert single == many


def test_audit_page_scope_for_security_officer(web_as: Any, demo: Any, renamed: Any) -> None:
    r = web_as("sakerhet").get("/granskning/", {"object_id": str(renamed.pk)})
    expected = AuditEntry.objects.filter(
        object_id=str(renamed.pk), scope_path__startswith=demo.cooperation.root.path
    )
    assert r.context["page"].paginator.count == expected.count() >= 2


# --- error pages --------------------------------------------------------------------------------


def test_unknown_page_is_the_swedish_404(admin: Any, demo: Any) -> None:
    r = admin.get("/finns-inte/")
    assert r.status_code == 404
    assert r.templates[0].name == "404.html"
