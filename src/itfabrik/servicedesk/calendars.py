"""Business calendars stored as data (`BusinessCalendar`, `CalendarDay`) turned into the pure
`businesstime.Calendar` the SLA clock computes with."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from itertools import pairwise
from typing import Any

from django.utils import timezone

from .businesstime import Calendar, swedish_closed_days
from .models import BusinessCalendar, CalendarDay

EVES = ("midsommarafton", "julafton", "nyårsafton")
DAY_NAMES = ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag")


def parse_hours(periods: Any) -> tuple[tuple[dt.time, dt.time], ...]:
    """[["08:00", "16:30"], …] → ((time(8), time(16, 30)), …); raises ValueError when bad."""
    out: list[tuple[dt.time, dt.time]] = []
    for period in periods or []:
        opens, closes = (dt.time.fromisoformat(str(v)) for v in period)
        # A close of 00:00 is midnight at the end of the day (businesstime's convention).
        if not (opens < closes or closes == dt.time(0)):
            raise ValueError("opening must be before closing")
        out.append((opens, closes))
    out.sort()
    for (_a, b), (c, _d) in pairwise(out):
        if c < b:
            raise ValueError("periods overlap")
    return tuple(out)


def format_hours(periods: Any) -> str:
    return ", ".join(f"{a}–{b}" for a, b in (periods or [])) or "–"


@lru_cache(maxsize=64)
def _build(
    timezone_name: str,
    week: tuple[tuple[tuple[dt.time, dt.time], ...], ...],
    holidays: bool,
    eves: tuple[str, ...],
    days: tuple[tuple[dt.date, tuple[tuple[dt.time, dt.time], ...]], ...],
    years: tuple[int, ...],
) -> Calendar:
    closed: set[dt.date] = set()
    if holidays:
        closed |= swedish_closed_days(years, eves=eves)
    special: list[tuple[dt.date, tuple[tuple[dt.time, dt.time], ...]]] = []
    for day, hours in days:
        if hours:
            special.append((day, hours))
            closed.discard(day)
        else:
            closed.add(day)
    return Calendar(
        timezone=timezone_name,
        week=week,
        closed_days=frozenset(closed),
        special_days=tuple(special),
    )


def years_around(*moments: dt.datetime | None) -> tuple[int, ...]:
    """The years a computation may touch: those of the moments and today, with a year's margin
    on each side (a P5 target in late December ends in January)."""
    years = [timezone.localdate().year] + [m.year for m in moments if m is not None]
    return tuple(range(min(years) - 1, max(years) + 2))


def to_calendar(calendar: BusinessCalendar, *moments: dt.datetime | None) -> Calendar:
    """The pure calendar for a stored one (its `days` read with one query unless prefetched)."""
    week = tuple(parse_hours(day) for day in (list(calendar.week) + [[]] * 7)[:7])
    days = tuple(
        (d.date, parse_hours(d.hours)) for d in sorted(_days(calendar), key=lambda d: d.date)
    )
    return _build(
        calendar.timezone,
        week,
        calendar.swedish_holidays,
        tuple(calendar.eves or ()),
        days,
        years_around(*moments),
    )


def _days(calendar: BusinessCalendar) -> list[CalendarDay]:
    cache = getattr(calendar, "_prefetched_objects_cache", {})
    if "days" in cache:
        return list(cache["days"])
    return list(CalendarDay.objects.filter(calendar=calendar))


def coming_closed_days(
    calendar: BusinessCalendar, start: dt.date, days: int = 365
) -> list[tuple[dt.date, str, str]]:
    """The closed and shortened days of the coming `days` (weekends not counted), each with its
    name: the holiday's Swedish name, the eve, or the note of an extra day.
    Returns (date, name, hours) with hours "" for a closed day."""
    import holidays

    from .businesstime import _which_eve

    end = start + dt.timedelta(days=days)
    years = tuple(range(start.year, end.year + 1))
    out: dict[dt.date, tuple[str, str]] = {}
    if calendar.swedish_holidays:
        names = holidays.country_holidays(
            "SE",
            years=years,
            categories=("public", "de_facto"),
            include_sundays=False,
            language="sv",
        )
        for day in swedish_closed_days(years, eves=tuple(calendar.eves or ())):
            if start <= day < end:
                out[day] = (str(names.get(day) or _which_eve(day) or ""), "")
    for extra in _days(calendar):
        if start <= extra.date < end:
            name = extra.note or (out.get(extra.date, ("", ""))[0])
            out[extra.date] = (name, format_hours(extra.hours) if extra.hours else "")
    return [(day, name, hours) for day, (name, hours) in sorted(out.items())]
