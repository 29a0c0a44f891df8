"""Pure rules of satisfaction ratings: no Django, hypothesis-tested."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

MIN_SCORE = 1
MAX_SCORE = 5
SCORES = tuple(range(MIN_SCORE, MAX_SCORE + 1))
DEFAULT_LOW_SCORE = 2
DEFAULT_COMMENT_EDIT_DAYS = 7
DEFAULT_LINK_DAYS = 30


def is_valid_score(score: object) -> bool:
    return isinstance(score, int) and not isinstance(score, bool) and score in SCORES


def is_low(score: int, threshold: int) -> bool:
    """A score at or below the threshold alerts the team lead."""
    return score <= threshold


def may_edit_comment(rated_at: dt.datetime, now: dt.datetime, days: int) -> bool:
    """The comment may be changed for `days` days after the rating (the score never)."""
    return now - rated_at <= dt.timedelta(days=days)


def response_rate(rated: int, resolved: int) -> Decimal | None:
    """Rated share of resolved tickets in per cent, one decimal; None when nothing resolved."""
    if resolved <= 0:
        return None
    return (Decimal(100) * rated / resolved).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def average(score_sum: int, rated: int) -> Decimal | None:
    """Mean score with two decimals; None when nothing rated."""
    if rated <= 0:
        return None
    return (Decimal(score_sum) / rated).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
