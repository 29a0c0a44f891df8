"""Pure rules of the chat: the wire format of server-sent events and which word names a day.
No Django, no database (hypothesis-tested in tests/test_rules.py)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

# How long the browser waits before reconnecting after a stream ends (the `retry:` field).
RETRY_MS = 1000


def parse_last_event_id(*values: str | None) -> int:
    """The first value that is a non-negative integer (the Last-Event-ID header, then the
    `efter` query parameter); 0 when none is. Anything else is ignored rather than refused:
    a wrong id must not stop the browser from reconnecting, it only replays from the start."""
    for value in values:
        if value is None:
            continue
        text = value.strip()
        if text.isascii() and text.isdecimal():
            return int(text)
    return 0


def _clean(value: str) -> str:
    # A line break inside a field would end it early (the SSE grammar splits on CR, LF, CRLF).
    return value.replace("\r", " ").replace("\n", " ")


def sse_event(*, event_id: int, event: str, data: dict[str, Any]) -> str:
    """One event. The data is JSON on one line, so no payload can break the framing."""
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return f"id: {event_id}\nevent: {_clean(event)}\ndata: {_clean(payload)}\n\n"


def sse_retry(milliseconds: int = RETRY_MS) -> str:
    return f"retry: {int(milliseconds)}\n\n"


def sse_comment(text: str) -> str:
    return f": {_clean(text)}\n\n"


def parse_sse(text: str) -> list[dict[str, str]]:
    """The events of a stream as dicts of their fields (what a browser's EventSource sees);
    comment lines are skipped. Used by the tests and handy for debugging a stream."""
    events: list[dict[str, str]] = []
    for block in text.replace("\r\n", "\n").split("\n\n"):
        fields: dict[str, str] = {}
        for line in block.split("\n"):
            if not line or line.startswith(":"):
                continue
            name, _sep, value = line.partition(":")
            fields[name] = value[1:] if value.startswith(" ") else value
        if fields:
            events.append(fields)
    return events


def day_word(day: dt.date, today: dt.date) -> str:
    """`today`, `tomorrow` or `other`: how the next opening is named to a person."""
    if day == today:
        return "today"
    if day == today + dt.timedelta(days=1):
        return "tomorrow"
    return "other"
