from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from itfabrik.governance import rules

prefixes = st.from_regex(r"[A-Z]{2,6}", fullmatch=True)


@given(prefixes, st.integers(2000, 2999), st.integers(1, 100_000))
def test_a_number_reads_back_as_what_made_it(prefix: str, year: int, seq: int) -> None:
    number = rules.format_number(prefix, year, seq)
    assert rules.parse_number(number) == (prefix, year, seq)
    assert len(number.rsplit("-", 1)[1]) >= 3


def test_the_numbers_look_like_the_issue_says() -> None:
    assert rules.format_number("ITR", 2026, 14) == "ITR-2026-014"


@given(st.sampled_from(rules.DECISION_FLOW), st.sampled_from(rules.DECISION_FLOW))
def test_a_decision_only_moves_forward(a: str, b: str) -> None:
    flow = rules.DECISION_FLOW
    assert rules.may_move(a, b) == (flow.index(b) > flow.index(a))


@given(
    st.dates(dt.date(2020, 1, 1), dt.date(2040, 1, 1)),
    st.dates(dt.date(2020, 1, 1), dt.date(2040, 1, 1)),
    st.booleans(),
    st.booleans(),
)
def test_a_reminder_comes_once_from_the_lead_time(
    due: dt.date, today: dt.date, reminded: bool, done: bool
) -> None:
    due_now = rules.reminder_due(due_on=due, today=today, reminded=reminded, done=done)
    if reminded or done:
        assert not due_now
    else:
        assert due_now == ((due - today).days <= rules.REMINDER_LEAD_DAYS)


@given(st.dates(dt.date(2020, 1, 1), dt.date(2040, 1, 1)), st.integers(0, 60))
def test_notice_ends_on_the_last_day_of_a_month(given_on: dt.date, months: int) -> None:
    end = rules.notice_ends(given_on, months)
    assert (end + dt.timedelta(days=1)).day == 1
    assert (end.year - given_on.year) * 12 + end.month - given_on.month == months
