"""The pure rules: transition table, quantities, overlap of periods, approval, days."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from itfabrik.catalog import rules

dates = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 12, 31))
statuses = st.sampled_from(sorted(rules.TRANSITIONS))


def test_the_transition_table_is_the_documented_flow() -> None:
    assert rules.TRANSITIONS["draft"] == {"submitted", "cancelled"}
    assert rules.TRANSITIONS["submitted"] == {"approved", "rejected", "cancelled"}
    assert rules.TRANSITIONS["approved"] == {"delivering"}
    assert rules.TRANSITIONS["delivering"] == {"delivered"}
    assert {"rejected", "delivered", "cancelled"} == rules.FINAL


@given(statuses, statuses)
def test_no_way_out_of_a_final_status_and_no_self_loops(a: str, b: str) -> None:
    if a in rules.FINAL or a == b:
        assert not rules.can_transition(a, b)


@given(statuses)
def test_every_status_is_reachable_from_draft(target: str) -> None:
    seen, todo = {"draft"}, ["draft"]
    while todo:
        for nxt in rules.TRANSITIONS[todo.pop()]:
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    assert target in seen


@given(st.integers(min_value=1, max_value=rules.MAX_QUANTITY))
def test_whole_positive_quantities_are_accepted_in_every_form(n: int) -> None:
    assert rules.parse_quantity(n) == n
    assert rules.parse_quantity(str(n)) == n
    assert rules.parse_quantity(Decimal(n)) == n
    assert rules.parse_quantity(float(n)) == n


@given(st.integers(max_value=0))
def test_zero_and_negative_quantities_are_refused(n: int) -> None:
    with pytest.raises(rules.QuantityError):
        rules.parse_quantity(n)


@given(
    st.decimals(allow_nan=False, allow_infinity=False, min_value=-1000, max_value=1000).filter(
        lambda d: d != d.to_integral_value()
    )
)
def test_fractions_are_refused(d: Decimal) -> None:
    for value in (d, str(d)):
        with pytest.raises(rules.QuantityError):
            rules.parse_quantity(value)


@pytest.mark.parametrize(
    "value",
    [True, False, None, "", "tre", "1,5", "1e400", "nan", "inf", 1.5, [], rules.MAX_QUANTITY + 1],
)
def test_other_bad_quantities_are_refused(value: Any) -> None:
    with pytest.raises(rules.QuantityError):
        rules.parse_quantity(value)


@given(dates, st.none() | dates, dates, st.none() | dates)
def test_overlap_is_symmetric_and_means_a_shared_day(
    a_from: dt.date, a_to: dt.date | None, b_from: dt.date, b_to: dt.date | None
) -> None:
    if a_to is not None and a_to < a_from:
        a_from, a_to = a_to, a_from
    if b_to is not None and b_to < b_from:
        b_from, b_to = b_to, b_from
    result = rules.periods_overlap(a_from, a_to, b_from, b_to)
    assert result == rules.periods_overlap(b_from, b_to, a_from, a_to)
    shared = rules.days_in_period(a_from, a_to, b_from, b_to or dt.date(2100, 12, 31))
    assert result == (shared > 0)


@given(st.lists(st.tuples(dates, st.integers(min_value=0, max_value=400)), max_size=8), dates)
def test_first_overlap_names_a_clashing_version(versions: Any, new_from: dt.date) -> None:
    rows = [(i, d, d + dt.timedelta(days=n)) for i, (d, n) in enumerate(versions)]
    new_to = new_from + dt.timedelta(days=30)
    clash = rules.first_overlap(rows, new_from, new_to)
    clashing = [k for k, f, t in rows if rules.periods_overlap(f, t, new_from, new_to)]
    assert clash == (clashing[0] if clashing else None)


def test_adjacent_versions_do_not_overlap() -> None:
    assert not rules.periods_overlap(
        dt.date(2026, 1, 1), dt.date(2026, 12, 31), dt.date(2027, 1, 1), None
    )
    assert rules.periods_overlap(dt.date(2026, 1, 1), None, dt.date(2030, 1, 1), None)


@given(st.lists(st.sampled_from(rules.APPROVAL_ORDER)))
def test_strictest_approval(levels: list[str]) -> None:
    result = rules.strictest_approval(levels)
    assert result == (max(levels, key=rules.APPROVAL_ORDER.index) if levels else "none")


@given(
    dates, st.integers(min_value=0, max_value=800), dates, st.integers(min_value=0, max_value=60)
)
def test_days_in_period_are_the_days_of_both(
    start: dt.date, length: int, p_start: dt.date, p_length: int
) -> None:
    end = start + dt.timedelta(days=length)
    p_end = p_start + dt.timedelta(days=p_length)
    expected = sum(1 for i in range(p_length + 1) if start <= p_start + dt.timedelta(days=i) <= end)
    assert rules.days_in_period(start, end, p_start, p_end) == expected
    assert 0 <= rules.days_in_period(start, None, p_start, p_end) <= p_length + 1


def test_a_change_on_the_first_of_march_splits_the_days() -> None:
    jan, mar = dt.date(2026, 1, 1), dt.date(2026, 3, 1)
    feb_end = dt.date(2026, 2, 28)
    assert rules.days_in_period(jan, feb_end, dt.date(2026, 2, 1), feb_end) == 28
    assert rules.days_in_period(mar, None, dt.date(2026, 2, 1), feb_end) == 0
