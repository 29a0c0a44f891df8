"""The SLA clock on plain values (docs/adr/0019): no database, only `businesstime`.

The resolution clock runs in periods. `accrued` is the business time of every finished period;
`started_at` is the start of the running one (None while paused or stopped). A pause or a
change of calendar folds the running period into `accrued` under the calendar that was in force,
so what has run is never measured again with other opening hours.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from . import businesstime
from .businesstime import Calendar

ZERO = dt.timedelta(0)


@dataclass(frozen=True)
class ClockState:
    accrued: dt.timedelta = ZERO
    started_at: dt.datetime | None = None
    paused_since: dt.datetime | None = None
    paused_total: dt.timedelta = ZERO


def start(at: dt.datetime) -> ClockState:
    return ClockState(started_at=at)


def elapsed(cal: Calendar, state: ClockState, at: dt.datetime) -> dt.timedelta:
    """Business time the clock has run up to `at`."""
    if state.started_at is None or at <= state.started_at:
        return state.accrued
    return state.accrued + businesstime.business_time_between(cal, state.started_at, at)


def fold(cal: Calendar, state: ClockState, at: dt.datetime) -> ClockState:
    """The running period up to `at` added to `accrued`; a new period starts at `at`."""
    if state.started_at is None:
        return state
    return replace(state, accrued=elapsed(cal, state, at), started_at=max(at, state.started_at))


def pause(cal: Calendar, state: ClockState, at: dt.datetime) -> ClockState:
    if state.started_at is None:
        return state
    return replace(fold(cal, state, at), started_at=None, paused_since=at)


def resume(state: ClockState, at: dt.datetime) -> ClockState:
    if state.started_at is not None:
        return state
    paused = ZERO
    if state.paused_since is not None and at > state.paused_since:
        paused = at - state.paused_since
    return replace(
        state, started_at=at, paused_since=None, paused_total=state.paused_total + paused
    )


def stop(cal: Calendar, state: ClockState, at: dt.datetime) -> ClockState:
    """Resolved: the clock stands still without counting as a pause."""
    folded = fold(cal, state, at)
    return replace(folded, started_at=None)


def due(
    cal: Calendar,
    state: ClockState,
    target: dt.timedelta,
    *,
    previous: dt.datetime | None = None,
) -> dt.datetime | None:
    """When the target is used up if the clock keeps running: None while it stands still.

    When `accrued` alone already passes the target (a stricter policy after a change) the
    breach lies in the past and cannot be located in a calendar that was not in force then; the
    earlier due time is kept when it is already past, else the start of the running period.
    """
    if state.started_at is None:
        return None
    left = target - state.accrued
    if left > ZERO:
        return businesstime.add_business_time(cal, state.started_at, left)
    if previous is not None and previous <= state.started_at:
        return previous
    return state.started_at


def response_due(cal: Calendar, reported_at: dt.datetime, target: dt.timedelta) -> dt.datetime:
    """The first response is due `target` business time after the report (never paused)."""
    return businesstime.add_business_time(cal, reported_at, target)
