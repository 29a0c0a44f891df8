"""The interfaces other checks rely on: runs, invoices with lines, exports, simulations."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

from openpyxl import load_workbook

from itfabrik.billing import sie
from itfabrik.billing.choices import InvoiceStatus
from itfabrik.billing.models import Invoice
from itfabrik.core.tests import assert_error, assert_unchanged, db_state, list_query_count

MELLERUD = "Melleruds kommun"


def test_a_run_creates_or_refreshes_the_drafts_and_answers_with_them(api_as: Any) -> None:
    r = api_as("ekonom").post("/api/v1/billing/runs/", {"period": "2026-12"}, format="json")
    assert r.status_code == 201, r.content
    body = r.json()
    assert (body["period"], body["status"], body["progress"]) == ("2026-12", "done", 100)
    assert len(body["invoices"]) == 4
    for invoice in body["invoices"]:
        assert invoice["period"] == "2026-12"
        assert invoice["status"] == "draft"
        assert Decimal(invoice["total"]) == sum(Decimal(x["amount"]) for x in invoice["lines"])
    again = api_as("ekonom").post("/api/v1/billing/runs/", {"period": "2026-12"}, format="json")
    assert again.json()["invoices"] == body["invoices"]  # same ids, same lines: idempotent


def test_a_run_over_an_approved_month_is_refused_and_changes_nothing(api_as: Any) -> None:
    client = api_as("ekonom")
    before = db_state()
    error = assert_error(
        client.post("/api/v1/billing/runs/", {"period": "2026-01"}, format="json"),
        409,
        "period_closed",
    )
    assert "2026-01" in error["messages"]["sv"]
    assert_unchanged(before)


def test_a_bad_period_is_a_400(api_as: Any) -> None:
    r = api_as("ekonom").post("/api/v1/billing/runs/", {"period": "2026-13"}, format="json")
    assert "period" in assert_error(r, 400, "invalid")["fields"]


def test_invoices_by_period_and_municipality(api_as: Any, demo: Any) -> None:
    mellerud = demo.node(MELLERUD)
    r = api_as("ekonom").get(
        "/api/v1/billing/invoices/", {"period": "2026-01", "municipality": mellerud.pk}
    )
    assert r.status_code == 200
    [invoice] = r.json()["results"]
    assert set(invoice) >= {"id", "municipality", "period", "status", "total", "lines"}
    assert (invoice["municipality"], invoice["period"], invoice["status"]) == (
        mellerud.pk,
        "2026-01",
        "approved",
    )
    assert isinstance(invoice["total"], str)
    kinds = {line["kind"] for line in invoice["lines"]}
    assert kinds == {"shared", "fund", "consumption"}
    for line in invoice["lines"]:
        assert isinstance(line["amount"], str)
        assert "unit" in line
        assert line["service"] or line["cost_pool"]
        assert line["source"]["type"] in {"pool_allocation", "usage_record", "subscription"}
        if line["kind"] == "shared":
            assert line["unit"] is None
            assert line["cost_pool"] == "Bas-IT"
            assert line["source"]["decision"] == "ITR-2025-011 (exempel)"
        if line["kind"] == "consumption":
            assert line["unit"] is not None
    assert Decimal(invoice["total"]) == sum(Decimal(x["amount"]) for x in invoice["lines"])
    # The catalogue's subscriptions are charged too, each line naming its price-list version.
    subscribed = [x for x in invoice["lines"] if x["source"]["type"] == "subscription"]
    assert subscribed
    assert all(x["source"]["price_list_name"] for x in subscribed)
    assert all(x["unit"] is not None and x["kind"] == "consumption" for x in subscribed)


def test_the_invoice_list_answers_in_a_constant_number_of_queries(api_as: Any) -> None:
    client = api_as("ekonom")
    few, rows_few = list_query_count(client, "/api/v1/billing/invoices/", period="2026-01")
    many, rows_many = list_query_count(client, "/api/v1/billing/invoices/", year=2026)
    assert rows_many > rows_few
    assert many == few


def test_approve_then_a_second_approval_is_a_conflict(api_as: Any) -> None:
    invoice = Invoice.objects.get(municipality__name=MELLERUD, period="2026-12")
    url = f"/api/v1/billing/invoices/{invoice.pk}/approve/"
    r = api_as("ekonom").post(url, {"version": invoice.version}, format="json")
    assert r.status_code == 200
    assert r.json()["status"] == "approved"
    before = db_state()
    assert_error(
        api_as("ekonom").post(url, {"version": invoice.version}, format="json"), 409, "not_draft"
    )
    assert_unchanged(before)


def _export(api_as: Any, invoice: Invoice, fmt: str, user: str = "ekonom") -> Any:
    return api_as(user).get(f"/api/v1/billing/invoices/{invoice.pk}/export/", {"format": fmt})


def test_the_sie_export_parses_back_balanced_with_the_cost_centres(api_as: Any) -> None:
    invoice = Invoice.objects.get(municipality__name=MELLERUD, period="2026-03")
    r = _export(api_as, invoice, "sie")
    assert r.status_code == 200
    assert r["Content-Disposition"].endswith('.se"')
    data = r.content
    assert data.startswith(b"#FLAGGA 0\r\n")
    assert b"#SIETYP 4\r\n" in data
    parsed = sie.parse(data)
    [voucher] = parsed.vouchers
    assert voucher.total() == 0
    debits = sum((t.amount for t in voucher.transactions if t.amount > 0), Decimal(0))
    assert debits == invoice.total
    centres = {code for t in voucher.transactions for _dim, code in t.objects}
    expected = set(invoice.lines.exclude(cost_centre="").values_list("cost_centre", flat=True))
    assert centres == expected
    assert parsed.company_name == MELLERUD
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.EXPORTED


def test_a_draft_cannot_go_to_the_ledger(api_as: Any) -> None:
    invoice = Invoice.objects.get(municipality__name=MELLERUD, period="2026-12")
    client = api_as("ekonom")
    before = db_state()
    r = client.get(f"/api/v1/billing/invoices/{invoice.pk}/export/", {"format": "sie"})
    assert_error(r, 400, "invalid")
    assert_unchanged(before)


def test_csv_xlsx_and_pdf_exports(api_as: Any) -> None:
    invoice = Invoice.objects.get(municipality__name=MELLERUD, period="2026-02")
    n = invoice.lines.count()
    r = _export(api_as, invoice, "csv")
    assert r.status_code == 200
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Rad"
    assert len(rows) == n + 2
    assert rows[-1][-2] == f"{invoice.total:.2f}".replace(".", ",")
    r = _export(api_as, invoice, "xlsx")
    assert r.status_code == 200
    sheet = load_workbook(io.BytesIO(r.content)).active
    assert sheet is not None
    assert Decimal(str(sheet.cell(row=3 + n + 1, column=9).value)) == invoice.total
    r = _export(api_as, invoice, "pdf")
    assert r.status_code == 200
    assert r.content.startswith(b"%PDF")
    assert_error(_export(api_as, invoice, "doc"), 400, "invalid")


def test_simulation_answers_current_and_simulated_per_municipality(api_as: Any) -> None:
    client = api_as("radsmedlem")
    before = db_state()
    r = client.post(
        "/api/v1/billing/simulations/", {"year": 2026, "method": "inhabitants"}, format="json"
    )
    assert r.status_code == 200, r.content
    rows = r.json()["municipalities"]
    assert len(rows) == 4
    assert sum(Decimal(x["current"]) for x in rows) == Decimal("9600000.00")
    assert sum(Decimal(x["simulated"]) for x in rows) == Decimal("9600000.00")
    for x in rows:
        assert Decimal(x["difference"]) == Decimal(x["simulated"]) - Decimal(x["current"])
        assert len(x["months"]) == 12
    assert_unchanged(before)


def test_simulation_of_bad_percentages_is_a_400(api_as: Any, demo: Any) -> None:
    mellerud = demo.node(MELLERUD)
    r = api_as("ekonom").post(
        "/api/v1/billing/simulations/",
        {"year": 2026, "method": "percentages", "percentages": {str(mellerud.pk): "100.5"}},
        format="json",
    )
    assert "percentages" in assert_error(r, 400, "invalid")["fields"]


def test_usage_create_correct_and_import(api_as: Any, demo: Any) -> None:
    unit = demo.node("Hemtjänst norr", municipality=MELLERUD)
    client = api_as("ekonom")
    r = client.post(
        "/api/v1/billing/usage/",
        {
            "unit": unit.pk,
            "service": "Platsbesök",
            "quantity": "2",
            "unit_price": "850.00",
            "used_on": "2026-12-10",
        },
        format="json",
    )
    assert r.status_code == 201, r.content
    record = r.json()
    assert (record["amount"], record["cost_centre"]) == ("1700.00", unit.cost_centre)
    r = client.post(
        f"/api/v1/billing/usage/{record['id']}/correct/",
        {"reason": "Ett besök", "quantity": "1"},
        format="json",
    )
    assert r.status_code == 201
    assert [x["amount"] for x in r.json()] == ["-1700.00", "850.00"]
    body = f"kommunkod;kostnadsstalle;tjanst;beskrivning;antal;a_pris;datum\n1461;{unit.cost_centre};Timme;;x;650;2026-12-01\n"
    f = io.BytesIO(body.encode())
    f.name = "import.csv"
    r = client.post(
        "/api/v1/billing/usage/import/", {"file": f, "dry_run": "true"}, format="multipart"
    )
    assert r.status_code == 200, r.content
    assert [e["row"] for e in r.json()["errors"]] == [2]


def test_pools_with_budgets_and_key_versions(api_as: Any, bas_it: Any) -> None:
    r = api_as("radsmedlem").get("/api/v1/billing/pools/")
    assert r.status_code == 200
    pools = {p["code"]: p for p in r.json()}
    assert pools["bas-it"]["budgets"][0] == {
        "year": 2026,
        "amount": "9600000.00",
        "note": "Exempelbudget",
    }
    assert pools["bas-it"]["keys"][0]["decision_reference"] == "ITR-2025-011 (exempel)"
    assert pools["digitaliseringsfond"]["keys"][0]["method"] == "inhabitants"


def test_ending_a_key_and_adopting_the_next_through_the_api(api_as: Any, bas_it: Any) -> None:
    client = api_as("ekonom")
    key = bas_it.keys.get()
    url = f"/api/v1/billing/pools/{bas_it.pk}/"
    overlap = client.post(
        f"{url}keys/",
        {"method": "inhabitants", "valid_from": "2027-01-01", "decision_reference": "ITR-2026-020"},
        format="json",
    )
    assert (
        "ITR-2025-011"
        in assert_error(overlap, 400, "invalid")["fields"]["valid_from"][0]["messages"]["sv"]
    )
    r = client.post(f"{url}end-key/", {"key": key.pk, "valid_to": "2026-12-31"}, format="json")
    assert r.status_code == 200
    r = client.post(
        f"{url}keys/",
        {"method": "inhabitants", "valid_from": "2027-01-01", "decision_reference": "ITR-2026-020"},
        format="json",
    )
    assert r.status_code == 200
    assert [k["method"] for k in r.json()["keys"]] == ["inhabitants", "equal"]


def test_fund_balance_and_spending_through_the_api(api_as: Any, fund: Any) -> None:
    client = api_as("ekonom")
    url = f"/api/v1/billing/pools/{fund.pk}/fund/"
    r = client.get(url)
    assert r.status_code == 200
    assert r.json()["balance"] == "1750000.00"
    too_much = {"initiative": "X", "amount": "1750000.01", "spent_on": "2026-12-01"}
    before = db_state()
    assert (
        "amount"
        in assert_error(client.post(url, too_much, format="json"), 400, "invalid")["fields"]
    )
    assert_unchanged(before)
    r = client.post(
        url,
        {
            "initiative": "E-arkiv",
            "reference": "PORT-2026-002",
            "amount": "50000",
            "spent_on": "2026-12-01",
        },
        format="json",
    )
    assert r.status_code == 200
    assert r.json()["balance"] == "1700000.00"
    assert api_as("radsmedlem").post(url, too_much, format="json").status_code == 403
