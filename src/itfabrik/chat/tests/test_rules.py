"""The pure rules: the SSE wire format survives any message text, ids parse leniently."""

from __future__ import annotations

import datetime as dt
import json

from hypothesis import given
from hypothesis import strategies as st

from itfabrik.chat import rules


@given(body=st.text(), event_id=st.integers(min_value=1, max_value=2**62))
def test_any_text_survives_the_event_framing(body: str, event_id: int) -> None:
    text = rules.sse_event(event_id=event_id, event="message", data={"body": body})
    events = rules.parse_sse(text)
    assert len(events) == 1
    assert events[0]["id"] == str(event_id)
    assert json.loads(events[0]["data"]) == {"body": body}


def test_retry_and_comments() -> None:
    text = rules.sse_retry(1500) + rules.sse_comment("hej\nhopp")
    assert rules.parse_sse(text) == [{"retry": "1500"}]


def test_last_event_id_header_wins_then_query_then_zero() -> None:
    assert rules.parse_last_event_id("12", "5") == 12
    assert rules.parse_last_event_id(None, "5") == 5
    assert rules.parse_last_event_id("abc", "7") == 7
    assert rules.parse_last_event_id("-3", None) == 0
    assert rules.parse_last_event_id("٣", None) == 0  # a non-ASCII digit is no id
    assert rules.parse_last_event_id(None, None) == 0


def test_day_words() -> None:
    today = dt.date(2026, 3, 6)
    assert rules.day_word(today, today) == "today"
    assert rules.day_word(dt.date(2026, 3, 7), today) == "tomorrow"
    assert rules.day_word(dt.date(2026, 3, 9), today) == "other"
