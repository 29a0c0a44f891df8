"""Business-time arithmetic: properties (hypothesis), an independent minute-by-minute oracle,
the DST weeks of 2026 in Europe/Stockholm and worked examples on the demo calendar
"Servicedesk Dalsland". No database: plain pytest collects these."""

from __future__ import annotations

import datetime as dt
import time as clock
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays
import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from itfabrik.servicedesk.businesstime import (
    Calendar,
    add_business_time,
    business_time_between,
    is_open,
    next_opening,
    swedish_closed_days,
)

STO = ZoneInfo("Europe/Stockholm")
UTC = dt.UTC
US = timedelta(microseconds=1)
WORKDAY = ((time(8), time(16, 30)),)
# The demo calendar of issue 8: Mon–Fri 08:00–16:30, closed on public holidays and the eves.
DALSLAND = Calendar(
    timezone="Europe/Stockholm",
    week=(WORKDAY,) * 5 + ((), ()),
    closed_days=swedish_closed_days(range(2024, 2031)),
)
ALL_DAY = Calendar("Europe/Stockholm", (((time(0), time(0)),),) * 7)


def sto(*args: int) -> datetime:
    return datetime(*args, tzinfo=STO)


def u(value: datetime) -> datetime:
    """The instant in UTC. Compare results this way: Python's == between different zones is
    False whenever one side is in a repeated hour (PEP 495), and == within one zone ignores
    fold."""
    return value.astimezone(UTC)


def hours(h: float) -> timedelta:
    return timedelta(hours=h)


# --- strategies -----------------------------------------------------------------------------

ZONES = [
    "Europe/Stockholm",
    "UTC",
    "America/New_York",
    "Australia/Lord_Howe",  # a 30-minute DST shift
    "Asia/Kolkata",
    "America/St_Johns",
]


