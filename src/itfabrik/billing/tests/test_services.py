"""Billing's services against the loaded demo: every rule and every bad input (clear error,
nothing changed)."""

from __future__ import annotations

import datetime as dt
import os
import threading
from decimal import Decimal
from typing import Any

import pytest

from itfabrik.billing import selectors, services
from itfabrik.billing.choices import InvoiceStatus, KeyMethod, LineKind, RunStatus
from itfabrik.billing.models import Invoice, InvoiceLine, UsageRecord
from itfabrik.billing.sources import Period
from itfabrik.core.actors import SYSTEM
from itfabrik.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from itfabrik.core.tests import assert_unchanged, db_state
from itfabrik.tenancy import services as tenancy_services

MELLERUD = "Melleruds kommun"


def unit(demo: Any, municipality: str = MELLERUD) -> Any:
    from itfabrik.tenancy.models import OrgNode

    return (
        OrgNode.objects.filter(municipality__name=municipality, kind="unit")
        .exclude(cost_centre="")
        .order_by("path")
        .first()
    )


def lines_of(invoice: Invoice) -> list[tuple[Any, ...]]:
    return list(
        InvoiceLine.objects.filter(invoice=invoice)
        .order_by("position")
        .values_list("position", "kind", "amount", "unit_id", "cost_pool_id", "usage_record_id")
    )


def test_the_demo_has_january_to_november_approved_and_december_a_draft(demo: Any) -> None:
    statuses = dict(
        Invoice.objects.filter(municipality__name=MELLERUD).values_list("period", "status")
    )
    assert {p: s for p, s in statuses.items() if p < "2026-12"} == {
        f"2026-{m:02d}": InvoiceStatus.APPROVED for m in range(1, 12)
    }
    assert statuses["2026-12"] == InvoiceStatus.DRAFT
    # Dals-Ed is no member: it gets nothing.
    assert not Invoice.objects.filter(municipality__name="Dals-Eds kommun").exists()


def test_bas_it_is_split_equally_and_the_year_sums_to_the_budget(demo: Any, bas_it: Any) -> None:
    shared = InvoiceLine.objects.filter(cost_pool=bas_it, invoice__period__startswith="2026-")
    total = sum(shared.values_list("amount", flat=True), Decimal(0))
    assert total == bas_it.budgets.get(year=2026).amount
    january = sorted(shared.filter(invoice__period="2026-01").values_list("amount", flat=True))
    assert sum(january) == Decimal("800000.00")
    assert january[-1] - january[0] <= Decimal("0.01")
    line = shared.filter(invoice__period="2026-01").first()
    assert line is not None
    assert line.kind == LineKind.SHARED
    assert line.unit_id is None
    assert line.source["decision"] == "ITR-2025-011 (exempel)"


def test_an_invoice_total_is_the_sum_of_its_lines(demo: Any) -> None:
    for invoice in Invoice.objects.all():
        assert invoice.total == sum(invoice.lines.values_list("amount", flat=True), Decimal(0)), (
            invoice
        )


def test_rerunning_a_draft_gives_exactly_the_same_result(demo: Any) -> None:
    coop = demo.cooperation
    december = Invoice.objects.get(municipality__name=MELLERUD, period="2026-12")
    before = lines_of(december)
    run = services.billing_run_now(actor=demo.user("ekonom"), cooperation=coop, period="2026-12")
    assert run.status == RunStatus.DONE
    again = Invoice.objects.get(municipality__name=MELLERUD, period="2026-12")
    assert lines_of(again) == before
    assert again.total == december.total


def test_a_run_over_a_month_with_an_approved_invoice_is_refused(demo: Any) -> None:
    before = db_state()
    with pytest.raises(Conflict) as exc:
        services.billing_run_start(
            actor=demo.user("ekonom"), cooperation=demo.cooperation, period="2026-03"
        )
    assert "2026-03" in str(exc.value.message)
    assert "Mellerud" in str(exc.value.message)
    assert_unchanged(before)


@pytest.mark.parametrize("period", ["2026-13", "26-01", "", "2026-1", "januari"])
def test_a_bad_period_is_refused(demo: Any, period: str) -> None:
    before = db_state()
    with pytest.raises(ValidationFailed) as exc:
        services.billing_run_start(
            actor=demo.user("ekonom"), cooperation=demo.cooperation, period=period
        )
    assert "period" in exc.value.fields
    assert_unchanged(before)


