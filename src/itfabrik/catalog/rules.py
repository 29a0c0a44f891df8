"""Pure rules of the catalogue and ordering. No Django import: tested with hypothesis.

- the order status transition table,
- whole positive quantities,
- overlap of price-list versions (validity periods, inclusive, open-ended when `valid_to` is
  None),
- the strictest approval of a set of lines,
- days of a subscription inside a period (pro rata by day, what billing will charge).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

# Status codes as in choices.OrderStatus (plain strings here: this module has no Django import).
DRAFT = "draft"
SUBMITTED = "submitted"
APPROVED = "approved"
REJECTED = "rejected"
DELIVERING = "delivering"
DELIVERED = "delivered"
CANCELLED = "cancelled"

TRANSITIONS: dict[str, frozenset[str]] = {
    DRAFT: frozenset({SUBMITTED, CANCELLED}),
    SUBMITTED: frozenset({APPROVED, REJECTED, CANCELLED}),
    APPROVED: frozenset({DELIVERING}),
    DELIVERING: frozenset({DELIVERED}),
    REJECTED: frozenset(),
    DELIVERED: frozenset(),
    CANCELLED: frozenset(),
}
FINAL = frozenset(s for s, targets in TRANSITIONS.items() if not targets)

# Approval levels from least to most (choices.Approval).
APPROVAL_ORDER = ("none", "unit_manager", "it")

MAX_QUANTITY = 100_000


class QuantityError(ValueError):
    pass


def can_transition(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, frozenset())


def parse_quantity(value: Any) -> int:
    """A whole positive number of items. Refuses zero, negatives, fractions, bools and text
    that is not a whole number; "3", 3 and Decimal("3.0") are 3."""
    if isinstance(value, bool) or value is None:
        raise QuantityError("not a whole number")
    if isinstance(value, int):
        number = value
    else:
        if isinstance(value, float):
            if not value.is_integer():
                raise QuantityError("not a whole number")
            value = repr(value)
        try:
            dec = Decimal(str(value).strip())
        except (InvalidOperation, ValueError) as exc:
            raise QuantityError("not a whole number") from exc
        if not dec.is_finite() or dec != dec.to_integral_value():
            raise QuantityError("not a whole number")
        number = int(dec)
    if number < 1:
        raise QuantityError("not positive")
    if number > MAX_QUANTITY:
        raise QuantityError("too large")
    return number


def periods_overlap(
    a_from: dt.date, a_to: dt.date | None, b_from: dt.date, b_to: dt.date | None
) -> bool:
    """Do two inclusive periods share at least one day? `None` as end: open-ended."""
    a_end = a_to or dt.date.max
    b_end = b_to or dt.date.max
    return a_from <= b_end and b_from <= a_end


def first_overlap(
    versions: Iterable[tuple[Any, dt.date, dt.date | None]],
    valid_from: dt.date,
    valid_to: dt.date | None,
) -> Any | None:
    """The key of the first version (in the given order) whose period clashes, else None."""
    for key, v_from, v_to in versions:
        if periods_overlap(v_from, v_to, valid_from, valid_to):
            return key
    return None


def strictest_approval(levels: Iterable[str]) -> str:
    rank = {level: i for i, level in enumerate(APPROVAL_ORDER)}
    best = 0
    for level in levels:
        best = max(best, rank[level])
    return APPROVAL_ORDER[best]


def days_in_period(
    start: dt.date, end: dt.date | None, period_start: dt.date, period_end: dt.date
) -> int:
    """Days of a subscription running start..end (inclusive; None: open) inside the inclusive
    period. Zero when they do not meet."""
    first = max(start, period_start)
    last = min(end or dt.date.max, period_end)
    return max(0, (last - first).days + 1)
