"""Pure rules of the portfolio (no Django): the initiatives' lifecycle as an explicit transition
table, the priority score from weighted criteria, the decision-number format, periods and the
fund's headroom. Tested with hypothesis."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal

IDEA = "idea"
ASSESSMENT = "assessment"
APPROVED = "approved"
IN_PROGRESS = "in_progress"
DELIVERED = "delivered"
STOPPED = "stopped"
STATES = (IDEA, ASSESSMENT, APPROVED, IN_PROGRESS, DELIVERED, STOPPED)

# From each state, the states an initiative may move to. Delivered and stopped are final: a
# stopped idea that comes back is a new initiative (its history stays as it was).
TRANSITIONS: dict[str, tuple[str, ...]] = {
    IDEA: (ASSESSMENT, STOPPED),
    ASSESSMENT: (APPROVED, IDEA, STOPPED),
    APPROVED: (IN_PROGRESS, STOPPED),
    IN_PROGRESS: (DELIVERED, STOPPED),
    DELIVERED: (),
    STOPPED: (),
}
FINAL_STATES = frozenset(s for s, nxt in TRANSITIONS.items() if not nxt)
# States whose initiatives may spend from the fund (money follows a decision).
SPENDING_STATES = frozenset({APPROVED, IN_PROGRESS})


def allowed_next(state: str) -> tuple[str, ...]:
    return TRANSITIONS.get(state, ())


def may_move(current: str, target: str) -> bool:
    return target in allowed_next(current)


# --- the priority score ------------------------------------------------------------------------

CRITERIA = ("value", "urgency", "effort", "risk")
# Criteria where a higher rating lowers the priority (much effort, high risk).
INVERTED = frozenset({"effort", "risk"})
RATING_MIN = 1
RATING_MAX = 5
WEIGHT_MAX = 10
DEFAULT_WEIGHTS: dict[str, int] = {"value": 4, "urgency": 3, "effort": 2, "risk": 1}
SCORE_MAX = Decimal(100)
_TENTH = Decimal("0.1")


def priority_score(weights: Mapping[str, int], ratings: Mapping[str, int]) -> Decimal:
    """A score from 0 to 100 (one decimal): the weighted mean of the ratings (1–5) rescaled to
    0–100, effort and risk counted the other way round. All weights zero gives 0."""
    total = sum(int(weights.get(c, 0)) for c in CRITERIA)
    if total <= 0:
        return Decimal(0)
    points = Decimal(0)
    for c in CRITERIA:
        rating = int(ratings[c])
        if not RATING_MIN <= rating <= RATING_MAX:
            raise ValueError(f"{c} rating {rating} outside {RATING_MIN}-{RATING_MAX}")
        if c in INVERTED:
            rating = RATING_MAX + RATING_MIN - rating
        points += Decimal(int(weights.get(c, 0))) * (rating - RATING_MIN)
    score = SCORE_MAX * points / (Decimal(total) * (RATING_MAX - RATING_MIN))
    return score.quantize(_TENTH, rounding=ROUND_HALF_UP)


# --- decisions ----------------------------------------------------------------------------------

# A decision's number as the governance app writes it: forum code, year, serial (ITR-2026-014).
DECISION_RE = re.compile(r"^[A-ZÅÄÖ]{2,8}-(\d{4})-(\d{3,4})$")


def is_decision_number(text: str) -> bool:
    m = DECISION_RE.match(text)
    if m is None:
        return False
    return 2000 <= int(m.group(1)) <= 2100 and int(m.group(2)) > 0


# --- periods ------------------------------------------------------------------------------------


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def period_within(period: dt.date, start: dt.date, end: dt.date | None) -> bool:
    """Is the month of `period` inside the initiative's months (from `start`'s month through
    `end`'s month; open-ended when there is no end)?"""
    p = month_start(period)
    if p < month_start(start):
        return False
    return end is None or p <= month_start(end)


def months(first: dt.date, last: dt.date) -> list[dt.date]:
    """The first days of the months from `first`'s through `last`'s."""
    out = []
    m = month_start(first)
    while m <= last:
        out.append(m)
        m = dt.date(m.year + (m.month == 12), m.month % 12 + 1, 1)
    return out


# --- the fund -------------------------------------------------------------------------------


def overdraws(balance: Decimal, amount: Decimal) -> bool:
    """Would spending `amount` take the fund below zero?"""
    return amount > balance


def realisation_percent(planned: Decimal, realised: Decimal | None) -> Decimal | None:
    """Realised as a share of planned, one decimal; None when nothing was planned or reported."""
    if realised is None or planned == 0:
        return None
    return (Decimal(100) * realised / planned).quantize(_TENTH, rounding=ROUND_HALF_UP)
