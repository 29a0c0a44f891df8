"""A technician's blocks and booked visits as an iCalendar feed (RFC 5545), with the
`icalendar` package. One VEVENT per booked visit (SUMMARY with the ticket reference, LOCATION the
unit and municipality) and one per block without bookings (so the technician sees the day is
held). Times are in UTC; UIDs are stable, so a calendar program updates an event that was
rebooked instead of adding a second one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import override
from icalendar import Calendar, Event

from .choices import BlockPart
from .models import Block

PRODID = "-//itfabrik//Besöksbokning//SV"


def _uid(kind: str, pk: int, host: str) -> str:
    return f"itfabrik-{kind}-{pk}@{host}"


def render(blocks: Iterable[Block], *, name: str, host: str, now: dt.datetime) -> bytes:
    """The feed; each block needs `active_bookings` (selectors.calendar_block_list)."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    stamp = now.astimezone(dt.UTC)
    with override(settings.LANGUAGE_CODE):
        for block in blocks:
            part = str(BlockPart(block.part).label)
            bookings = getattr(block, "active_bookings", [])
            municipality = block.municipality.name
            if not bookings:
                event = Event()
                event.add("uid", _uid("block", block.pk, host))
                event.add("dtstamp", stamp)
                event.add("dtstart", block.starts_at.astimezone(dt.UTC))
                event.add("dtend", block.ends_at.astimezone(dt.UTC))
                event.add(
                    "summary",
                    _("Besökspass %(part)s, %(place)s")
                    % {"part": part.lower(), "place": municipality},
                )
                event.add("location", municipality)
                event.add("transp", "TRANSPARENT")
                cal.add_component(event)
                continue
            for booking in bookings:
                ticket = booking.ticket
                event = Event()
                event.add("uid", _uid("booking", booking.pk, host))
                event.add("dtstamp", stamp)
                event.add("dtstart", block.starts_at.astimezone(dt.UTC))
                event.add("dtend", block.ends_at.astimezone(dt.UTC))
                event.add("summary", f"{ticket.reference} {ticket.title}")
                same = ticket.unit_id == block.municipality_id
                event.add(
                    "location", municipality if same else f"{ticket.unit.name}, {municipality}"
                )
                description = _("Besök %(part)s.") % {"part": part.lower()}
                if booking.note:
                    description += "\n" + booking.note
                event.add("description", description)
                event.add("sequence", booking.version)
                event.add("status", "CONFIRMED")
                cal.add_component(event)
    return cal.to_ical()
