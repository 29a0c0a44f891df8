"""Pure rules of the risk register (no Django): score = probability × consequence on 1-5
scales, its band on the 5×5 heat map, workshop average and spread, and review dates."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

MIN = 1
MAX = 5
# A decision's number in the governance register ("ITR-2026-014"): kept as text until that
# register is linked.
DECISION_PATTERN = re.compile(r"^[A-ZÅÄÖ]{2,6}-\d{4}-\d{1,4}$")


def is_scale(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and MIN <= value <= MAX


def score(probability: int, consequence: int) -> int:
    """Probability × consequence, each 1-5; anything else is a ValueError (never a silent
    score)."""
    if not (is_scale(probability) and is_scale(consequence)):
        raise ValueError(
            f"probability and consequence must be 1-5: {probability!r}, {consequence!r}"
        )
    return probability * consequence


def band(value: int) -> str:
    """The heat map's band of a score: low (1-4), medium (5-9), high (10-16), critical (>16)."""
    if value <= 4:
        return "low"
    if value <= 9:
        return "medium"
    if value <= 16:
        return "high"
    return "critical"


def average(values: Sequence[int]) -> Decimal | None:
    """The mean with one decimal (half up), None for no values."""
    if not values:
        return None
    mean = Decimal(sum(values)) / Decimal(len(values))
    return mean.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def spread(values: Sequence[int]) -> int | None:
    """Highest minus lowest: how far the municipalities are apart."""
    return (max(values) - min(values)) if values else None


def next_review(last: dt.date, months: int) -> dt.date:
    """The date `months` after `last`, on the last day of a shorter month (31 Jan + 1 → 28/29
    Feb)."""
    if months < 1:
        raise ValueError("months must be positive")
    month0 = last.month - 1 + months
    year, month = last.year + month0 // 12, month0 % 12 + 1
    for day in (last.day, 30, 29, 28):
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")
