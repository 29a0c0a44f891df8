"""Pure rules of the bookings (no Django): which days get blocks, and when a block starts and
ends in wall-clock time of the calendar's zone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from zoneinfo import ZoneInfo

from itfabrik.servicedesk.businesstime import Calendar

MORNING = "morning"
AFTERNOON = "afternoon"
PARTS = (MORNING, AFTERNOON)
# The default hours of the two halves of a day: förmiddag and eftermiddag (R20).
DEFAULT_HOURS: dict[str, tuple[dt.time, dt.time]] = {
    MORNING: (dt.time(8, 0), dt.time(12, 0)),
    AFTERNOON: (dt.time(12, 30), dt.time(16, 30)),
}
# How far ahead blocks may be generated in one go, and how far ahead at all (guards against a
# typo in a year; the holiday tables are built for the years a block touches).
MAX_GENERATE_DAYS = 120
MAX_AHEAD_DAYS = 731


def is_working_day(cal: Calendar, day: dt.date) -> bool:
    """Is the service desk open at all on `day`? Closed days (holidays, eves, extra closed
    days) win over everything; a special (shortened) day counts by its own hours."""
    if day in cal.closed_days:
        return False
    for special, hours in cal.special_days:
        if special == day:
            return bool(hours)
    return bool(cal.week[day.weekday()])


def working_days(cal: Calendar, first: dt.date, last: dt.date) -> Iterator[dt.date]:
    day = first
    while day <= last:
        if is_working_day(cal, day):
            yield day
        day += dt.timedelta(days=1)


def block_times(
    day: dt.date, start: dt.time, end: dt.time, zone: str
) -> tuple[dt.datetime, dt.datetime]:
    """The aware start and end of a block on `day` (wall-clock times in `zone`, so 08:00 is
    08:00 in summer and in winter)."""
    tz = ZoneInfo(zone)
    return (
        dt.datetime.combine(day, start, tzinfo=tz),
        dt.datetime.combine(day, end, tzinfo=tz),
    )
