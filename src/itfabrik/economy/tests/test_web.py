"""The economy's pages: the baseline as admin sees it (computed shares, gaps, savings), its
XLSX, corrections (audited, refused whole when wrong), scenarios refused outside 0–100 %, the
timeline and the follow-up; who sees which page."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from itfabrik.core.models import AuditEntry
from itfabrik.core.money import format_sek
from itfabrik.core.tests import assert_unchanged, db_state
from itfabrik.economy.models import BaselineFigures, CategoryCost, TimelineEntry

pytestmark = pytest.mark.django_db


def _as(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_admin_sees_each_municipalitys_share_gap_and_savings(
    client: Any, demo: Any, economy: Any, django_assert_num_queries: Any
) -> None:
    client.force_login(demo.user("admin"))
    client.get("/ekonomi/?year=2024")  # warm the per-process caches (menu, translations)
    with django_assert_num_queries(14):
        r = client.get("/ekonomi/?year=2024")
    assert r.status_code == 200
    html = r.content.decode()
    for text in (
        "1,82 %",  # Bengtsfors' IT share
        "1,26 %",  # Åmål's
        format_sek(Decimal("4703257")),  # Bengtsfors' gap to the national average
        format_sek(Decimal("12419000")),  # Åmål's
        format_sek(Decimal("1669200")),  # Bengtsfors' savings potential
        format_sek(Decimal("6999349.20")),  # the total savings potential
        format_sek(Decimal("45939995")),  # the total IT cost
        'role="img"',  # the chart, with its table below
        'id="baseline"',
    ):
        assert text in html, text


def test_the_baseline_downloads_as_xlsx_with_the_computed_numbers(
    client: Any, demo: Any, economy: Any
) -> None:
    from openpyxl import load_workbook

    client.force_login(demo.user("ekonom"))
    r = client.get("/ekonomi/baslinje.xlsx?year=2024")
    assert r.status_code == 200
    assert "baslinje-2024.xlsx" in r["Content-Disposition"]
    wb = load_workbook(io.BytesIO(r.content))
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    by_name = {row[0]: row for row in rows[1:]}
    assert Decimal(str(by_name["Åmåls kommun"][1])) == Decimal("12531000")
    assert Decimal(str(by_name["Totalt"][6])) == Decimal("27193755")
    assert len(wb.worksheets) == 2
    csv = client.get("/ekonomi/baslinje.csv?year=2024")
    assert csv.status_code == 200
    assert "12496743,00" in csv.content.decode("utf-8-sig")


def test_a_correction_changes_the_computed_figures_and_is_audited(
    client: Any, demo: Any, economy: Any
) -> None:
    figures = economy.figures("Melleruds kommun")
    consulting = economy.categories["Konsultstöd"]
    form = {
        "version": figures.version,
        "net_cost": "720 000 000",
        "source": figures.source,
        **{
            f"cost_{c.category_id}": str(c.amount)
            for c in CategoryCost.objects.filter(figures=figures)
        },
        f"cost_{consulting.pk}": "300000,00",
    }
    client.force_login(demo.user("ekonom"))
    r = client.post(f"/ekonomi/siffror/{figures.pk}/", form)
    assert r.status_code == 302, r.content.decode()[:2000]
    row = CategoryCost.objects.get(figures=figures, category=consulting)
    assert row.amount == Decimal("300000.00")
    entry = AuditEntry.objects.filter(object_type="economy.categorycost", object_id=str(row.pk))
    last = entry.order_by("-pk").first()
    assert last is not None
    assert last.actor_repr == "ekonom"
    assert last.before["amount"] == "298764.00"
    assert last.after["amount"] == "300000.00"
    assert BaselineFigures.objects.get(pk=figures.pk).version == figures.version + 1
    html = client.get("/ekonomi/?year=2024").content.decode()
    assert format_sek(Decimal("12537488")) in html  # 12 536 252 + 1 236
    # The old form again: someone has changed the figures since; nothing is overwritten.
    before = db_state()
    stale = client.post(f"/ekonomi/siffror/{figures.pk}/", {**form, f"cost_{consulting.pk}": "1"})
    assert stale.status_code == 400
    assert "Någon annan har ändrat" in stale.content.decode()
    assert_unchanged(before)


def test_a_negative_amount_is_refused_naming_the_category_and_nothing_changes(
    client: Any, demo: Any, economy: Any
) -> None:
    figures = economy.figures("Åmåls kommun")
    fibre = economy.categories["Fiber"]
    client.force_login(demo.user("admin"))
    before = db_state()
    r = client.post(
        f"/ekonomi/siffror/{figures.pk}/",
        {"version": figures.version, "net_cost": "tio", f"cost_{fibre.pk}": "-5"},
    )
    assert r.status_code == 400
    html = r.content.decode()
    assert "Kostnaden för Fiber får inte vara negativt" in html
    assert "Nettokostnaden måste vara ett tal" in html
    assert_unchanged(before)


@pytest.mark.parametrize("bad", ["-0,5", "101", "250"])
def test_a_scenario_with_a_share_outside_0_to_100_is_refused(
    client: Any, demo: Any, economy: Any, bad: str
) -> None:
    client.force_login(demo.user("strateg"))
    services_cat = economy.categories["IT-tjänster"]
    before = db_state()
    r = client.post(
        "/ekonomi/scenarier/nytt/",
        {"name": "Fel", "benchmark_percent": bad, f"rate_{services_cat.pk}": bad},
    )
    assert r.status_code == 400
    html = r.content.decode()
    assert "Riktmärket måste vara mellan 0 och 100 procent" in html
    assert "Besparingen för IT-tjänster måste vara mellan 0 och 100 procent" in html
    assert_unchanged(before)


def test_a_new_scenario_reads_the_baseline_its_way(client: Any, demo: Any, economy: Any) -> None:
    client.force_login(demo.user("strateg"))
    cats = economy.categories
    r = client.post(
        "/ekonomi/scenarier/nytt/",
        {
            "name": "Försiktig",
            "benchmark_percent": "2,0",
            **{f"rate_{c.pk}": "0" for c in cats.values()},
            f"rate_{cats['IT-tjänster'].pk}": "20",
        },
    )
    assert r.status_code == 302
    html = client.get(r["Location"]).content.decode()
    assert format_sek(Decimal("13760000")) in html  # 2 % of Bengtsfors' 688 000 000
    assert format_sek(Decimal("649000")) in html  # 20 % of Bengtsfors' IT services
    listing = client.get("/ekonomi/scenarier/")
    assert "Försiktig" in listing.content.decode()


def test_the_timeline_shows_the_investment_hump_with_its_table(
    client: Any, demo: Any, economy: Any
) -> None:
    client.force_login(demo.user("radsmedlem"))
    r = client.get("/ekonomi/tidslinje/")
    assert r.status_code == 200
    html = r.content.decode()
    assert 'role="img"' in html
    assert html.count("<tr>") >= 28
    assert "Förstudien" in html
    assert "Antagande" in html
    assert format_sek(Decimal("1000000")) in html  # a quarter of 2025's project costs
    xlsx = client.get("/ekonomi/tidslinje.xlsx")
    assert xlsx.status_code == 200
    bad = client.get("/ekonomi/tidslinje/?year_from=tjugo")
    assert bad.status_code == 400


def test_a_timeline_entry_is_corrected(client: Any, demo: Any, economy: Any) -> None:
    entry = TimelineEntry.objects.get(municipality__name="Åmåls kommun", year=2025)
    client.force_login(demo.user("ekonom"))
    r = client.post(
        f"/ekonomi/tidslinje/{entry.pk}/",
        {
            "version": entry.version,
            "operating_cost": "12000000",
            "investment_cost": "3500000",
            "basis": "budget",
            "note": "Budget 2025",
        },
    )
    assert r.status_code == 302
    entry.refresh_from_db()
    assert entry.investment_cost == Decimal("3500000.00")
    assert entry.basis == "budget"


def test_followup_page_compares_invoiced_costs_with_the_baseline(
    client: Any, demo: Any, economy: Any
) -> None:
    client.force_login(demo.user("admin"))
    r = client.get("/ekonomi/uppfoljning/?year=2026")
    assert r.status_code == 200
    html = r.content.decode()
    assert "Fakturerat" in html
    assert 'role="img"' in html
    assert client.get("/ekonomi/uppfoljning.xlsx?year=2026").status_code == 200


PAGES = [
    "/ekonomi/?year=2024",
    "/ekonomi/scenarier/",
    "/ekonomi/tidslinje/",
    "/ekonomi/uppfoljning/?year=2026",
    "/ekonomi/baslinje.xlsx?year=2024",
]


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("anvandare-bengtsfors", 404),
        ("bestallare-mellerud", 404),
        ("agent", 404),
        ("ekonom", 200),
        ("radsmedlem", 200),
        ("admin", 200),
    ],
)
def test_who_sees_the_pages(demo: Any, economy: Any, username: str, expected: int) -> None:
    client = _as(demo.user(username))
    for url in PAGES:
        assert client.get(url).status_code == expected, url


def test_anonymous_is_sent_to_sign_in(client: Any, economy: Any) -> None:
    for url in PAGES:
        assert client.get(url).status_code == 302, url


def test_a_municipal_role_sees_only_its_municipality_and_cannot_correct(
    demo: Any, economy: Any, it_contact: Any
) -> None:
    client = _as(it_contact)
    html = client.get("/ekonomi/?year=2024").content.decode()
    assert "Melleruds kommun" in html
    assert "Bengtsfors kommun" not in html
    bengtsfors = economy.figures("Bengtsfors kommun")
    mellerud = economy.figures("Melleruds kommun")
    before = db_state()
    for figures in (bengtsfors, mellerud):
        r = client.post(f"/ekonomi/siffror/{figures.pk}/", {"version": 1, "net_cost": "1"})
        assert r.status_code == 404
    council = _as(demo.user("radsmedlem"))
    assert council.get(f"/ekonomi/siffror/{mellerud.pk}/").status_code == 404
    assert council.get("/ekonomi/scenarier/nytt/").status_code == 404
    assert_unchanged(before)


def test_the_menu_offers_the_baseline_under_governance(client: Any, demo: Any) -> None:
    from itfabrik.core.registry import registry

    items = [i for app, i in registry.menu if app == "economy"]
    assert {i.area for i in items} == {"governance"}
    client.force_login(demo.user("admin"))
    assert "/ekonomi/" in client.get("/").content.decode()


def test_figures_for_a_new_year_are_entered_once(client: Any, demo: Any, economy: Any) -> None:
    mellerud = demo.node("Melleruds kommun")
    cats = economy.categories
    form = {
        "municipality": mellerud.pk,
        "year": 2025,
        "net_cost": "750 000 000",
        f"cost_{cats['IT-tjänster'].pk}": "3 000 000",
        f"cost_{cats['Personalkostnad'].pk}": "6 000 000",
    }
    client.force_login(demo.user("ekonom"))
    r = client.post("/ekonomi/siffror/ny/", form)
    assert r.status_code == 302
    html = client.get(r["Location"]).content.decode()
    assert format_sek(Decimal("9000000")) in html  # the IT cost: the sum of the categories
    assert "1,20 %" in html  # 9 000 000 / 750 000 000
    assert format_sek(Decimal("900000")) in html  # 30 % of IT services
    before = db_state()
    again = client.post("/ekonomi/siffror/ny/", form)
    assert again.status_code == 400
    assert "Melleruds kommun har redan siffror för 2025" in again.content.decode()
    assert_unchanged(before)


def test_a_category_is_added_corrected_and_closed(client: Any, demo: Any, economy: Any) -> None:
    client.force_login(demo.user("admin"))
    before = db_state()
    bad = client.post(
        "/ekonomi/kategorier/",
        {"name": "Licenser", "position": 10, "default_savings_percent": "120"},
    )
    assert bad.status_code == 400
    assert "Besparingspotentialen måste vara mellan 0 och 100 procent" in bad.content.decode()
    assert_unchanged(before)
    r = client.post(
        "/ekonomi/kategorier/",
        {"name": "Licenser", "position": 10, "default_savings_percent": "15"},
    )
    assert r.status_code == 302
    fibre = economy.categories["Fiber"]
    r = client.post(
        f"/ekonomi/kategorier/{fibre.pk}/",
        {
            "version": fibre.version,
            "name": "Fiber",
            "position": fibre.position,
            "default_savings_percent": "0",
        },
    )
    assert r.status_code == 302
    html = client.get("/ekonomi/?year=2024").content.decode()
    assert "Licenser" in html
    # Åmål's 1 210 000 kr of fibre leaves the baseline with its closed category.
    assert format_sek(Decimal("11321000")) in html
    listing = client.get("/ekonomi/kategorier/").content.decode()
    assert "Avslutad" in listing


def test_the_scenario_list_has_a_fixed_number_of_queries(
    client: Any, demo: Any, economy: Any, django_assert_num_queries: Any
) -> None:
    from itfabrik.core.actors import SYSTEM
    from itfabrik.economy import services

    client.force_login(demo.user("admin"))
    client.get("/ekonomi/scenarier/")
    with django_assert_num_queries(9) as few:
        client.get("/ekonomi/scenarier/")
    for i in range(15):
        services.scenario_create(actor=SYSTEM, cooperation=economy.cooperation, name=f"S{i}")
    with django_assert_num_queries(len(few.captured_queries)):
        r = client.get("/ekonomi/scenarier/")
    assert "S14" in r.content.decode()