@pytest.mark.parametrize(
    ("user", "error"),
    [("radsmedlem", Forbidden), ("admin", Forbidden), ("bestallare-mellerud", NotFound)],
)
def test_only_finance_may_run(demo: Any, user: str, error: type[Exception]) -> None:
    before = db_state()
    if True:
        with pytest.raises(error):
            services.billing_run_start(
                actor=demo.user(user), cooperation=demo.cooperation, period="2027-01"
            )
    assert_unchanged(before)


def test_usage_in_the_month_is_charged_to_the_units_cost_centre(demo: Any) -> None:
    u = unit(demo)
    rec = services.usage_record(
        actor=demo.user("ekonom"),
        unit=u,
        service="Platsbesök",
        quantity="1,5",
        unit_price="850",
        used_on=dt.date(2026, 12, 20),
    )
    assert rec.amount == Decimal("1275.00")
    assert rec.cost_centre == u.cost_centre
    services.billing_run_now(
        actor=demo.user("ekonom"), cooperation=demo.cooperation, period="2026-12"
    )
    line = InvoiceLine.objects.get(usage_record=rec)
    assert (line.kind, line.amount, line.unit_id, line.cost_centre) == (
        LineKind.CONSUMPTION,
        Decimal("1275.00"),
        u.pk,
        u.cost_centre,
    )
    assert line.source == {
        "type": "usage_record",
        "usage_record": rec.pk,
        "used_on": "2026-12-20",
        "corrects": None,
        "is_credit": False,
    }


def test_a_correction_of_an_approved_month_lands_in_the_next_open_month(demo: Any) -> None:
    ekonom = demo.user("ekonom")
    approved = UsageRecord.objects.filter(
        municipality__name=MELLERUD, used_on__month=3, is_credit=False
    ).first()
    assert approved is not None
    march = Invoice.objects.get(municipality__name=MELLERUD, period="2026-03")
    march_lines = lines_of(march)
    credit, new = services.usage_correct(
        actor=ekonom, record=approved, reason="Fel antal", quantity=approved.quantity + 1
    )
    services.billing_run_now(actor=ekonom, cooperation=demo.cooperation, period="2026-12")
    dec_lines = InvoiceLine.objects.filter(
        invoice__period="2026-12", usage_record__in=[credit, new]
    )
    kinds = {line.usage_record_id: (line.kind, line.amount) for line in dec_lines}
    assert kinds == {
        credit.pk: (LineKind.CORRECTION, -approved.amount),
        new.pk: (LineKind.CORRECTION, approved.amount + approved.unit_price),
    }
    # The approved invoice never changes.
    assert lines_of(Invoice.objects.get(pk=march.pk)) == march_lines
    # A record is credited once.
    before = db_state()
    with pytest.raises(Conflict):
        services.usage_credit(actor=ekonom, record=approved, reason="igen")
    assert_unchanged(before)


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"quantity": "0"}, "quantity"),
        ({"quantity": "-1"}, "quantity"),
        ({"quantity": "1.234"}, "quantity"),
        ({"quantity": "abc"}, "quantity"),
        ({"unit_price": "-5"}, "unit_price"),
        ({"unit_price": "x"}, "unit_price"),
        ({"service": " "}, "service"),
    ],
)
def test_bad_usage_is_refused(demo: Any, values: dict[str, str], field: str) -> None:
    args: dict[str, Any] = {
        "service": "Platsbesök",
        "quantity": "1",
        "unit_price": "850",
        "used_on": dt.date(2026, 12, 1),
        **values,
    }
    before = db_state()
    with pytest.raises(ValidationFailed) as exc:
        services.usage_record(actor=demo.user("ekonom"), unit=unit(demo), **args)
    assert field in exc.value.fields
    assert_unchanged(before)


def test_usage_on_a_unit_out_of_reach_is_not_found(demo: Any) -> None:
    before = db_state()
    with pytest.raises(NotFound):
        services.usage_record(
            actor=demo.user("bestallare-mellerud"),
            unit=unit(demo),
            service="x",
            quantity="1",
            unit_price="1",
            used_on=dt.date(2026, 12, 1),
        )
    assert_unchanged(before)


CSV_GOOD = (
    "kommunkod;kostnadsstalle;tjanst;beskrivning;antal;a_pris;datum\n"
    "{code};{cc};Konsulttimme;Nätverk;2,5;650,00;2026-12-03\n"
    "{code};{cc};Platsbesök;;1;850;2026-12-04\n"
)


