"""Properties of billing's own pieces (hypothesis): a pool's month split sums exactly and leaves
out non-members; a year's twelfths sum to the budget; an invoice's total is the sum of its
lines, however the usage looks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from itfabrik.billing import services
from itfabrik.billing.choices import KeyMethod, RunStatus
from itfabrik.billing.models import Invoice, UsageRecord
from itfabrik.billing.sources import BillingContext, Period, allocate_pool_month, monthly_amount

money = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)
periods = st.builds(Period, st.integers(2020, 2030), st.integers(1, 12))


@given(money, periods, st.dictionaries(st.integers(1, 50), st.integers(0, 31), min_size=1))
def test_a_month_is_split_exactly_and_only_between_members_with_days(
    amount: Decimal, period: Period, days: dict[int, int]
) -> None:
    in_month = (period.last - period.first).days + 1
    days = {k: min(v, in_month) for k, v in days.items() if v > 0}
    ctx = BillingContext(cooperation=None, period=period, member_days=days, names={})  # type: ignore[arg-type]
    if not days:
        assert (
            allocate_pool_month(amount=amount, method=KeyMethod.EQUAL, percentages={}, ctx=ctx)
            == {}
        )
        return
    parts = allocate_pool_month(amount=amount, method=KeyMethod.EQUAL, percentages={}, ctx=ctx)
    assert sum(parts.values()) == amount
    assert set(parts) == set(days)
    full = [parts[k] for k, v in days.items() if v == in_month]
    if full:
        assert max(full) - min(full) <= Decimal("0.01")


@given(money)
def test_twelve_months_sum_to_the_years_budget(budget: Decimal) -> None:
    assert sum(monthly_amount(budget, m) for m in range(1, 13)) == budget


usage = st.lists(
    st.tuples(
        st.decimals(min_value=Decimal("0.01"), max_value=1000, places=2),
        st.decimals(min_value=0, max_value=100000, places=2),
        st.integers(1, 31),
    ),
    min_size=1,
    max_size=6,
)


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(usage)
def test_an_invoice_total_is_the_sum_of_its_lines(demo: Any, records: list[Any]) -> None:
    ekonom = demo.user("ekonom")
    unit = demo.node("Hemtjänst norr", municipality="Melleruds kommun")
    for quantity, price, day in records:
        services.usage_record(
            actor=ekonom,
            unit=unit,
            service="Timme",
            quantity=quantity,
            unit_price=price,
            used_on=dt.date(2026, 12, day),
        )
    run = services.billing_run_now(actor=ekonom, cooperation=demo.cooperation, period="2026-12")
    assert run.status == RunStatus.DONE
    for invoice in Invoice.objects.filter(period="2026-12"):
        assert invoice.total == sum(invoice.lines.values_list("amount", flat=True), Decimal(0))
    december = Invoice.objects.get(period="2026-12", municipality=unit.municipality)
    consumption = sum(
        december.lines.filter(kind="consumption", usage_record__isnull=False).values_list(
            "amount", flat=True
        ),
        Decimal(0),
    )
    expected = sum(
        UsageRecord.objects.filter(
            municipality=unit.municipality, used_on__year=2026, used_on__month=12
        ).values_list("amount", flat=True),
        Decimal(0),
    )
    assert consumption == expected
