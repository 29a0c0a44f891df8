"""The billing pages: transparency, drill-down, run, approve, export, simulate."""

from __future__ import annotations

from typing import Any

from itfabrik.billing.models import BillingRun, Invoice
from itfabrik.core.tests import assert_unchanged, db_state, page_query_count

MELLERUD = "Melleruds kommun"


def test_the_overview_compares_the_municipalities_with_a_chart_and_its_table(web_as: Any) -> None:
    r = web_as("radsmedlem").get("/fakturering/?period=2026-11")
    assert r.status_code == 200
    html = r.content.decode()
    for name in ("Åmåls kommun", "Melleruds kommun", "Bengtsfors kommun", "Färgelanda kommun"):
        assert name in html
    assert '<svg xmlns="http://www.w3.org/2000/svg" role="img"' in html
    assert '<title id="ytd-t">' in html
    assert "<caption>" in html


def test_the_overview_answers_in_a_constant_number_of_queries(web_as: Any) -> None:
    client = web_as("ekonom")
    early, _ = page_query_count(client, "/fakturering/?period=2026-01")
    late, _ = page_query_count(client, "/fakturering/?period=2026-11")
    assert early == late


def test_drill_down_from_a_figure_to_lines_and_sources(web_as: Any) -> None:
    invoice = Invoice.objects.get(municipality__name=MELLERUD, period="2026-03")
    client = web_as("radsmedlem")
    html = client.get("/fakturering/?period=2026-03").content.decode()
    assert f'href="/fakturering/underlag/{invoice.pk}/"' in html
    html = client.get(f"/fakturering/underlag/{invoice.pk}/?kind=shared").content.decode()
    assert "ITR-2025-011 (exempel)" in html
    assert "medlemsdagar" in html
    html = client.get(f"/fakturering/underlag/{invoice.pk}/?kind=consumption").content.decode()
    assert "Förbrukningspost" in html


def test_ekonom_runs_approves_and_exports_a_month(web_as: Any) -> None:
    client = web_as("ekonom")
    r = client.post("/fakturering/korningar/", {"period": "2026-12"})
    run = BillingRun.objects.latest("pk")
    assert r.status_code == 302
    assert r["Location"] == f"/fakturering/korningar/{run.pk}/"
    html = client.get(r["Location"]).content.decode()
    assert "Klar" in html
    assert MELLERUD in html
    invoice = Invoice.objects.get(municipality__name=MELLERUD, period="2026-12")
    r = client.post(f"/fakturering/underlag/{invoice.pk}/", {"version": invoice.version})
    assert r.status_code == 302
    invoice.refresh_from_db()
    assert invoice.status == "approved"
    r = client.get(f"/fakturering/underlag/{invoice.pk}/export/sie/")
    assert r.status_code == 200
    assert r.content.startswith(b"#FLAGGA 0")
    invoice.refresh_from_db()
    assert invoice.status == "exported"


def test_a_run_over_an_approved_month_shows_the_refusal(web_as: Any) -> None:
    client = web_as("ekonom")
    before = db_state()
    r = client.post("/fakturering/korningar/", {"period": "2026-02"})
    assert r.status_code == 200
    assert "redan godkända fakturaunderlag" in r.content.decode()
    assert_unchanged(before)


def test_the_simulation_page_shows_every_municipality(web_as: Any) -> None:
    r = web_as("radsmedlem").get("/fakturering/simulering/?year=2026&method=inhabitants")
    assert r.status_code == 200
    html = r.content.decode()
    assert 'id="simulation-result"' in html
    assert "Åmåls kommun" in html
    assert "2026-12" in html


def test_other_municipalities_staff_see_no_billing(web_as: Any) -> None:
    invoice = Invoice.objects.get(municipality__name=MELLERUD, period="2026-03")
    client = web_as("anvandare-bengtsfors")
    assert client.get("/fakturering/").status_code == 404
    assert client.get(f"/fakturering/underlag/{invoice.pk}/").status_code == 404
    assert client.get(f"/fakturering/underlag/{invoice.pk}/export/pdf/").status_code == 404
    assert client.get("/fakturering/korningar/").status_code == 404
    assert 'href="/fakturering/"' not in client.get("/").content.decode()


def test_the_council_member_may_not_run(web_as: Any) -> None:
    assert web_as("radsmedlem").get("/fakturering/korningar/").status_code == 404


def test_the_invoice_page_shows_its_lines_a_page_at_a_time(web_as: Any, demo: Any) -> None:
    import datetime as dt

    from itfabrik.billing import services

    ekonom = demo.user("ekonom")
    services.billing_run_now(actor=ekonom, cooperation=demo.cooperation, period="2026-12")
    invoice = Invoice.objects.get(municipality__name=MELLERUD, period="2026-12")
    client = web_as("ekonom")
    few, _r = page_query_count(client, f"/fakturering/underlag/{invoice.pk}/")
    unit = demo.node("Hemtjänst norr", municipality=MELLERUD)
    for i in range(120):
        services.usage_record(
            actor=ekonom,
            unit=unit,
            service="Leverans",
            quantity="1",
            unit_price="10",
            used_on=dt.date(2026, 12, 1 + i % 28),
        )
    services.billing_run_now(actor=ekonom, cooperation=demo.cooperation, period="2026-12")
    invoice.refresh_from_db()
    assert invoice.lines.count() > 120
    many, r = page_query_count(client, f"/fakturering/underlag/{invoice.pk}/?page=2")
    assert many == few
    html = r.content.decode()
    assert "Sida 2 av" in html
    assert html.count("<td>Förbrukning</td>") <= 100
