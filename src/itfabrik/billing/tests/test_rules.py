import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from itfabrik.billing.rules import allocate, days_active, membership_weights, month_bounds, prorate

money = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("10000000"), places=2)
months = st.tuples(st.integers(2000, 2100), st.integers(1, 12))
dates = st.dates(min_value=dt.date(1999, 1, 1), max_value=dt.date(2101, 12, 31))


def test_a_whole_month_pays_the_monthly_price() -> None:
    assert prorate(Decimal("450.00"), 2026, 2, dt.date(2025, 1, 1), None) == Decimal("450.00")


def test_half_of_april_pays_half() -> None:
    assert prorate(Decimal("300.00"), 2026, 4, dt.date(2026, 4, 16), None) == Decimal("150.00")


def test_a_subscription_that_ended_before_the_month_pays_nothing() -> None:
    assert prorate(Decimal("300"), 2026, 5, dt.date(2026, 1, 1), dt.date(2026, 4, 30)) == 0


@given(money, months, dates, st.one_of(st.none(), dates))
def test_nothing_is_charged_for_days_outside_the_subscription(
    monthly: Decimal, ym: tuple[int, int], start: dt.date, end: dt.date | None
) -> None:
    year, month = ym
    first, last = month_bounds(year, month)
    charged = prorate(monthly, year, month, start, end)
    outside = start > last or (end is not None and (end < first or end < start))
    if outside:
        assert charged == 0
    assert Decimal("0") <= charged <= monthly


@given(money, months, st.dictionaries(st.text(min_size=1, max_size=3),
       st.tuples(dates, st.one_of(st.none(), dates)), min_size=1, max_size=6))  # fmt: skip
def test_members_pay_by_the_day_and_the_parts_sum_to_the_pool(
    amount: Decimal, ym: tuple[int, int], memberships: dict[str, tuple[dt.date, dt.date | None]]
) -> None:
    year, month = ym
    weights = membership_weights(year, month, memberships)
    if not any(weights.values()):
        return
    parts = allocate(amount, weights)
    assert sum(parts.values()) == amount
    for key, days in weights.items():
        if days == 0:
            assert parts[key] == 0


@given(money, st.integers(1, 12))
def test_equal_shares_differ_by_at_most_one_ore(amount: Decimal, n: int) -> None:
    parts = allocate(amount, {i: 1 for i in range(n)})
    assert sum(parts.values()) == amount
    assert max(parts.values()) - min(parts.values()) <= Decimal("0.01")


def test_days_active_counts_both_ends() -> None:
    assert days_active(2026, 1, dt.date(2026, 1, 10), dt.date(2026, 1, 10)) == 1