def test_csv_import_dry_run_lists_every_bad_row_and_writes_nothing(demo: Any) -> None:
    u = unit(demo)
    data = CSV_GOOD.format(code="1461", cc=u.cost_centre) + (
        "1461;NOPE;Platsbesök;;1;850;2026-12-04\n"
        f"1461;{u.cost_centre};Platsbesök;;-1;850;2026-12-04\n"
        f"1461;{u.cost_centre};;;1;850;2026-13-04\n"
    )
    before = db_state()
    result = services.usage_import_csv(
        actor=demo.user("ekonom"), cooperation=demo.cooperation, data=data, dry_run=True
    )
    assert (result.rows, result.written) == (5, 0)
    assert [e["row"] for e in result.errors] == [4, 5, 6]
    assert len(result.errors[2]["messages"]) == 2  # bad date and no service
    assert_unchanged(before)
    with pytest.raises(ValidationFailed):
        services.usage_import_csv(
            actor=demo.user("ekonom"), cooperation=demo.cooperation, data=data, dry_run=False
        )
    assert_unchanged(before)


def test_csv_import_real_run_writes_every_row(demo: Any) -> None:
    u = unit(demo)
    data = CSV_GOOD.format(code="1461", cc=u.cost_centre).encode("utf-8-sig")
    count = UsageRecord.objects.count()
    result = services.usage_import_csv(
        actor=demo.user("ekonom"), cooperation=demo.cooperation, data=data, dry_run=False
    )
    assert (result.rows, result.written, result.errors) == (2, 2, [])
    assert UsageRecord.objects.count() == count + 2
    assert UsageRecord.objects.filter(unit=u, amount=Decimal("1625.00")).exists()


def test_csv_without_the_columns_is_refused(demo: Any) -> None:
    with pytest.raises(ValidationFailed) as exc:
        services.usage_import_csv(
            actor=demo.user("ekonom"), cooperation=demo.cooperation, data="a;b\n1;2\n", dry_run=True
        )
    assert "kommunkod" in str(exc.value.fields["file"][0])


def test_overlapping_keys_are_refused_naming_the_clash(demo: Any, bas_it: Any) -> None:
    before = db_state()
    with pytest.raises(ValidationFailed) as exc:
        services.key_adopt(
            actor=demo.user("ekonom"),
            pool=bas_it,
            method=KeyMethod.INHABITANTS,
            valid_from=dt.date(2027, 1, 1),
            decision_reference="ITR-2026-001",
        )
    message = str(exc.value.fields["valid_from"][0])
    assert "ITR-2025-011 (exempel)" in message
    assert "2026-01-01" in message
    assert_unchanged(before)


def test_a_key_can_follow_an_ended_one_and_applies_from_its_month(demo: Any, bas_it: Any) -> None:
    ekonom = demo.user("ekonom")
    current = bas_it.keys.get()
    services.key_end(actor=ekonom, key=current, valid_to=dt.date(2026, 11, 30))
    key = services.key_adopt(
        actor=ekonom,
        pool=bas_it,
        method=KeyMethod.INHABITANTS,
        valid_from=dt.date(2026, 12, 1),
        decision_reference="ITR-2026-009",
    )
    services.billing_run_now(actor=ekonom, cooperation=demo.cooperation, period="2026-12")
    lines = InvoiceLine.objects.filter(invoice__period="2026-12", cost_pool=bas_it)
    assert {line.allocation_key_id for line in lines} == {key.pk}
    by_name = {line.invoice.municipality.name: line.amount for line in lines}
    assert by_name["Åmåls kommun"] > by_name["Färgelanda kommun"]
    assert sum(by_name.values()) == Decimal("800000.00")


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"valid_from": dt.date(2027, 1, 15)}, "valid_from"),
        ({"valid_to": dt.date(2027, 2, 14)}, "valid_to"),
        ({"decision_reference": " "}, "decision_reference"),
        ({"method": "assets"}, "method"),
        ({"method": KeyMethod.PERCENTAGES, "percentages": {}}, "percentages"),
        ({"percentages": {"1": "50"}}, "percentages"),
    ],
)
def test_bad_keys_are_refused(demo: Any, fund: Any, kwargs: dict[str, Any], field: str) -> None:
    args: dict[str, Any] = {
        "method": KeyMethod.EQUAL,
        "valid_from": dt.date(2030, 1, 1),
        "decision_reference": "X",
        **kwargs,
    }
    before = db_state()
    with pytest.raises(ValidationFailed) as exc:
        services.key_adopt(actor=demo.user("ekonom"), pool=fund, **args)
    assert field in exc.value.fields
    assert_unchanged(before)


def _members(demo: Any) -> list[Any]:
    return services.member_municipalities(cooperation=demo.cooperation)


