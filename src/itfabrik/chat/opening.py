"""When the chat is open: the service desk's calendar ("Servicedesk Dalsland" by default,
setting ITFABRIK_CHAT_CALENDAR) read through `servicedesk.businesstime`.

`now()` is the chat's clock. The setting ITFABRIK_CHAT_NOW (an ISO 8601 moment with offset)
fixes it, so tests, including the browser test's live server, decide whether the chat is open
instead of depending on the wall clock of the machine that runs them. It is unset in every real
deployment.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from itfabrik.servicedesk import businesstime
from itfabrik.servicedesk.calendars import to_calendar
from itfabrik.servicedesk.models import BusinessCalendar

from . import rules

DEFAULT_CALENDAR = "Servicedesk Dalsland"


def now() -> dt.datetime:
    fixed = getattr(settings, "ITFABRIK_CHAT_NOW", None)
    if fixed:
        moment = dt.datetime.fromisoformat(str(fixed))
        if timezone.is_naive(moment):
            raise ValueError("ITFABRIK_CHAT_NOW needs an offset, e.g. 2026-03-02T10:00:00+01:00")
        return moment
    return timezone.now()


def calendar_name() -> str:
    return str(getattr(settings, "ITFABRIK_CHAT_CALENDAR", DEFAULT_CALENDAR))


@dataclass(frozen=True)
class Opening:
    is_open: bool
    # The next moment the chat opens (None while open, or when no calendar is set up).
    next_opening: dt.datetime | None
    timezone: str


def opening(cooperation_id: int, at: dt.datetime | None = None) -> Opening:
    at = at or now()
    stored = (
        BusinessCalendar.objects.filter(
            cooperation_id=cooperation_id, name=calendar_name(), is_active=True
        )
        .prefetch_related("days")
        .first()
    )
    if stored is None:  # no opening hours set up: the chat is closed, the form still works
        return Opening(False, None, "Europe/Stockholm")
    cal = to_calendar(stored, at)
    if businesstime.is_open(cal, at):
        return Opening(True, None, stored.timezone)
    return Opening(False, businesstime.next_opening(cal, at), stored.timezone)


def describe(moment: dt.datetime, *, zone: str, at: dt.datetime | None = None) -> str:
    """The moment in words in the active language: "i dag kl. 13.00", "i morgon kl. 08.00",
    "måndag 7 december kl. 08.00"."""
    tz = ZoneInfo(zone)
    local = moment.astimezone(tz)
    today = (at or now()).astimezone(tz).date()
    time = local.strftime("%H.%M")
    word = rules.day_word(local.date(), today)
    if word == "today":
        return _("i dag kl. %(time)s") % {"time": time}
    if word == "tomorrow":
        return _("i morgon kl. %(time)s") % {"time": time}
    return _("%(date)s kl. %(time)s") % {
        "date": formats.date_format(local, "l j F"),
        "time": time,
    }
