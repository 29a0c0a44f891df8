"""Day counting for charging devices (pure, hypothesis): which days of a month a device was in
use, and by which unit, from its dated history."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from itfabrik.assets import daycount, rules
from itfabrik.assets.daycount import Step

JUNE = daycount.month_bounds(2026, 6)
D = dt.date


def _oracle(steps: list[Step], first: dt.date, last: dt.date) -> dict[int, set[dt.date]]:
    """Day by day: the last step dated on or before the day decides it."""
    out: dict[int, set[dt.date]] = {}
    day = first
    while day <= last:
        before = [s for s in steps if s.day <= day]
        if before:
            s = before[-1]
            if s.state in daycount.CHARGED_STATES:
                out.setdefault(s.unit, set()).add(day)
        day += dt.timedelta(days=1)
    return out


def _days_of(spans: list[daycount.Span]) -> set[dt.date]:
    out = set()
    for a, b in spans:
        out |= {a + dt.timedelta(days=n) for n in range((b - a).days + 1)}
    return out


steps_st = st.lists(
    st.builds(
        Step,
        day=st.dates(min_value=D(2026, 4, 20), max_value=D(2026, 7, 10)),
        state=st.sampled_from(rules.STATES),
        unit=st.integers(min_value=1, max_value=3),
    ),
    max_size=8,
).map(lambda xs: sorted(xs, key=lambda s: s.day))
months = st.tuples(st.integers(2024, 2028), st.integers(1, 12))


def test_the_examples_of_the_brief() -> None:
    first, last = JUNE
    # Deployed on the 10th of a 30-day month: 21 days.
    spans = daycount.charged_spans(
        [Step(D(2026, 5, 2), "received", 1), Step(D(2026, 6, 10), "deployed", 1)], first, last
    )
    assert spans == {1: [(D(2026, 6, 10), D(2026, 6, 30))]}
    assert daycount.days(spans[1]) == 21
    assert daycount.charge(Decimal("300.00"), 21, 30) == Decimal("210.00")
    # Moved from unit 1 to unit 2 on the 15th: 14 days and 16 days.
    moved = daycount.charged_spans(
        [Step(D(2025, 1, 1), "deployed", 1), Step(D(2026, 6, 15), "deployed", 2)], first, last
    )
    assert {u: daycount.days(s) for u, s in moved.items()} == {1: 14, 2: 16}
    # Into repair on the 20th and back on the 25th: not charged the 20th to the 24th.
    repair = daycount.charged_spans(
        [
            Step(D(2025, 1, 1), "deployed", 1),
            Step(D(2026, 6, 20), "in_repair", 1),
            Step(D(2026, 6, 25), "deployed", 1),
        ],
        first,
        last,
    )
    assert repair == {1: [(D(2026, 6, 1), D(2026, 6, 19)), (D(2026, 6, 25), D(2026, 6, 30))]}
    # Deployed and taken out of use on the same day: that day is not charged.
    assert (
        daycount.charged_spans(
            [Step(D(2026, 6, 5), "deployed", 1), Step(D(2026, 6, 5), "decommissioning", 1)],
            first,
            last,
        )
        == {}
    )


@given(steps=steps_st)
def test_spans_agree_with_counting_day_by_day(steps: list[Step]) -> None:
    first, last = JUNE
    spans = daycount.charged_spans(steps, first, last)
    assert {u: _days_of(s) for u, s in spans.items()} == _oracle(steps, first, last)


@given(steps=steps_st, month=months)
def test_a_day_is_charged_to_one_unit_at_most(steps: list[Step], month: tuple[int, int]) -> None:
    first, last = daycount.month_bounds(*month)
    spans = daycount.charged_spans(steps, first, last)
    seen: set[dt.date] = set()
    for unit_spans in spans.values():
        days = _days_of(unit_spans)
        assert not days & seen
        assert all(first <= d <= last for d in days)
        assert daycount.days(unit_spans) == len(days)  # spans are disjoint and merged
        seen |= days
    assert len(seen) <= (last - first).days + 1


@given(steps=steps_st)
def test_the_months_of_a_year_add_up(steps: list[Step]) -> None:
    """Counting month by month gives the same days as counting the whole period at once."""
    whole = daycount.charged_spans(steps, D(2026, 4, 1), D(2026, 7, 31))
    parts: dict[int, set[dt.date]] = {}
    for m in (4, 5, 6, 7):
        for unit, spans in daycount.charged_spans(steps, *daycount.month_bounds(2026, m)).items():
            parts.setdefault(unit, set()).update(_days_of(spans))
    assert {u: _days_of(s) for u, s in whole.items()} == parts


span_st = st.tuples(
    st.dates(min_value=D(2026, 6, 1), max_value=D(2026, 6, 30)),
    st.integers(min_value=0, max_value=12),
).map(lambda p: (p[0], min(D(2026, 6, 30), p[0] + dt.timedelta(days=p[1]))))


@given(spans=st.lists(span_st, max_size=4), covered=st.lists(span_st, max_size=4))
def test_subtract_removes_exactly_the_covered_days(
    spans: list[daycount.Span], covered: list[daycount.Span]
) -> None:
    rest = daycount.subtract(spans, covered)
    assert _days_of(rest) == _days_of(spans) - _days_of(covered)
    assert daycount.days(rest) == len(_days_of(rest))


@given(spans=st.lists(span_st, max_size=4))
def test_clip_keeps_the_days_inside(spans: list[daycount.Span]) -> None:
    lo, hi = D(2026, 6, 8), D(2026, 6, 20)
    inside = {d for d in _days_of(spans) if lo <= d <= hi}
    assert _days_of(daycount.clip(spans, lo, hi)) == inside


@given(
    price=st.decimals(min_value=0, max_value=5000, places=2, allow_nan=False),
    devices=st.integers(min_value=0, max_value=500),
    month=months,
)
def test_whole_months_pay_the_monthly_price_exactly(
    price: Decimal, devices: int, month: tuple[int, int]
) -> None:
    first, last = daycount.month_bounds(*month)
    in_month = (last - first).days + 1
    assert daycount.charge(price, devices * in_month, in_month) == price * devices


@given(
    price=st.decimals(min_value=0, max_value=5000, places=2, allow_nan=False),
    device_days=st.integers(min_value=0, max_value=3100),
    in_month=st.sampled_from([28, 29, 30, 31]),
)
def test_a_charge_is_by_the_day_to_the_ore(price: Decimal, device_days: int, in_month: int) -> None:
    amount = daycount.charge(price, device_days, in_month)
    assert amount == amount.quantize(daycount.ORE)
    assert abs(amount - price * device_days / in_month) <= Decimal("0.005")
    assert daycount.charge(price, device_days + 1, in_month) >= amount


# --- models: a change of model is a dated step, its days are told apart ------------------------

model_steps_st = st.lists(
    st.builds(
        Step,
        day=st.dates(min_value=D(2026, 4, 20), max_value=D(2026, 7, 10)),
        state=st.sampled_from(rules.STATES),
        unit=st.integers(min_value=1, max_value=3),
        model=st.integers(min_value=1, max_value=3),
    ),
    max_size=8,
).map(lambda xs: sorted(xs, key=lambda s: s.day))


def _oracle_by_model(
    steps: list[Step], first: dt.date, last: dt.date
) -> dict[tuple[int, int], set[dt.date]]:
    out: dict[tuple[int, int], set[dt.date]] = {}
    day = first
    while day <= last:
        before = [s for s in steps if s.day <= day]
        if before and before[-1].state in daycount.CHARGED_STATES:
            out.setdefault((before[-1].unit, before[-1].model), set()).add(day)
        day += dt.timedelta(days=1)
    return out


def test_a_model_changed_on_the_15th_splits_the_month() -> None:
    first, last = JUNE
    steps = [
        Step(D(2026, 5, 2), "deployed", 1, 7),
        Step(D(2026, 6, 15), "deployed", 1, 8),
        Step(D(2026, 6, 20), "deployed", 2, 8),
    ]
    assert daycount.charged_spans_by_model(steps, first, last) == {
        (1, 7): [(D(2026, 6, 1), D(2026, 6, 14))],
        (1, 8): [(D(2026, 6, 15), D(2026, 6, 19))],
        (2, 8): [(D(2026, 6, 20), D(2026, 6, 30))],
    }
    # Per unit, the model change does not split anything.
    assert daycount.charged_spans(steps, first, last) == {
        1: [(D(2026, 6, 1), D(2026, 6, 19))],
        2: [(D(2026, 6, 20), D(2026, 6, 30))],
    }


@given(steps=model_steps_st)
def test_spans_per_model_agree_with_counting_day_by_day(steps: list[Step]) -> None:
    first, last = JUNE
    spans = daycount.charged_spans_by_model(steps, first, last)
    assert {k: _days_of(s) for k, s in spans.items()} == _oracle_by_model(steps, first, last)
    # Summed over models, each unit has exactly its days.
    per_unit: dict[int, set[dt.date]] = {}
    for (unit, _model), model_spans in spans.items():
        days = _days_of(model_spans)
        assert not days & per_unit.get(unit, set())
        per_unit.setdefault(unit, set()).update(days)
    assert per_unit == {
        u: _days_of(s) for u, s in daycount.charged_spans(steps, first, last).items()
    }


recorded_st = st.lists(st.one_of(st.none(), st.integers(1, 4)), max_size=8)


def test_resolve_models_examples() -> None:
    # Steps without a model keep the one before; the first ones take the device's.
    assert daycount.resolve_models([None, 2, None, 3, None], 3) == [3, 2, 2, 3, 3]
    # The device's model is no longer the last step's (an undated change): it applies from the
    # last dated change on.
    assert daycount.resolve_models([1, None, 2, None], 4) == [1, 1, 4, 4]
    assert daycount.resolve_models([1, None, 2, None], 4, undated_change=False) == [1, 1, 2, 2]
    assert daycount.resolve_models([], 4) == []


@given(recorded=recorded_st, current=st.integers(1, 4))
def test_resolve_models_keeps_the_dated_changes(recorded: list[int | None], current: int) -> None:
    dated = daycount.resolve_models(recorded, current, undated_change=False)
    assert len(dated) == len(recorded)
    for i, m in enumerate(dated):
        known = [r for r in recorded[: i + 1] if r is not None]
        assert m == (known[-1] if known else current)
    out = daycount.resolve_models(recorded, current)
    if not out:
        return
    assert out[-1] == current
    # Only the last run of one model changes, and only when it is not the device's model.
    changed = [i for i, (a, b) in enumerate(zip(dated, out, strict=True)) if a != b]
    if dated[-1] == current:
        assert changed == []
    else:
        assert changed == list(range(changed[0], len(out)))
        assert {dated[i] for i in changed} == {dated[-1]}
        assert changed[0] == 0 or dated[changed[0] - 1] != dated[-1]
