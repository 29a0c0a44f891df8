"""Pure day counting for charging devices (no Django): which days of a month a device was in use
(deployed) and by which owning unit, from its dated history.

A device's history is a list of steps, each saying "from this day on, the device is in this state,
owned by this unit and of this model". The state of a day is the one at the end of the day: the
last step dated on or before it. So a device deployed on the 10th counts from the 10th (21 days of
a 30-day month), one taken out of use on the 20th counts up to the 19th, one moved to another unit
on the 15th counts up to the 14th for the first unit and from the 15th for the second, and a day
is never counted twice. A change of model is a step too, so the days are also told apart per
model (each model may be charged through another catalogue service). Charging is then a monthly
price × device days ÷ days in the month, in Decimal, rounded to öre once per invoice line
(`charge`).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

ORE = Decimal("0.01")
DEPLOYED = "deployed"
# Only a device in use is charged (issue 9, point 8): one in repair, waiting or on its way out
# is not.
CHARGED_STATES = frozenset({DEPLOYED})

Span = tuple[dt.date, dt.date]  # first and last day, both included


@dataclass(frozen=True)
class Step:
    """From `day` on, the device is in `state`, owned by `unit` and of `model` (until a later
    step)."""

    day: dt.date
    state: str
    unit: int
    model: int = 0


def resolve_models(
    recorded: Sequence[int | None], current: int, *, undated_change: bool = True
) -> list[int]:
    """The model of each step of a history (in the order the steps happened) from the models
    the steps recorded: a step that recorded none keeps the model of the step before it (the
    first ones: `current`, the device's model). With `undated_change`, a device whose model is
    no longer the one its last step says (changed without a date, as an import does) has
    `current` from its last dated change of model on: the steps after that change, up to the
    last, take it."""
    out: list[int] = []
    model = None
    for m in recorded:
        if m is not None:
            model = m
        out.append(current if model is None else model)
    if undated_change and out and out[-1] != current:
        last = out[-1]
        i = len(out)
        while i > 0 and out[i - 1] == last:
            i -= 1
        out[i:] = [current] * (len(out) - i)
    return out


def month_bounds(year: int, month: int) -> Span:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def days(spans: Iterable[Span]) -> int:
    return sum((b - a).days + 1 for a, b in spans)


def merge(spans: Iterable[Span]) -> list[Span]:
    """The days of `spans` as sorted, disjoint spans (adjacent ones joined)."""
    out: list[Span] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1] + dt.timedelta(days=1):
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def charged_spans(
    steps: Sequence[Step], first: dt.date, last: dt.date, *, states: frozenset[str] = CHARGED_STATES
) -> dict[int, list[Span]]:
    """Per owning unit, the spans of days within [first, last] on which the device was in a
    charged state. `steps` in the order they happened (by day; on one day, the later wins)."""
    out: dict[int, list[Span]] = defaultdict(list)
    for (unit, _model), spans in charged_spans_by_model(steps, first, last, states=states).items():
        out[unit].extend(spans)
    return {unit: merge(spans) for unit, spans in out.items()}


def charged_spans_by_model(
    steps: Sequence[Step], first: dt.date, last: dt.date, *, states: frozenset[str] = CHARGED_STATES
) -> dict[tuple[int, int], list[Span]]:
    """As `charged_spans`, per owning unit and model: the days of a month that a model change
    splits are told apart, each day under exactly one (unit, model)."""
    ordered = sorted(enumerate(steps), key=lambda p: (p[1].day, p[0]))
    out: dict[tuple[int, int], list[Span]] = defaultdict(list)
    for i, (_n, step) in enumerate(ordered):
        nxt = ordered[i + 1][1].day if i + 1 < len(ordered) else None
        if nxt == step.day:
            continue  # a later step of the same day decides that day
        if step.state not in states:
            continue
        lo = max(first, step.day)
        hi = last if nxt is None else min(last, nxt - dt.timedelta(days=1))
        if lo <= hi:
            out[(step.unit, step.model)].append((lo, hi))
    return {key: merge(spans) for key, spans in out.items()}


def clip(spans: Iterable[Span], first: dt.date, last: dt.date) -> list[Span]:
    """The parts of `spans` within [first, last]."""
    out = []
    for a, b in spans:
        lo, hi = max(a, first), min(b, last)
        if lo <= hi:
            out.append((lo, hi))
    return out


def subtract(spans: Iterable[Span], covered: Iterable[Span]) -> list[Span]:
    """The days of `spans` that no span of `covered` contains."""
    holes = merge(covered)
    out: list[Span] = []
    for a, b in merge(spans):
        lo = a
        for c, d in holes:
            if d < lo or c > b:
                continue
            if c > lo:
                out.append((lo, c - dt.timedelta(days=1)))
            lo = max(lo, d + dt.timedelta(days=1))
            if lo > b:
                break
        if lo <= b:
            out.append((lo, b))
    return out


def charge(monthly: Decimal, device_days: int, days_in_month: int) -> Decimal:
    """A monthly price charged for `device_days` (summed over devices) of a month: whole
    device-months pay exactly the monthly price each, the rest by the day, rounded to öre."""
    if device_days % days_in_month == 0:
        return (monthly * (device_days // days_in_month)).quantize(ORE)
    return (monthly * device_days / days_in_month).quantize(ORE, rounding=ROUND_HALF_UP)
