"""The core pages: start page, audit trail with filters, accessibility report, error pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

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
    # count of their queue; their own open tickets), + one for the bookings' (coming visits and
    # tickets marked for a visit).
    assert queries == 20


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


# --- accessibility ------------------------------------------------------------------------------


def test_anonymous_can_report_an_accessibility_problem(
    web_as: Any, demo: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from itfabrik.core.models import AccessibilityReport

    client = web_as(None)
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(
            "/tillganglighet/",
            {"page_url": "/organisation/", "description": "Tabellen läses inte upp."},
            follow=True,
        )
    assert r.redirect_chain == [("/tillganglighet/", 302)]
    report = AccessibilityReport.objects.get()
    assert report.description == "Tabellen läses inte upp."
    assert report.reporter is None
    assert len(mail.outbox) == 1
    assert "/organisation/" in mail.outbox[0].subject


def test_accessibility_report_without_description_is_refused(web_as: Any, demo: Any) -> None:
    from itfabrik.core.models import AccessibilityReport

    r = web_as(None).post("/tillganglighet/", {"description": ""})
    assert r.status_code == 200
    assert "description" in r.context["form"].errors
    assert not AccessibilityReport.objects.exists()
    assert mail.outbox == []


# --- error pages --------------------------------------------------------------------------------


def test_unknown_page_is_the_swedish_404(admin: Any, demo: Any) -> None:
    r = admin.get("/finns-inte/")
    assert r.status_code == 404
    assert r.templates[0].name == "404.html"


def test_anonymous_accessibility_reports_are_throttled_per_address(
    web_as: Any, demo: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """Issue 6, point 7: each report sends a mail, so an anonymous sender gets a few an hour."""
    from django.core.cache import cache

    from itfabrik.core.models import AccessibilityReport

    cache.clear()
    settings.ITFABRIK_REPORT_LIMIT = 2
    client = web_as(None)
    post = {"page_url": "/", "description": "Kontrasten är för låg."}
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(2):
            assert client.post("/tillganglighet/", post).status_code == 302
        refused = client.post("/tillganglighet/", post)
        english = client.post("/tillganglighet/", post, HTTP_ACCEPT_LANGUAGE="en")
        # Another address, and a signed-in user, are not held back by this one.
        other = client.post("/tillganglighet/", post, REMOTE_ADDR="198.51.100.9")
        signed_in = web_as("anvandare-bengtsfors").post("/tillganglighet/", post)
    assert refused.status_code == 429
    assert "Du har skickat många rapporter på kort tid" in refused.content.decode()
    assert settings.ACCESSIBILITY_CONTACT_EMAIL in refused.content.decode()
    assert english.status_code == 429
    assert "many reports" in english.content.decode()
    assert other.status_code == 302
    assert signed_in.status_code == 302
    assert AccessibilityReport.objects.count() == 4
    assert len(mail.outbox) == 4
