"""The SLA clock on plain values (hypothesis): pauses keep what has run, a due time measured back
gives the target, and a stricter target after a change is never pushed into the future."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from itfabrik.servicedesk import clock
from itfabrik.servicedesk.businesstime import Calendar, business_time_between, swedish_closed_days

from .fixtures import STOCKHOLM

OFFICE = ((dt.time(8), dt.time(16, 30)),)
CAL = Calendar(
    timezone="Europe/Stockholm",
    week=(OFFICE,) * 5 + ((), ()),
    closed_days=swedish_closed_days(range(2025, 2029)),
)
START = dt.datetime(2026, 1, 5, 8, tzinfo=STOCKHOLM)
moments = st.integers(min_value=0, max_value=200 * 24 * 60).map(
    lambda m: START + dt.timedelta(minutes=m)
)
targets = st.integers(min_value=1, max_value=80 * 60).map(lambda m: dt.timedelta(minutes=m))


@settings(max_examples=150, deadline=None)
@given(moments, st.lists(moments, min_size=0, max_size=6), targets)
def test_pauses_keep_accrued_time(
    reported: dt.datetime, stops: list[dt.datetime], target: dt.timedelta
) -> None:
    # Alternate pause/resume at increasing moments after the report.
    times = sorted(t for t in stops if t > reported)
    state = clock.start(reported)
    running_from = reported
    expected = dt.timedelta(0)
    for i, at in enumerate(times):
        if i % 2 == 0:
            expected += business_time_between(CAL, running_from, at)
            state = clock.pause(CAL, state, at)
            assert state.started_at is None
            assert clock.due(CAL, state, target) is None
        else:
            state = clock.resume(state, at)
            running_from = at
    end = (times[-1] if times else reported) + dt.timedelta(days=3)
    if state.started_at is not None:
        expected += business_time_between(CAL, running_from, end)
    assert abs(clock.elapsed(CAL, state, end) - expected) < dt.timedelta(seconds=1)


@settings(max_examples=150, deadline=None)
@given(moments, moments, targets)
def test_due_measured_back_gives_the_target(
    reported: dt.datetime, later: dt.datetime, target: dt.timedelta
) -> None:
    state = clock.start(reported)
    if later > reported:
        state = clock.fold(CAL, state, later)
    due = clock.due(CAL, state, target)
    assert due is not None
    if state.accrued < target:
        assert clock.elapsed(CAL, state, due) == target
    else:
        assert due <= max(later, reported)


@settings(max_examples=100, deadline=None)
@given(moments, targets, targets)
def test_a_stricter_target_keeps_a_breach_in_the_past(
    reported: dt.datetime, first: dt.timedelta, second: dt.timedelta
) -> None:
    state = clock.start(reported)
    previous = clock.due(CAL, state, first)
    assert previous is not None
    later = previous + dt.timedelta(days=10)
    folded = clock.fold(CAL, state, later)
    due = clock.due(CAL, folded, min(first, second), previous=previous)
    assert due is not None
    assert due <= later