@pytest.mark.parametrize(
    "values",
    [["25", "25", "25", "24"], ["101", "0", "0", "-1"], ["25", "25", "25", "x"]],
)
def test_fixed_percentages_must_be_0_to_100_and_sum_to_100(
    demo: Any, bas_it: Any, values: list[str]
) -> None:
    pct = {str(m.pk): v for m, v in zip(_members(demo), values, strict=True)}
    with pytest.raises(ValidationFailed) as exc:
        services.key_adopt(
            actor=demo.user("ekonom"),
            pool=bas_it,
            method=KeyMethod.PERCENTAGES,
            valid_from=dt.date(2030, 1, 1),
            decision_reference="X",
            percentages=pct,
        )
    assert "percentages" in exc.value.fields


def test_a_member_joining_mid_month_pays_by_the_day(demo: Any, bas_it: Any) -> None:
    ekonom = demo.user("ekonom")
    dals_ed = demo.node("Dals-Eds kommun")
    tenancy_services.municipality_join(
        actor=SYSTEM,
        cooperation=demo.cooperation,
        municipality=dals_ed,
        joined_on=dt.date(2026, 12, 17),  # 15 of 31 days
    )
    # The fund's key is by inhabitants, and Dals-Ed has no count yet: the run says so.
    run = services.billing_run_now(actor=ekonom, cooperation=demo.cooperation, period="2026-12")
    assert run.status == RunStatus.FAILED
    assert "Invånarantal saknas för Dals-Eds kommun" in run.message
    tenancy_services.inhabitants_set(
        actor=SYSTEM, municipality=dals_ed, year=2025, inhabitants=4700
    )
    run = services.billing_run_now(actor=ekonom, cooperation=demo.cooperation, period="2026-12")
    assert run.status == RunStatus.DONE, run.message
    shares = {
        line.invoice.municipality.name: line.amount
        for line in InvoiceLine.objects.filter(invoice__period="2026-12", cost_pool=bas_it)
    }
    assert sum(shares.values()) == Decimal("800000.00"), shares
    # Weights 31,31,31,31,15: Dals-Ed pays 15/139 of the month.
    assert abs(shares["Dals-Eds kommun"] - Decimal("800000") * 15 / 139) < Decimal("0.01")
    assert not InvoiceLine.objects.filter(
        invoice__municipality=dals_ed, invoice__period="2026-11"
    ).exists()


def test_two_approvals_at_once_exactly_one_succeeds(demo: Any) -> None:
    invoice = Invoice.objects.get(municipality__name=MELLERUD, period="2026-12")
    ekonom = demo.user("ekonom")
    services.invoice_approve(actor=ekonom, invoice=invoice, expected_version=invoice.version)
    before = db_state()
    with pytest.raises(Conflict):
        services.invoice_approve(actor=ekonom, invoice=invoice, expected_version=invoice.version)
    assert_unchanged(before)


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="two connections approving at once need PostgreSQL (SQLite serialises writers)",
)
def test_concurrent_approvals_exactly_one_succeeds_across_connections(
    demo_reloaded_afterwards: Any, transactional_db: Any
) -> None:
    from django.db import connections

    from itfabrik.accounts.models import User

    invoice = (
        Invoice.objects.filter(status=InvoiceStatus.DRAFT).select_related("municipality").first()
    )
    assert invoice is not None
    ekonom = User.objects.get(username="ekonom")
    version = invoice.version
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def approve() -> None:
        try:
            barrier.wait()
            services.invoice_approve(
                actor=ekonom, invoice=invoice, expected_version=invoice.version
            )
            outcomes.append("ok")
        except Conflict:
            outcomes.append("conflict")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict", "ok"]
    after = Invoice.objects.get(pk=invoice.pk)
    assert (after.status, after.version) == (InvoiceStatus.APPROVED, version + 1)


def test_an_approved_invoice_is_not_changed_by_a_run(demo: Any) -> None:
    invoice = Invoice.objects.get(municipality__name=MELLERUD, period="2026-12")
    services.invoice_approve(actor=demo.user("ekonom"), invoice=invoice)
    before = db_state()
    with pytest.raises(Conflict):
        services.billing_run_now(
            actor=demo.user("ekonom"), cooperation=demo.cooperation, period="2026-12"
        )
    assert_unchanged(before)


