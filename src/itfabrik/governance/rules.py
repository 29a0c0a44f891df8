"""Pure rules of governance (no Django): decision numbers, the decision and matter life cycles,
and when an evaluation's reminder is due."""

from __future__ import annotations

import datetime as dt
import re

NUMBER_RE = re.compile(
    r"^(?P<prefix>[A-ZÅÄÖ0-9]+(?:-[A-ZÅÄÖ0-9]+)*)-(?P<year>\d{4})-(?P<seq>\d{3,})$"
)
PREFIX_RE = re.compile(r"^[A-ZÅÄÖ0-9]{2,6}$")

# decided → being carried out → carried out → followed up; a step may be skipped, never undone.
DECISION_FLOW = ("decided", "in_progress", "carried_out", "followed_up")

# A matter is registered, then prepared for a decision elsewhere, then decided; or withdrawn.
MATTER_TRANSITIONS: dict[str, frozenset[str]] = {
    "registered": frozenset({"prepared", "decided", "withdrawn"}),
    "prepared": frozenset({"decided", "withdrawn", "registered"}),
    "decided": frozenset(),
    "withdrawn": frozenset(),
}

REMINDER_LEAD_DAYS = 30


def format_number(prefix: str, year: int, sequence: int) -> str:
    """ITR-2026-014: the forum's prefix, the year and the year's sequence (at least 3 digits)."""
    if sequence < 1:
        raise ValueError("sequence starts at 1")
    return f"{prefix}-{year:04d}-{sequence:03d}"


def parse_number(number: str) -> tuple[str, int, int] | None:
    m = NUMBER_RE.match(number)
    if m is None:
        return None
    return m["prefix"], int(m["year"]), int(m["seq"])


def is_valid_prefix(prefix: str) -> bool:
    return bool(PREFIX_RE.match(prefix))


def next_statuses(status: str) -> tuple[str, ...]:
    """The statuses a decision may move to from `status` (forward only)."""
    if status not in DECISION_FLOW:
        return ()
    return DECISION_FLOW[DECISION_FLOW.index(status) + 1 :]


def may_move(status: str, to: str) -> bool:
    return to in next_statuses(status)


def may_move_matter(status: str, to: str) -> bool:
    return to in MATTER_TRANSITIONS.get(status, frozenset())


def reminder_due(
    *,
    due_on: dt.date,
    today: dt.date,
    reminded: bool,
    done: bool,
    lead_days: int = REMINDER_LEAD_DAYS,
) -> bool:
    """An evaluation is reminded of once, from `lead_days` before its date, while not done."""
    if reminded or done:
        return False
    return today >= due_on - dt.timedelta(days=lead_days)


def notice_ends(notice_given_on: dt.date, notice_months: int) -> dt.date:
    """The last day of the agreement for a party giving notice: the notice period counted in
    whole months from the end of the month notice was given in."""
    month = notice_given_on.month + notice_months
    year = notice_given_on.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    nxt = dt.date(year + month // 12, month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)