def _quarter(n: int) -> time:
    return time(0) if n == 96 else time(n // 4, n % 4 * 15)


@st.composite
def day_hours(draw: st.DrawFn, allowed: list[int] | None = None) -> tuple[tuple[time, time], ...]:
    """Sorted, non-overlapping intervals on quarter hours; 96 (24:00) is a close of 00:00."""
    values = allowed if allowed is not None else list(range(97))
    marks = sorted(draw(st.lists(st.sampled_from(values), unique=True, max_size=6)))
    if len(marks) % 2:
        marks = marks[:-1]
    return tuple((_quarter(a), _quarter(b)) for a, b in zip(marks[::2], marks[1::2], strict=True))


@st.composite
def calendars(
    draw: st.DrawFn, zone: str | None = None, allowed: list[int] | None = None
) -> Calendar:
    week = tuple(draw(day_hours(allowed)) for _ in range(7))
    assume(any(week))
    special_dates = draw(
        st.lists(st.dates(date(2025, 12, 1), date(2027, 3, 1)), unique=True, max_size=8)
    )
    return Calendar(
        timezone=zone or draw(st.sampled_from(ZONES)),
        week=week,
        closed_days=frozenset(
            draw(st.lists(st.dates(date(2025, 12, 1), date(2027, 3, 1)), max_size=20))
        ),
        special_days=tuple((d, draw(day_hours(allowed))) for d in special_dates),
    )


any_calendar = st.one_of(st.just(DALSLAND), st.just(ALL_DAY), calendars())
instants = st.datetimes(
    min_value=datetime(2025, 12, 1),
    max_value=datetime(2027, 2, 1),
    timezones=st.sampled_from([ZoneInfo(z) for z in ZONES]),
    allow_imaginary=False,
)
# The weeks around the 2026 switches in Europe/Stockholm (29 March and 25 October).
dst_instants = st.one_of(
    st.datetimes(datetime(2026, 3, 23), datetime(2026, 4, 5), timezones=st.just(STO)),
    st.datetimes(datetime(2026, 10, 19), datetime(2026, 11, 1), timezones=st.just(STO)),
)
durations = st.timedeltas(min_value=timedelta(0), max_value=hours(80))
sla_durations = st.sampled_from([hours(h) for h in (0.5, 1, 4, 8, 16, 24, 40, 80)])


# --- properties -----------------------------------------------------------------------------


@given(any_calendar, instants, durations)
@example(DALSLAND, sto(2026, 3, 27, 16, 0), hours(1))
@example(ALL_DAY, sto(2026, 10, 25, 1, 30), hours(1))
def test_adding_then_measuring_gives_back_the_duration(
    cal: Calendar, start: datetime, duration: timedelta
) -> None:
    due = add_business_time(cal, start, duration)
    assert due >= start
    assert business_time_between(cal, start, due) == duration
    # ... and it is the earliest such instant.
    if duration:
        assert business_time_between(cal, start, u(due) - US) < duration


@given(any_calendar, instants, durations)
def test_a_result_never_falls_in_closed_time(
    cal: Calendar, start: datetime, duration: timedelta
) -> None:
    due = add_business_time(cal, start, duration)
    if duration:
        # Open, or exactly the close of an open interval: the microsecond before it is open.
        assert is_open(cal, u(due) - US)
    else:
        assert is_open(cal, due)
        assert u(due) == u(next_opening(cal, start))


@given(any_calendar, instants, durations)
def test_the_clock_starts_at_the_next_opening(
    cal: Calendar, start: datetime, duration: timedelta
) -> None:
    opening = next_opening(cal, start)
    assert opening >= start
    assert is_open(cal, opening)
    assert business_time_between(cal, start, opening) == timedelta(0)
    if is_open(cal, start):
        assert u(opening) == u(start)
    assert u(add_business_time(cal, start, duration)) == u(
        add_business_time(cal, opening, duration)
    )


@given(any_calendar, instants, durations, durations)
def test_monotonic_in_duration(
    cal: Calendar, start: datetime, first: timedelta, second: timedelta
) -> None:
    short, long_ = sorted((first, second))
    a, b = add_business_time(cal, start, short), add_business_time(cal, start, long_)
    assert a <= b
    if short < long_:
        assert a < b


@given(any_calendar, instants, durations, durations)
def test_adding_in_two_steps_is_adding_the_sum(
    cal: Calendar, start: datetime, first: timedelta, second: timedelta
) -> None:
    assume(second > timedelta(0))  # adding zero moves a closing instant to the next opening
    step = add_business_time(cal, add_business_time(cal, start, first), second)
    assert u(step) == u(add_business_time(cal, start, first + second))


@given(any_calendar, instants, st.timedeltas(timedelta(0), timedelta(days=20)), st.floats(0, 1))
def test_measuring_is_additive_and_at_most_the_real_time(
    cal: Calendar, start: datetime, span: timedelta, split: float
) -> None:
    # In UTC: + and - within one zone are wall-clock arithmetic in Python.
    end = u(start) + span
    middle = u(start) + span * split
    total = business_time_between(cal, start, end)
    assert total == business_time_between(cal, start, middle) + business_time_between(
        cal, middle, end
    )
    assert timedelta(0) <= total <= end - start
    assert business_time_between(cal, end, start) == timedelta(0)


@given(any_calendar, instants)
def test_is_open_agrees_with_measuring(cal: Calendar, at: datetime) -> None:
    assert is_open(cal, at) == (business_time_between(cal, at, u(at) + US) == US)


@given(any_calendar, instants, durations)
def test_results_are_in_the_calendar_zone_whatever_the_input_zone(
    cal: Calendar, start: datetime, duration: timedelta
) -> None:
    due = add_business_time(cal, start, duration)
    assert due.tzinfo == ZoneInfo(cal.timezone)
    again = add_business_time(cal, start.astimezone(UTC), duration)
    assert u(again) == u(due)
    assert (again.utcoffset(), again.fold) == (due.utcoffset(), due.fold)


# --- an independent oracle: minute by minute on the wall clock ------------------------------


def _wall_open(cal: Calendar, instant: datetime) -> bool:
    """Open by reading the local wall clock, without any of the module's machinery."""
    local = instant.astimezone(ZoneInfo(cal.timezone))
    day = local.date()
    if day in cal.closed_days:
        return False
    hours_ = dict(cal.special_days).get(day, cal.week[day.weekday()])
    now = local.time().replace(fold=0)
    return any(o <= now and (c == time(0) or now < c) for o, c in hours_)


# Boundaries inside the repeated / skipped hour (02:15, 02:30, 02:45) read differently on the
# wall clock (open twice in autumn) than "the first instant the clock shows the time": they get
# their own examples below.
OUTSIDE_SWITCH_HOUR = [q for q in range(97) if not 8 < q < 12]
MINUTE = timedelta(minutes=1)


@settings(max_examples=60, deadline=None)
@given(
    calendars(zone="Europe/Stockholm", allowed=OUTSIDE_SWITCH_HOUR),
    st.sampled_from([datetime(2026, 3, 23, tzinfo=UTC), datetime(2026, 10, 19, tzinfo=UTC)]),
    st.integers(0, 14 * 24 * 60),
    st.integers(0, 8 * 60),
)
def test_against_a_minute_by_minute_wall_clock_oracle(
    cal: Calendar, base: datetime, offset: int, minutes: int
) -> None:
    start = base + offset * MINUTE
    expected, counted, at = None, 0, start
    for _ in range(40 * 24 * 60):
        if minutes == 0 and _wall_open(cal, at):
            expected = at
            break
        if _wall_open(cal, at):
            counted += 1
        at += MINUTE
        if minutes and counted == minutes:
            expected = at
            break
    assume(expected is not None)
    assert u(add_business_time(cal, start, minutes * MINUTE)) == expected
    open_minutes = sum(_wall_open(cal, start + i * MINUTE) for i in range(offset % 2000))
    assert business_time_between(cal, start, start + (offset % 2000) * MINUTE) == (
        open_minutes * MINUTE
    )


# --- daylight saving time, Europe/Stockholm 2026 --------------------------------------------


@settings(max_examples=300)
@given(
    st.one_of(st.just(DALSLAND), st.just(ALL_DAY), calendars(zone="Europe/Stockholm")),
    dst_instants,
    sla_durations,
)
def test_dst_weeks_keep_the_round_trip(cal: Calendar, start: datetime, duration: timedelta) -> None:
    due = add_business_time(cal, start, duration)
    assert business_time_between(cal, start, due) == duration
    assert is_open(cal, u(due) - US)


def test_a_day_lasts_from_local_midnight_to_local_midnight() -> None:
    assert business_time_between(ALL_DAY, sto(2026, 3, 29), sto(2026, 3, 30)) == hours(23)
    assert business_time_between(ALL_DAY, sto(2026, 10, 25), sto(2026, 10, 26)) == hours(25)
    assert business_time_between(ALL_DAY, sto(2026, 3, 28, 12), sto(2026, 3, 30, 12)) == hours(47)
    assert business_time_between(ALL_DAY, sto(2026, 10, 24, 12), sto(2026, 10, 26, 12)) == hours(49)


def test_business_hours_across_the_switch_are_real_hours() -> None:
    # Spring: 23:00 CET + 4 h = 04:00 CEST (the clock skipped 02:00–03:00).
    due = add_business_time(ALL_DAY, sto(2026, 3, 28, 23), hours(4))
    assert (due.hour, due.utcoffset()) == (4, hours(2))
    # Autumn: 01:00 CEST + 2 h = the second 02:00, in CET.
    due = add_business_time(ALL_DAY, sto(2026, 10, 25, 1), hours(2))
    assert (due.hour, due.fold, due.utcoffset()) == (2, 1, hours(1))
    assert u(due) == datetime(2026, 10, 25, 1, tzinfo=UTC)


def test_a_night_shift_over_the_switch_is_shorter_in_march_and_longer_in_october() -> None:
    sunday_night = Calendar("Europe/Stockholm", ((),) * 6 + (((time(1), time(4)),),))
    assert business_time_between(sunday_night, sto(2026, 3, 29), sto(2026, 3, 30)) == hours(2)
    assert business_time_between(sunday_night, sto(2026, 10, 25), sto(2026, 10, 26)) == hours(4)
    assert business_time_between(sunday_night, sto(2026, 3, 22), sto(2026, 3, 23)) == hours(3)


def test_an_opening_in_the_skipped_hour_opens_when_the_clock_jumps() -> None:
    cal = Calendar("Europe/Stockholm", ((),) * 6 + (((time(2, 30), time(5)),),))
    opening = next_opening(cal, sto(2026, 3, 29))
    assert u(opening) == datetime(2026, 3, 29, 1, tzinfo=UTC)  # 03:00 CEST
    assert (opening.hour, opening.minute) == (3, 0)
    assert business_time_between(cal, sto(2026, 3, 29), sto(2026, 3, 30)) == hours(2)
    assert not is_open(cal, datetime(2026, 3, 29, 0, 59, tzinfo=UTC))


def test_an_interval_wholly_in_the_skipped_hour_is_closed_that_day() -> None:
    cal = Calendar(
        "Europe/Stockholm", ((),) * 6 + (((time(2, 15), time(2, 45)), (time(9), time(10))),)
    )
    assert business_time_between(cal, sto(2026, 3, 29), sto(2026, 3, 30)) == hours(1)
    assert next_opening(cal, sto(2026, 3, 29)) == sto(2026, 3, 29, 9)
    assert business_time_between(cal, sto(2026, 3, 22), sto(2026, 3, 23)) == hours(1.5)


def test_an_opening_in_the_repeated_hour_is_its_first_occurrence() -> None:
    cal = Calendar("Europe/Stockholm", ((),) * 6 + (((time(2, 30), time(5)),),))
    opening = next_opening(cal, sto(2026, 10, 25))
    assert u(opening) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 02:30 CEST
    assert (opening.fold, opening.utcoffset()) == (0, hours(2))
    # 02:30 CEST to 05:00 CET is three and a half real hours.
    assert business_time_between(cal, sto(2026, 10, 25), sto(2026, 10, 26)) == hours(3.5)
    # Still open during the second 02:30.
    assert is_open(cal, datetime(2026, 10, 25, 1, 30, tzinfo=UTC))


def test_dalsland_over_the_march_weekend() -> None:
    due = add_business_time(DALSLAND, sto(2026, 3, 27, 16), hours(1))
    assert due == sto(2026, 3, 30, 8, 30)
    assert due.utcoffset() == hours(2)
    assert business_time_between(DALSLAND, sto(2026, 3, 27, 16), due) == hours(1)
    due = add_business_time(DALSLAND, sto(2026, 10, 23, 16), hours(1))
    assert (due, due.utcoffset()) == (sto(2026, 10, 26, 8, 30), hours(1))


# --- worked examples: "Servicedesk Dalsland" ------------------------------------------------


def test_p1_reported_friday_afternoon_is_due_monday_morning() -> None:
    assert add_business_time(DALSLAND, sto(2026, 3, 6, 16, 20), hours(0.5)) == sto(
        2026, 3, 9, 8, 20
    )


def test_due_at_the_close_is_the_close_not_the_next_opening() -> None:
    due = add_business_time(DALSLAND, sto(2026, 3, 6, 16), hours(0.5))
    assert due == sto(2026, 3, 6, 16, 30)
    assert not is_open(DALSLAND, due)
    assert next_opening(DALSLAND, due) == sto(2026, 3, 9, 8)


def test_reported_on_julafton_counts_from_28_december() -> None:
    closed = DALSLAND.closed_days
    assert {date(2026, 12, 24), date(2026, 12, 25), date(2026, 12, 26)} <= closed
    assert date(2026, 12, 27).weekday() == 6
    reported = sto(2026, 12, 24, 10, 15)
    assert not is_open(DALSLAND, reported)
    assert next_opening(DALSLAND, reported) == sto(2026, 12, 28, 8)
    assert add_business_time(DALSLAND, reported, hours(1)) == sto(2026, 12, 28, 9)
    assert business_time_between(DALSLAND, reported, sto(2026, 12, 28, 8)) == timedelta(0)


def test_midsommarafton_2026_is_19_june_and_closed() -> None:
    assert date(2026, 6, 19) in DALSLAND.closed_days
    assert not is_open(DALSLAND, sto(2026, 6, 19, 10))
    # Thursday 16:00 + 1 h: half an hour on Thursday, then Monday 22 June (19 eve, 20
    # midsommardagen, 21 Sunday).
    assert add_business_time(DALSLAND, sto(2026, 6, 18, 16), hours(1)) == sto(2026, 6, 22, 8, 30)


def test_over_new_year_and_easter() -> None:
    # Wed 30 Dec 16:00 + 4 h: 0.5 h, then nyårsafton, nyårsdagen and a weekend: Mon 4 Jan 11:30.
    assert add_business_time(DALSLAND, sto(2026, 12, 30, 16), hours(4)) == sto(2027, 1, 4, 11, 30)
    # Skärtorsdag 15:30 + 4 h: 1 h, then långfredag, Easter weekend, annandag påsk: Tue 11:00.
    assert add_business_time(DALSLAND, sto(2026, 4, 2, 15, 30), hours(4)) == sto(2026, 4, 7, 11)
    # Kristi himmelsfärd (Thu 14 May) is closed; the klämdag after it is open in this calendar.
    assert add_business_time(DALSLAND, sto(2026, 5, 13, 16), hours(1)) == sto(2026, 5, 15, 8, 30)


def test_p5_resolution_of_80_hours() -> None:
    # 9 full days of 8.5 h = 76.5 h, the last 3.5 h on the 10th business day.
    assert add_business_time(DALSLAND, sto(2026, 9, 7, 8), hours(80)) == sto(2026, 9, 18, 11, 30)


def test_shortened_days_and_extra_closed_days() -> None:
    cal = Calendar(
        timezone="Europe/Stockholm",
        week=DALSLAND.week,
        closed_days=DALSLAND.closed_days | {date(2026, 5, 15)},  # klämdag
        special_days=(
            (date(2026, 4, 30), ((time(8), time(12)),)),  # valborgsmässoafton
            (date(2026, 12, 25), ((time(8), time(12)),)),  # closed_days win over special days
            (date(2026, 3, 10), ()),
        ),
    )
    assert add_business_time(cal, sto(2026, 4, 30, 11), hours(2)) == sto(2026, 5, 4, 9)
    assert add_business_time(cal, sto(2026, 5, 13, 16), hours(1)) == sto(2026, 5, 18, 8, 30)
    assert not is_open(cal, sto(2026, 12, 25, 9))
    assert not is_open(cal, sto(2026, 3, 10, 9))
    assert next_opening(cal, sto(2026, 3, 9, 17)) == sto(2026, 3, 11, 8)


def test_touching_intervals_merge() -> None:
    cal = Calendar(
        "Europe/Stockholm",
        (((time(8), time(12)), (time(12), time(16))),) * 5 + ((), ()),
    )
    assert add_business_time(cal, sto(2026, 3, 9, 8), hours(4)) == sto(2026, 3, 9, 12)
    assert is_open(cal, sto(2026, 3, 9, 12))
    assert business_time_between(cal, sto(2026, 3, 9), sto(2026, 3, 10)) == hours(8)


def test_hours_through_midnight_join_the_next_day() -> None:
    nights = Calendar("Europe/Stockholm", (((time(0), time(2)), (time(20), time(0))),) * 7)
    assert business_time_between(nights, sto(2026, 3, 9, 18), sto(2026, 3, 10, 2)) == hours(6)
    assert add_business_time(nights, sto(2026, 3, 9, 23), hours(2)) == sto(2026, 3, 10, 1)
    assert add_business_time(nights, sto(2026, 3, 9, 23), hours(1)) == sto(2026, 3, 10)
    assert is_open(nights, sto(2026, 3, 10))


# --- bad input ------------------------------------------------------------------------------


def test_naive_datetimes_are_refused_with_a_clear_message() -> None:
    naive = datetime(2026, 3, 9, 9)
    with pytest.raises(ValueError, match=r"start: .* no time zone"):
        add_business_time(DALSLAND, naive, hours(1))
    with pytest.raises(ValueError, match=r"end: .* no time zone"):
        business_time_between(DALSLAND, sto(2026, 3, 9), naive)
    with pytest.raises(ValueError, match=r"at: .* no time zone"):
        is_open(DALSLAND, naive)
    with pytest.raises(ValueError, match="no time zone"):
        next_opening(DALSLAND, naive)


def test_negative_duration_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        add_business_time(DALSLAND, sto(2026, 3, 9), -US)


def test_a_calendar_without_opening_hours_refuses_at_once() -> None:
    never = Calendar("Europe/Stockholm", ((),) * 7)
    t0 = clock.perf_counter()
    with pytest.raises(ValueError, match="no opening hours"):
        add_business_time(never, sto(2026, 3, 9), hours(1))
    with pytest.raises(ValueError, match="no opening hours"):
        next_opening(never, sto(2026, 3, 9))
    assert clock.perf_counter() - t0 < 1
    assert not is_open(never, sto(2026, 3, 9))
    assert business_time_between(never, sto(2026, 3, 9), sto(2027, 3, 9)) == timedelta(0)


def test_the_search_is_bounded() -> None:
    # Open on one day in the past only: nothing ahead, within ten years an error.
    once = Calendar("Europe/Stockholm", ((),) * 7, special_days=((date(2020, 1, 2), WORKDAY),))
    t0 = clock.perf_counter()
    with pytest.raises(ValueError, match="within 10 years"):
        next_opening(once, sto(2026, 3, 9))
    with pytest.raises(ValueError, match="within 10 years"):
        add_business_time(DALSLAND, sto(2026, 3, 9), hours(24 * 365 * 10))
    assert clock.perf_counter() - t0 < 5
    assert next_opening(once, sto(2020, 1, 1)) == sto(2020, 1, 2, 8)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"timezone": "Europe/Dalsland"}, "unknown IANA time zone"),
        ({"week": (WORKDAY,) * 6}, "exactly 7 entries"),
        ({"week": (((time(9), time(8)),),) + ((),) * 6}, r"week\[0\].*closes before it opens"),
        (
            {"week": (((time(8), time(12)), (time(11), time(13))),) + ((),) * 6},
            "sorted and must not overlap",
        ),
        ({"week": (((time(8), time(0)), (time(1), time(2))),) + ((),) * 6}, "must not overlap"),
        ({"week": (((time(8, tzinfo=UTC), time(9)),),) + ((),) * 6}, "without a time zone"),
        ({"closed_days": frozenset({datetime(2026, 1, 1)})}, "is not a date"),
        ({"closed_days": {date(2026, 1, 1)}}, "frozenset"),
        (
            {"special_days": ((date(2026, 1, 2), ()), (date(2026, 1, 2), WORKDAY))},
            "given twice",
        ),
    ],
)
def test_a_malformed_calendar_is_refused(kwargs: dict[str, object], message: str) -> None:
    fields: dict[str, object] = {"timezone": "Europe/Stockholm", "week": (WORKDAY,) * 7, **kwargs}
    with pytest.raises(ValueError, match=message):
        Calendar(**fields)  # type: ignore[arg-type]


