"""Business-time arithmetic for service levels: pure Python, no Django import.

A `Calendar` says when the service desk is open: wall-clock opening hours per weekday in an IANA
time zone, closed days (public holidays, the eves, klämdagar) and special days with other hours
(shortened days). On top of it:

- `add_business_time(cal, start, duration)`: the due time of a target such as "4 business hours",
- `business_time_between(cal, start, end)`: the business time elapsed (accrued SLA time),
- `is_open(cal, at)` and `next_opening(cal, at)`,
- `swedish_closed_days(years)`: the Swedish public holidays plus the three eves.

Conventions (the tests hold each of them):

- Open intervals are half-open, [open, close): at the closing instant the desk is closed.
- The clock starts at the next opening: a start in closed time counts from `next_opening(start)`.
- A zero duration gives `next_opening(start)`, i.e. `start` itself when open.
- A positive duration gives the earliest instant at which that much business time has elapsed.
  When it runs out exactly at a close the result is that closing instant ("due Friday 16:30",
  not "Monday 08:00"), so a result is never strictly inside closed time: either open, or the
  end of an open interval.
- Opening hours are wall-clock hours. A wall-clock time becomes the first instant the local
  clock shows it: in the autumn repeated hour the first occurrence; a time inside the spring
  gap (02:00–03:00 in Europe/Stockholm) becomes the instant of the jump, when the clock first
  passes it. A day's business length is the real time from the local open to the local close,
  so 00:00–24:00 lasts 23 hours on the last Sunday of March and 25 on the last of October.
- A close of 00:00 means midnight at the end of the day (24:00), so (00:00, 00:00) is all day.
- Datetimes must be timezone-aware (any zone); results are in the calendar's zone, with `fold`
  set in the repeated hour. Compare results as instants (`.astimezone(UTC)`): Python's `==`
  between different zones is False when one side is in a repeated hour (PEP 495), and
  `+`/`-`/`==` within one zone are wall-clock operations that ignore `fold`.
- Searches are bounded: no opening (or not enough open time) within `MAX_SEARCH_YEARS` years
  raises `ValueError` instead of looping.

Speed: each day's open intervals are computed once per calendar as integer microseconds since
the epoch (exact, unlike float timestamps) and cached; a due time then walks over days, not
minutes.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = [
    "EVES",
    "MAX_SEARCH_YEARS",
    "Calendar",
    "add_business_time",
    "business_time_between",
    "is_open",
    "next_opening",
    "swedish_closed_days",
]

Hours = tuple[tuple[time, time], ...]

MAX_SEARCH_YEARS = 10
_MAX_SEARCH_DAYS = MAX_SEARCH_YEARS * 366
_EPOCH = datetime(1970, 1, 1, tzinfo=dt.UTC)
_ONE_US = timedelta(microseconds=1)
_MIDNIGHT = time(0)
# Enough for every day of a few years of several calendars; cleared when full so a long-running
# worker that computes over arbitrary dates cannot grow without bound.
_DAY_CACHE_LIMIT = 50_000


@dataclass(frozen=True)
class Calendar:
    """When a service desk is open. `week` has 7 entries, Monday..Sunday, each a tuple of
    (open, close) wall-clock intervals, sorted and not overlapping; () is closed all day; a close
    of 00:00 means 24:00. `closed_days` are closed whatever the week or `special_days` say;
    `special_days` give other hours on a date (shortened days), () meaning closed."""

    timezone: str
    week: tuple[Hours, ...]
    closed_days: frozenset[date] = frozenset()
    special_days: tuple[tuple[date, Hours], ...] = ()

    def __post_init__(self) -> None:
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError, TypeError) as exc:
            raise ValueError(
                f"Calendar.timezone: unknown IANA time zone {self.timezone!r}"
            ) from exc
        if not isinstance(self.week, tuple) or len(self.week) != 7:
            raise ValueError("Calendar.week: needs exactly 7 entries, Monday to Sunday")
        for weekday, hours in enumerate(self.week):
            _check_hours(hours, f"Calendar.week[{weekday}]")
        if not isinstance(self.closed_days, frozenset):
            raise ValueError("Calendar.closed_days: must be a frozenset of dates")
        for day in self.closed_days:
            _check_date(day, "Calendar.closed_days")
        seen: set[date] = set()
        for entry in self.special_days:
            if not (isinstance(entry, tuple) and len(entry) == 2):
                raise ValueError("Calendar.special_days: each entry is (date, hours)")
            day, hours = entry
            _check_date(day, "Calendar.special_days")
            if day in seen:
                raise ValueError(f"Calendar.special_days: {day.isoformat()} is given twice")
            seen.add(day)
            _check_hours(hours, f"Calendar.special_days[{day.isoformat()}]")

    @property
    def has_opening_hours(self) -> bool:
        """False when no weekday and no special day has any open interval."""
        return any(self.week) or any(hours for _, hours in self.special_days)


def _check_date(value: object, field: str) -> None:
    # A datetime is a date too, but would never equal the dates looked up.
    if not isinstance(value, date) or isinstance(value, datetime):
        raise ValueError(f"{field}: {value!r} is not a date")


def _check_hours(hours: object, field: str) -> None:
    if not isinstance(hours, tuple):
        raise ValueError(f"{field}: must be a tuple of (open, close) intervals")
    previous_close: time | None = None
    for interval in hours:
        if not (isinstance(interval, tuple) and len(interval) == 2):
            raise ValueError(f"{field}: each interval is an (open, close) pair of times")
        opens, closes = interval
        if not (isinstance(opens, time) and isinstance(closes, time)):
            raise ValueError(f"{field}: {interval!r} is not a pair of times")
        if opens.tzinfo is not None or closes.tzinfo is not None:
            raise ValueError(f"{field}: times are wall-clock times, without a time zone")
        if closes != _MIDNIGHT and closes <= opens:
            raise ValueError(
                f"{field}: {opens:%H:%M}–{closes:%H:%M} closes before it opens "
                "(00:00 as close means midnight at the end of the day)"
            )
        if previous_close is not None and (previous_close == _MIDNIGHT or opens < previous_close):
            raise ValueError(f"{field}: intervals must be sorted and must not overlap")
        previous_close = closes


# --- instants as integer microseconds since the epoch ------------------------------------------


def _to_us(value: datetime) -> int:
    return (value - _EPOCH) // _ONE_US


def _from_us(us: int, zone: ZoneInfo) -> datetime:
    return (_EPOCH + timedelta(microseconds=us)).astimezone(zone)


def _require_aware(value: datetime, name: str) -> None:
    if not isinstance(value, datetime):
        raise TypeError(f"{name}: expected a datetime, got {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(
            f"{name}: {value.isoformat()} has no time zone; business time needs an aware "
            "datetime (e.g. with tzinfo=ZoneInfo('Europe/Stockholm'))"
        )


def _wall_to_us(local: datetime, zone: ZoneInfo) -> int:
    """The first instant at which the local clock shows `local` (a naive wall-clock time)."""
    first = local.replace(tzinfo=zone, fold=0)
    second = local.replace(tzinfo=zone, fold=1)
    if first.utcoffset() == second.utcoffset():
        return _to_us(first)
    us_first, us_second = _to_us(first), _to_us(second)
    if _from_us(min(us_first, us_second), zone).replace(tzinfo=None) == local:
        # Repeated hour (autumn): both readings exist, take the earlier instant.
        return min(us_first, us_second)
    # Gap (spring): the time never shows; the clock passes it at the jump. fold=1 reads it with
    # the offset after the jump (an instant before it), fold=0 with the one before (after it):
    # bisect for the first instant whose offset is the later one.
    before_offset = first.utcoffset()
    low, high = min(us_first, us_second), max(us_first, us_second)
    while high - low > 1:
        middle = (low + high) // 2
        if _from_us(middle, zone).utcoffset() == before_offset:
            low = middle
        else:
            high = middle
    return high


# --- per-calendar precomputation ------------------------------------------------------------


class _Compiled:
    """A calendar prepared for arithmetic: its zone and a cache of each day's open intervals as
    (start_us, end_us) pairs, merged where they touch and without empty ones."""

    __slots__ = ("closed", "days", "has_hours", "special", "week", "zone")

    def __init__(self, cal: Calendar) -> None:
        self.zone = ZoneInfo(cal.timezone)
        self.week = cal.week
        self.closed = cal.closed_days
        self.special = dict(cal.special_days)
        self.has_hours = cal.has_opening_hours
        self.days: dict[int, tuple[tuple[int, int], ...]] = {}

    def day(self, ordinal: int) -> tuple[tuple[int, int], ...]:
        found = self.days.get(ordinal)
        if found is None:
            if len(self.days) >= _DAY_CACHE_LIMIT:
                self.days.clear()
            found = self.days[ordinal] = self._compute(ordinal)
        return found

    def _compute(self, ordinal: int) -> tuple[tuple[int, int], ...]:
        day = date.fromordinal(ordinal)
        if day in self.closed:
            return ()
        hours = self.special.get(day)
        if hours is None:
            hours = self.week[day.weekday()]
        out: list[tuple[int, int]] = []
        for opens, closes in hours:
            start = _wall_to_us(datetime.combine(day, opens), self.zone)
            end_day = day + timedelta(days=1) if closes == _MIDNIGHT else day
            end = _wall_to_us(datetime.combine(end_day, closes), self.zone)
            if end <= start:  # wholly inside a spring gap
                continue
            if out and out[-1][1] >= start:
                out[-1] = (out[-1][0], max(out[-1][1], end))
            else:
                out.append((start, end))
        return tuple(out)

    def local_ordinal(self, value: datetime) -> int:
        return value.astimezone(self.zone).toordinal()


@lru_cache(maxsize=64)
def _compile(cal: Calendar) -> _Compiled:
    return _Compiled(cal)


# --- the operations -------------------------------------------------------------------------


def add_business_time(cal: Calendar, start: datetime, duration: timedelta) -> datetime:
    """The earliest instant at which `duration` of business time has elapsed since `start`
    (counting from the next opening); `next_opening(start)` for a zero duration."""
    _require_aware(start, "start")
    if not isinstance(duration, timedelta):
        raise TypeError(f"duration: expected a timedelta, got {type(duration).__name__}")
    if duration < timedelta(0):
        raise ValueError(f"duration: {duration} is negative")
    compiled = _compile(cal)
    if not compiled.has_hours:
        raise ValueError("calendar has no opening hours at all: no business time can elapse")
    remaining = duration // _ONE_US
    now = _to_us(start)
    first_day = compiled.local_ordinal(start)
    cached = compiled.days.get  # the hot loop: skip a method call per day when cached
    for ordinal in range(first_day, first_day + _MAX_SEARCH_DAYS):
        intervals = cached(ordinal)
        if intervals is None:
            intervals = compiled.day(ordinal)
        for opens, closes in intervals:
            if closes <= now:
                continue
            if opens > now:
                now = opens
            if remaining <= closes - now:
                return _from_us(now + remaining, compiled.zone)
            remaining -= closes - now
            now = closes
    raise ValueError(
        f"the calendar does not have {duration} of business time within {MAX_SEARCH_YEARS} "
        f"years after {start.isoformat()}"
    )


def next_opening(cal: Calendar, at: datetime) -> datetime:
    """`at` itself (in the calendar's zone) when open, else the next instant the desk opens."""
    return add_business_time(cal, at, timedelta(0))


def business_time_between(cal: Calendar, start: datetime, end: datetime) -> timedelta:
    """Business time in [start, end); zero when `end` is not after `start`."""
    _require_aware(start, "start")
    _require_aware(end, "end")
    low, high = _to_us(start), _to_us(end)
    if high <= low:
        return timedelta(0)
    compiled = _compile(cal)
    total = 0
    # Day intervals never reach past the local midnight that ends their day, so the local
    # dates of start and end bound the walk.
    for ordinal in range(compiled.local_ordinal(start), compiled.local_ordinal(end) + 1):
        for opens, closes in compiled.day(ordinal):
            if closes <= low:
                continue
            if opens >= high:
                break
            total += min(closes, high) - max(opens, low)
    return timedelta(microseconds=total)


def is_open(cal: Calendar, at: datetime) -> bool:
    _require_aware(at, "at")
    compiled = _compile(cal)
    now = _to_us(at)
    return any(opens <= now < closes for opens, closes in compiled.day(compiled.local_ordinal(at)))


# --- Swedish closed days --------------------------------------------------------------------

# The three eves that semesterlagen treats as Sundays; the `holidays` package files exactly
# these under its "de_facto" category for Sweden. Keys are our stable names.
EVES = ("midsommarafton", "julafton", "nyårsafton")
_EVE_ALIASES = {
    "midsommarafton": "midsommarafton",
    "midsummer eve": "midsommarafton",
    "julafton": "julafton",
    "christmas eve": "julafton",
    "nyårsafton": "nyårsafton",
    "nyarsafton": "nyårsafton",
    "new year's eve": "nyårsafton",
}


def _eve_key(name: str) -> str:
    normal = unicodedata.normalize("NFC", name).strip().casefold()
    try:
        return _EVE_ALIASES[normal]
    except KeyError:
        raise ValueError(f"eves: unknown eve {name!r}; known: {', '.join(EVES)}") from None


def _which_eve(day: date) -> str | None:
    """Name an eve by its date rule rather than by the package's display string, which is
    translated and may be reworded between versions."""
    if (day.month, day.day) == (12, 24):
        return "julafton"
    if (day.month, day.day) == (12, 31):
        return "nyårsafton"
    # Midsommarafton: the Friday between 19 and 25 June (since 1953).
    if day.month == 6 and 19 <= day.day <= 25 and day.weekday() == 4:
        return "midsommarafton"
    return None


def swedish_closed_days(years: Iterable[int], *, eves: Iterable[str] = EVES) -> frozenset[date]:
    """Swedish public holidays (lag 1989:253) of `years`, without the ordinary Sundays the law
    also counts as holidays (a calendar closes those through its week), plus the chosen eves.
    Public holidays that fall on a Sunday by definition (påskdagen, pingstdagen) are included."""
    wanted = frozenset(_eve_key(name) for name in eves)
    return _swedish_closed_days(tuple(sorted(set(years))), wanted)


@lru_cache(maxsize=32)
def _swedish_closed_days(years: tuple[int, ...], wanted: frozenset[str]) -> frozenset[date]:
    import holidays

    if not years:
        return frozenset()
    public = holidays.country_holidays(
        "SE", years=years, categories=("public",), include_sundays=False
    )
    out = set(public)
    if wanted:
        de_facto = holidays.country_holidays(
            "SE", years=years, categories=("de_facto",), include_sundays=False
        )
        for day in de_facto:
            eve = _which_eve(day)
            if eve is None:
                raise ValueError(
                    f"holidays package: unexpected Swedish de-facto holiday {day.isoformat()} "
                    f"({de_facto[day]}); expected only {', '.join(EVES)}"
                )
            if eve in wanted:
                out.add(day)
    return frozenset(out)
