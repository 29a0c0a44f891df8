"""Pure charging rules for billing (no Django): charging by the day within a month, and splitting
a shared cost between members by an allocation key. Money is Decimal in SEK, rounded to öre;
every split sums back to the amount exactly (core.money.split, largest remainder).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Hashable, Mapping
from decimal import ROUND_HALF_UP, Decimal

from itfabrik.core.money import split

ORE = Decimal("0.01")


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    """First and last day of a month."""
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, 1), dt.date(year, month, last)


def days_active(year: int, month: int, start: dt.date, end: dt.date | None) -> int:
    """Days of the month within [start, end] (end inclusive; None: open-ended)."""
    first, last = month_bounds(year, month)
    lo = max(first, start)
    hi = last if end is None else min(last, end)
    return max(0, (hi - lo).days + 1)


def prorate(
    monthly: Decimal, year: int, month: int, start: dt.date, end: dt.date | None
) -> Decimal:
    """A monthly price charged for the days active in the month: whole months pay exactly the
    monthly price, part months pay days/days-in-month of it, rounded to öre."""
    days = days_active(year, month, start, end)
    in_month = calendar.monthrange(year, month)[1]
    if days == in_month:
        return monthly.quantize(ORE)
    return (monthly * days / in_month).quantize(ORE, rounding=ROUND_HALF_UP)


def allocate(amount: Decimal, weights: Mapping[Hashable, Decimal | int]) -> dict[Hashable, Decimal]:
    """Split `amount` between the keys in proportion to their weights; the parts sum to `amount`
    exactly. Keys with zero weight get zero; all-zero weights are an error."""
    keys = list(weights)
    if not keys:
        return {}
    parts = split(amount, [weights[k] for k in keys])
    return dict(zip(keys, parts, strict=True))


def membership_weights(
    year: int, month: int, memberships: Mapping[Hashable, tuple[dt.date, dt.date | None]]
) -> dict[Hashable, int]:
    """Equal shares by the day (R8): each member's weight is its number of member days in the
    month, so a municipality that joins or leaves mid-month pays only for its days."""
    return {k: days_active(year, month, s, e) for k, (s, e) in memberships.items()}