# --- Swedish closed days --------------------------------------------------------------------

PUBLIC_2026 = {
    date(2026, 1, 1),  # nyårsdagen
    date(2026, 1, 6),  # trettondedag jul
    date(2026, 4, 3),  # långfredagen
    date(2026, 4, 5),  # påskdagen (a Sunday, a named holiday)
    date(2026, 4, 6),  # annandag påsk
    date(2026, 5, 1),  # första maj
    date(2026, 5, 14),  # Kristi himmelsfärdsdag
    date(2026, 5, 24),  # pingstdagen (a Sunday, a named holiday)
    date(2026, 6, 6),  # nationaldagen
    date(2026, 6, 20),  # midsommardagen
    date(2026, 10, 31),  # alla helgons dag
    date(2026, 12, 25),  # juldagen
    date(2026, 12, 26),  # annandag jul
}
EVES_2026 = {date(2026, 6, 19), date(2026, 12, 24), date(2026, 12, 31)}


def test_swedish_closed_days_2026() -> None:
    assert swedish_closed_days([2026]) == PUBLIC_2026 | EVES_2026
    assert swedish_closed_days([2026], eves=()) == PUBLIC_2026


def test_ordinary_sundays_are_not_closed_days() -> None:
    days = swedish_closed_days(range(2020, 2031))
    assert date(2026, 3, 1) not in days
    assert {d for d in days if d.year == 2026 and d.weekday() == 6} == {
        date(2026, 4, 5),
        date(2026, 5, 24),
    }
    # About 16 a year, not 16 + 52.
    assert 14 * 11 <= len(days) <= 17 * 11