def test_fund_balance_and_spending_beyond_it_is_refused(demo: Any, fund: Any) -> None:
    balance = selectors.fund_balance_get(fund)
    contributed = sum(
        InvoiceLine.objects.filter(
            cost_pool=fund, invoice__status=InvoiceStatus.APPROVED
        ).values_list("amount", flat=True),
        Decimal(0),
    )
    assert contributed == Decimal("2200000.00")  # eleven twelfths of 2.4 million
    assert balance == contributed - Decimal("450000.00")
    before = db_state()
    with pytest.raises(ValidationFailed) as exc:
        services.fund_spend(
            actor=demo.user("ekonom"),
            pool=fund,
            initiative="För dyrt",
            amount=balance + Decimal("0.01"),
            spent_on=dt.date(2026, 12, 1),
        )
    assert "amount" in exc.value.fields
    assert_unchanged(before)
    services.fund_spend(
        actor=demo.user("ekonom"),
        pool=fund,
        initiative="Exakt saldot",
        amount=balance,
        spent_on=dt.date(2026, 12, 1),
    )
    assert selectors.fund_balance_get(fund) == 0


def test_fund_contributions_follow_inhabitants(demo: Any, fund: Any) -> None:
    jan = {
        line.invoice.municipality.name: line.amount
        for line in InvoiceLine.objects.filter(invoice__period="2026-01", cost_pool=fund)
    }
    assert sum(jan.values()) == Decimal("200000.00")
    assert jan["Åmåls kommun"] > jan["Melleruds kommun"] > jan["Färgelanda kommun"]


def test_simulation_of_an_inhabitant_key_changes_nothing(demo: Any, bas_it: Any) -> None:
    before = db_state()
    rows = selectors.key_simulation_report(
        actor=demo.user("radsmedlem"), pool=bas_it, year=2026, method=KeyMethod.INHABITANTS
    )
    assert_unchanged(before)
    assert len(rows) == 4
    assert sum(r.current for r in rows) == Decimal("9600000.00")
    assert sum(r.simulated for r in rows) == Decimal("9600000.00")
    assert sum(r.difference for r in rows) == 0
    amal = next(r for r in rows if r.name == "Åmåls kommun")
    assert amal.difference > 0
    assert len(amal.months) == 12
    assert amal.months[0]["current"] == Decimal("200000.00")


def test_figures_per_municipality_year_to_date(demo: Any) -> None:
    figures = selectors.municipality_figure_list(
        actor=demo.user("radsmedlem"), cooperation=demo.cooperation, period=Period(2026, 11)
    )
    assert len(figures) == 4
    for f in figures:
        assert f.year_to_date == f.shared + f.fund + f.consumption
        assert f.shared == Decimal("2200000.00")
        assert f.per_inhabitant is not None
        assert f.per_inhabitant > 0


def test_the_sie_voucher_uses_the_municipalitys_accounts_and_series(demo: Any) -> None:
    from itfabrik.billing import sie

    mellerud = demo.node(MELLERUD)
    ekonom = demo.user("ekonom")
    before = db_state()
    with pytest.raises(ValidationFailed) as exc:
        services.ledger_settings_set(actor=ekonom, municipality=mellerud, counter_account="24x0")
    assert "counter_account" in exc.value.fields
    assert_unchanged(before)
    with pytest.raises(NotFound):
        services.ledger_settings_set(
            actor=demo.user("bestallare-mellerud"), municipality=mellerud, voucher_series="B"
        )
    services.ledger_settings_set(
        actor=ekonom,
        municipality=mellerud,
        voucher_series="IT",
        shared_account="6541",
        counter_account="2441",
    )
    invoice = Invoice.objects.get(municipality=mellerud, period="2026-04")
    file = services.invoice_export(actor=ekonom, invoice=invoice, file_format="sie")
    [voucher] = sie.parse(file.data).vouchers
    assert voucher.series == "IT"
    accounts = {t.account for t in voucher.transactions}
    assert {"6541", "2441", "6560", "6550"} == accounts
    counter = [t for t in voucher.transactions if t.account == "2441"]
    assert len(counter) == 1
    assert counter[0].amount == -invoice.total


def test_csv_rows_with_too_many_or_too_few_fields_are_listed_not_a_crash(demo: Any) -> None:
    u = unit(demo)
    data = (
        "kommunkod;kostnadsstalle;tjanst;beskrivning;antal;a_pris;datum\n"
        f"1461;{u.cost_centre};Timme;;1;650;2026-12-01;extra;fields\n"
        f"1461;{u.cost_centre};Timme\n"
    )
    result = services.usage_import_csv(
        actor=demo.user("ekonom"), cooperation=demo.cooperation, data=data, dry_run=True
    )
    assert [e["row"] for e in result.errors] == [3]
    assert result.rows == 2