def test_every_weekday_public_holiday_of_the_package_is_closed() -> None:
    years = range(2024, 2031)
    days = swedish_closed_days(years)
    for day in holidays.country_holidays("SE", years=years, categories=("public",)):
        if day.weekday() < 6:
            assert day in days


def test_eves_by_name_robustly() -> None:
    assert swedish_closed_days([2026, 2027], eves=["JULAFTON"]) - swedish_closed_days(
        [2026, 2027], eves=()
    ) == {date(2026, 12, 24), date(2027, 12, 24)}
    assert swedish_closed_days([2027], eves=[" Midsommarafton "]) - PUBLIC_2026 >= {
        date(2027, 6, 25)
    }
    assert date(2027, 12, 31) in swedish_closed_days([2027], eves=["nyarsafton"])
    assert date(2027, 12, 31) in swedish_closed_days([2027], eves=["New Year's Eve"])
    assert swedish_closed_days([]) == frozenset()
    with pytest.raises(ValueError, match="unknown eve 'valborg'"):
        swedish_closed_days([2026], eves=["valborg"])


# --- speed (a floor far below the bench's figure, so a shared machine cannot flake it) --------


def test_thousands_of_due_times_per_second() -> None:
    starts = [sto(2026, 1, 5, 8) + timedelta(minutes=37 * i) for i in range(2000)]
    for s in starts:  # warm the day cache
        add_business_time(DALSLAND, s, hours(80))
    t0 = clock.perf_counter()
    for i, s in enumerate(starts):
        add_business_time(DALSLAND, s, hours((0.5, 4, 24, 80)[i % 4]))
    assert len(starts) / (clock.perf_counter() - t0) > 5_000
