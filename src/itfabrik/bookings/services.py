"""Every change of the bookings: typed, keyword-only, atomic, audited, permission-checked.

Errors: something the actor may not see is NotFound (404); something they see but may not
change is Forbidden (403); bad input is ValidationFailed (400) naming the field; a stale version
is Conflict (409). A refused call changes nothing.

The last place of a block (ADR 0026): a booking takes its place with one conditional UPDATE
(`booked = booked + 1 WHERE booked < capacity AND is_open`). The database applies it under the
row's lock and re-checks the condition for a writer that waited, so of two people taking the
last place at once exactly one gets a row back; a check constraint (`booked <= capacity`) backs
it up. The ticket row is locked first, so a double submit of the same booking waits for the first
and then finds it.

The SLA (issue 8 point 8): by default a booking puts the ticket on hold ("väntar på anmälaren")
through servicedesk's own transition service, with an internal note naming the block, and the
worker takes it back to "pågår" when the block starts (`booking_resume`); cancelling resumes at
once. `ITFABRIK_BOOKINGS_PAUSE_SLA = False` switches the pause off.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from itfabrik.accounts.models import User
from itfabrik.core import permissions
from itfabrik.core.actors import SYSTEM, Actor
from itfabrik.core.errors import Conflict, Forbidden, NotFound, ValidationFailed, lazy_format
from itfabrik.core.services import create_audited, update_audited, update_versioned
from itfabrik.servicedesk import selectors as sd_selectors
from itfabrik.servicedesk import services as sd_services
from itfabrik.servicedesk.businesstime import Calendar
from itfabrik.servicedesk.calendars import to_calendar
from itfabrik.servicedesk.choices import OPEN_STATUSES, EntryKind, Priority, TicketStatus
from itfabrik.servicedesk.models import BusinessCalendar, SlaPolicy, Ticket
from itfabrik.tenancy.models import OrgNode

from . import permissions as actions
from . import rules, selectors
from .choices import BlockPart, BookingStatus, VisitRequestSource
from .models import Block, Booking, FeedToken, VisitRequest

log = logging.getLogger(__name__)

# Checked by the service, not left to full_clean (which would query each key again).
_BLOCK_KEYS = ["cooperation", "municipality", "technician"]
_BOOKING_KEYS = ["block", "ticket", "booked_by", "cancelled_by"]


def pause_sla() -> bool:
    return bool(getattr(settings, "ITFABRIK_BOOKINGS_PAUSE_SLA", True))


def _now() -> dt.datetime:
    return timezone.now()


def _user(actor: Actor) -> User | None:
    return actor if isinstance(actor, User) else None


# --- blocks -------------------------------------------------------------------------------------


def service_calendar(cooperation_id: int) -> BusinessCalendar | None:
    """The calendar the service desk works by: the one of the normal priority's (P3) policy,
    else the cooperation's first active calendar."""
    policy = (
        SlaPolicy.objects.filter(
            cooperation_id=cooperation_id, is_active=True, priority=Priority.P3
        )
        .select_related("calendar")
        .order_by("service_tier", "pk")
        .first()
    )
    if policy is not None:
        return policy.calendar
    return (
        BusinessCalendar.objects.filter(cooperation_id=cooperation_id, is_active=True)
        .order_by("pk")
        .first()
    )


def _pure_calendar(cooperation_id: int, *days: dt.date) -> Calendar | None:
    calendar = service_calendar(cooperation_id)
    if calendar is None:
        return None
    moments = [dt.datetime.combine(d, dt.time(12), tzinfo=dt.UTC) for d in days]
    return to_calendar(calendar, *moments)


def _require_manage(actor: Actor, municipality: OrgNode) -> None:
    """404 when the actor cannot see the municipality's blocks at all, 403 when they see them
    but may not configure them."""
    if permissions.can(actor, actions.MANAGE_BLOCKS, municipality):
        return
    if permissions.can(actor, actions.VIEW_BOOKINGS, municipality):
        raise Forbidden()
    raise NotFound()


def _check_block_input(
    *,
    municipality: OrgNode,
    technician: User | None,
    part: str,
    capacity: Any,
) -> dict[str, list[Any]]:
    errors: dict[str, list[Any]] = {}
    if municipality.kind != "municipality":
        errors["municipality"] = [_("Välj en kommun.")]
    if technician is None or not technician.is_active:
        errors["technician"] = [_("Välj en tekniker.")]
    elif not permissions.can(technician, actions.TAKE_VISITS, municipality):
        errors["technician"] = [_("Personen gör inte besök i den kommunen.")]
    if part not in BlockPart.values:
        errors["part"] = [_("Välj förmiddag eller eftermiddag.")]
    if not isinstance(capacity, int) or isinstance(capacity, bool):
        errors["capacity"] = [_("Ange antalet besök som ett heltal.")]
    return errors


def _times(
    part: str,
    day: dt.date,
    zone: str,
    hours: dict[str, tuple[dt.time, dt.time]] | None,
) -> tuple[dt.datetime, dt.datetime]:
    start, end = (hours or rules.DEFAULT_HOURS)[part]
    return rules.block_times(day, start, end, zone)


def block_create(
    *,
    actor: Actor,
    technician: User | None,
    municipality: OrgNode,
    date: dt.date,
    part: str,
    capacity: int = 2,
    note: str = "",
    hours: dict[str, tuple[dt.time, dt.time]] | None = None,
) -> Block:
    """One block of a technician in a municipality, on a working day of the service-desk
    calendar. `hours` overrides the default times of the parts."""
    _require_manage(actor, municipality)
    errors = _check_block_input(
        municipality=municipality, technician=technician, part=part, capacity=capacity
    )
    too_far = (date - timezone.localdate()).days > rules.MAX_AHEAD_DAYS
    cal = None if too_far else _pure_calendar(municipality.cooperation_id, date)
    zone = cal.timezone if cal is not None else settings.TIME_ZONE
    if date < timezone.localdate():
        errors["date"] = [_("Datumet har redan varit.")]
    elif (date - timezone.localdate()).days > rules.MAX_AHEAD_DAYS:
        errors["date"] = [_("Datumet ligger för långt fram.")]
    elif cal is not None and not rules.is_working_day(cal, date):
        errors["date"] = [_("Servicedesken har stängt den dagen.")]
    if errors:
        raise ValidationFailed(fields=errors)
    assert technician is not None
    starts_at, ends_at = _times(part, date, zone, hours)
    with transaction.atomic():
        return create_audited(
            actor=actor,
            instance=Block(
                cooperation_id=municipality.cooperation_id,
                municipality=municipality,
                technician=technician,
                date=date,
                part=part,
                starts_at=starts_at,
                ends_at=ends_at,
                capacity=capacity,
                note=note.strip(),
            ),
            scope_path=municipality.path,
            exclude=_BLOCK_KEYS,
        )


def blocks_generate(
    *,
    actor: Actor,
    technician: User | None,
    municipality: OrgNode,
    first: dt.date,
    last: dt.date,
    parts: list[str],
    capacity: int = 2,
    hours: dict[str, tuple[dt.time, dt.time]] | None = None,
) -> list[Block]:
    """Blocks for every working day of the service-desk calendar in [first, last] (closed days,
    holidays and eves skipped). Blocks the technician already has are left as they are, so
    running it twice gives the same blocks."""
    _require_manage(actor, municipality)
    errors = _check_block_input(
        municipality=municipality,
        technician=technician,
        part=(parts or [""])[0],
        capacity=capacity,
    )
    if not parts or any(p not in BlockPart.values for p in parts):
        errors["parts"] = [_("Välj förmiddag, eftermiddag eller båda.")]
    errors.pop("part", None)
    if first < timezone.localdate():
        errors["first"] = [_("Datumet har redan varit.")]
    if (last - timezone.localdate()).days > rules.MAX_AHEAD_DAYS:
        errors["last"] = [_("Datumet ligger för långt fram.")]
    elif last < first:
        errors["last"] = [_("Slutdatumet ligger före startdatumet.")]
    elif (last - first).days > rules.MAX_GENERATE_DAYS:
        errors["last"] = [
            lazy_format(_("Skapa högst %(days)s dagar åt gången."), days=rules.MAX_GENERATE_DAYS)
        ]
    if errors:
        raise ValidationFailed(fields=errors)
    assert technician is not None
    cal = _pure_calendar(municipality.cooperation_id, first, last)
    if cal is None:
        raise ValidationFailed(fields={"first": [_("Samverkan har ingen servicedeskkalender.")]})
    existing = set(
        Block.objects.filter(technician=technician, date__gte=first, date__lte=last).values_list(
            "date", "part"
        )
    )
    created: list[Block] = []
    with transaction.atomic():
        for day in rules.working_days(cal, first, last):
            for part in parts:
                if (day, part) in existing:
                    continue
                starts_at, ends_at = _times(part, day, cal.timezone, hours)
                created.append(
                    create_audited(
                        actor=actor,
                        instance=Block(
                            cooperation_id=municipality.cooperation_id,
                            municipality=municipality,
                            technician=technician,
                            date=day,
                            part=part,
                            starts_at=starts_at,
                            ends_at=ends_at,
                            capacity=capacity,
                        ),
                        scope_path=municipality.path,
                        exclude=_BLOCK_KEYS,
                    )
                )
    return created


BLOCK_FIELDS = {"capacity", "note", "is_open"}


def block_update(
    *, actor: Actor, block: Block, expected_version: int | None, **changes: Any
) -> Block:
    """Correct a block's capacity or note, or close/reopen it. Capacity never below the places
    already booked; a block with bookings is not closed (rebook or cancel them first)."""
    unknown = set(changes) - BLOCK_FIELDS
    if unknown:
        raise ValidationFailed(
            fields={k: [_("Fältet kan inte ändras här.")] for k in sorted(unknown)}
        )
    with transaction.atomic():
        current = (
            Block.objects.select_for_update(of=("self",))
            .filter(selectors.block_visible_q(actor), pk=block.pk)
            .select_related("municipality")
            .first()
        )
        if current is None:
            raise NotFound()
        _require_manage(actor, current.municipality)
        if expected_version is not None and current.version != expected_version:
            raise Conflict()
        if changes.get("is_open") is False and current.is_open and current.booked:
            raise ValidationFailed(
                fields={
                    "is_open": [
                        lazy_format(
                            _(
                                "Passet har %(count)s bokade besök. Boka om eller avboka dem "
                                "innan passet stängs."
                            ),
                            count=current.booked,
                        )
                    ]
                }
            )
        if "note" in changes:
            changes["note"] = str(changes["note"] or "").strip()
        return update_versioned(
            actor=actor,
            instance=current,
            expected_version=None,
            changes=changes,
            scope_path=current.municipality.path,
            exclude=_BLOCK_KEYS,
        )


def block_close(*, actor: Actor, block: Block, expected_version: int | None) -> Block:
    return block_update(actor=actor, block=block, expected_version=expected_version, is_open=False)


# --- bookings -----------------------------------------------------------------------------------


def _locked_ticket(actor: Actor, ticket: Ticket) -> Ticket:
    """The visible ticket, locked (NotFound when the actor may not see it); Forbidden when the
    actor sees it but may not book for it (neither its requester nor booking staff there)."""
    qs = Ticket.objects.select_for_update(of=("self",)).select_related("unit", "municipality")
    if not permissions.is_superuser(actor):
        qs = qs.filter(sd_selectors.visible_q(actor))
    current = qs.filter(pk=ticket.pk).first()
    if current is None:
        raise NotFound()
    if not may_book(actor, current):
        raise Forbidden()
    return current


def may_book(actor: Actor, ticket: Ticket) -> bool:
    """The requester books for their own ticket; booking staff for any ticket of their units."""
    if getattr(actor, "pk", None) is not None and actor.pk == ticket.requester_id:
        return True
    return permissions.can(actor, actions.BOOK_FOR_OTHERS, ticket.unit)


def _visible_block(actor: Actor, block: Block) -> Block:
    found = (
        Block.objects.filter(selectors.block_visible_q(actor), pk=block.pk)
        .select_related("municipality", "technician")
        .first()
    )
    if found is None:
        raise NotFound()
    return found


def _check_block_for(ticket: Ticket, block: Block, now: dt.datetime) -> None:
    errors: list[Any] = []
    if ticket.municipality_id is None or block.municipality_id != ticket.municipality_id:
        errors.append(
            _("Passet gäller en annan kommun än ärendet. Välj ett pass i ärendets kommun.")
        )
    elif block.starts_at <= now:
        errors.append(_("Passet har redan börjat. Välj ett senare pass."))
    elif not block.is_open:
        errors.append(_("Passet är stängt för bokning. Välj ett annat pass."))
    if errors:
        raise ValidationFailed(fields={"block": errors})


def _take_place(block: Block) -> None:
    taken = Block.objects.filter(pk=block.pk, is_open=True, booked__lt=F("capacity")).update(
        booked=F("booked") + 1
    )
    if not taken:
        raise ValidationFailed(fields={"block": [_("Passet är fullbokat. Välj ett annat pass.")]})


def _release_place(block_id: int) -> None:
    Block.objects.filter(pk=block_id, booked__gt=0).update(booked=F("booked") - 1)


def block_label(block: Block) -> str:
    """ "förmiddag tisdag 8 december 2026 08:00–12:00, Färgelanda kommun (Tore Karlsson)" in
    the site's language (notes on a ticket are read later by anyone)."""
    start = timezone.localtime(block.starts_at)
    end = timezone.localtime(block.ends_at)
    with override(settings.LANGUAGE_CODE):
        part = str(BlockPart(block.part).label).lower()
        day = formats.date_format(start, "l j F Y")
        who = block.technician.get_full_name() or block.technician.get_username()
        return f"{part} {day} {start:%H:%M}–{end:%H:%M}, {block.municipality.name} ({who})"


def _note(ticket: Ticket, text: Any) -> None:
    with override(settings.LANGUAGE_CODE):
        body = str(text)
    sd_services.entry_add(actor=SYSTEM, ticket=ticket, kind=EntryKind.INTERNAL, body=body)


def _pause(ticket: Ticket) -> bool:
    """Put the ticket on hold until the visit; False when it is already waiting (then another
    reason holds it, and this booking will not resume it)."""
    if ticket.status in (TicketStatus.WAITING_REQUESTER, TicketStatus.WAITING_SUPPLIER):
        return False
    current = ticket
    if current.status == TicketStatus.NEW:
        # The status table has no new → waiting; "tilldelad" is the step that says nothing
        # about a first answer (in progress would set first_response_at).
        current = sd_services.ticket_transition(
            actor=SYSTEM, ticket=current, expected_version=None, status=TicketStatus.ASSIGNED
        )
    sd_services.ticket_transition(
        actor=SYSTEM,
        ticket=current,
        expected_version=None,
        status=TicketStatus.WAITING_REQUESTER,
    )
    return True


def _schedule_resume(booking: Booking, at: dt.datetime) -> None:
    from django_tasks import default_task_backend

    if not default_task_backend.supports_defer:
        return  # e.g. the tests' immediate backend: the sweep (`bookings_resume_due`) does it
    from .tasks import resume_booking

    booking_id = booking.pk
    transaction.on_commit(lambda: resume_booking.using(run_after=at).enqueue(booking_id=booking_id))


def booking_create(*, actor: Actor, ticket: Ticket, block: Block, note: str = "") -> Booking:
    """Book a visit for the ticket in the block. The same booking submitted twice gives the
    first one back; a ticket has at most one booked visit (rebook to move it)."""
    now = _now()
    with transaction.atomic():
        current = _locked_ticket(actor, ticket)
        if current.status not in OPEN_STATUSES:
            raise ValidationFailed(
                fields={"ticket": [_("Ärendet är avslutat. Ett besök kan inte bokas.")]}
            )
        target = _visible_block(actor, block)
        existing = selectors.active_booking_get(ticket=current)
        if existing is not None:
            if existing.block_id == target.pk:
                return existing
            raise ValidationFailed(
                fields={"block": [_("Ärendet har redan ett bokat besök. Boka om det i stället.")]}
            )
        _check_block_for(current, target, now)
        if len(note) > 500:
            raise ValidationFailed(fields={"note": [_("Texten är för lång: högst 500 tecken.")]})
        _take_place(target)
        paused = pause_sla()
        booking = create_audited(
            actor=actor,
            instance=Booking(
                block=target,
                ticket=current,
                note=note.strip(),
                booked_by=_user(actor),
                paused_sla=False,
            ),
            scope_path=current.unit.path,
            exclude=_BOOKING_KEYS,
        )
        request = selectors.open_request_get(ticket=current)
        if request is not None:
            update_audited(
                actor=actor,
                instance=request,
                changes={"is_open": False},
                scope_path=current.unit.path,
                exclude=["ticket", "requested_by"],
            )
        _note(current, lazy_format(_("Besök bokat: %(block)s."), block=block_label(target)))
        if paused and current.status in OPEN_STATUSES:
            fresh = Ticket.objects.get(pk=current.pk)
            if _pause(fresh):
                Booking.objects.filter(pk=booking.pk).update(paused_sla=True)
                booking.paused_sla = True
                _schedule_resume(booking, target.starts_at)
        return booking


def _locked_booking(actor: Actor, booking: Booking, expected_version: int | None) -> Booking:
    current = (
        Booking.objects.select_for_update()
        .filter(selectors.booking_visible_q(actor), pk=booking.pk)
        .first()
    )
    if current is None:
        raise NotFound()
    ticket = Ticket.objects.select_related("unit", "municipality").get(pk=current.ticket_id)
    if not may_book(actor, ticket):
        raise Forbidden()
    if expected_version is not None and current.version != expected_version:
        raise Conflict()
    current.ticket = ticket
    current.block = Block.objects.select_related("municipality", "technician").get(
        pk=current.block_id
    )
    return current


def _check_changeable(booking: Booking, now: dt.datetime, field: str) -> None:
    if booking.status != BookingStatus.ACTIVE:
        raise ValidationFailed(fields={field: [_("Besöket är redan avbokat.")]})
    if booking.block.starts_at <= now:
        raise ValidationFailed(fields={field: [_("Besöket har redan börjat och kan inte ändras.")]})


def booking_rebook(
    *, actor: Actor, booking: Booking, expected_version: int | None, block: Block
) -> Booking:
    """Move a booked visit to another block of the same municipality. The ticket stays on hold
    (when this booking holds it) until the new block starts."""
    now = _now()
    with transaction.atomic():
        current = _locked_booking(actor, booking, expected_version)
        _check_changeable(current, now, "block")
        target = _visible_block(actor, block)
        if target.pk == current.block_id:
            return current
        _check_block_for(current.ticket, target, now)
        _take_place(target)
        _release_place(current.block_id)
        updated = update_versioned(
            actor=actor,
            instance=current,
            expected_version=None,
            changes={"block": target},
            scope_path=current.ticket.unit.path,
            exclude=_BOOKING_KEYS,
        )
        _note(
            current.ticket,
            lazy_format(
                _("Besöket är ombokat från %(old)s till %(new)s."),
                old=block_label(current.block),
                new=block_label(target),
            ),
        )
        if updated.paused_sla and updated.resumed_at is None:
            _schedule_resume(updated, target.starts_at)
        return updated


def booking_cancel(
    *, actor: Actor, booking: Booking, expected_version: int | None, reason: str = ""
) -> Booking:
    """Cancel a booked visit: the place is free again and a ticket this booking held goes
    back to work at once."""
    now = _now()
    with transaction.atomic():
        current = _locked_booking(actor, booking, expected_version)
        _check_changeable(current, now, "status")
        _release_place(current.block_id)
        changes: dict[str, Any] = {
            "status": BookingStatus.CANCELLED,
            "cancelled_at": now,
            "cancelled_by": _user(actor),
        }
        text = lazy_format(_("Besöket %(block)s är avbokat."), block=block_label(current.block))
        if reason.strip():
            text = lazy_format(_("%(text)s Skäl: %(reason)s"), text=text, reason=reason.strip())
        _note(current.ticket, text)
        if current.paused_sla and current.resumed_at is None:
            _resume_ticket(current.ticket)
            changes["resumed_at"] = now
        return update_versioned(
            actor=actor,
            instance=current,
            expected_version=None,
            changes=changes,
            scope_path=current.ticket.unit.path,
            exclude=_BOOKING_KEYS,
        )


def on_resolved(*, ticket_id: int) -> None:
    """A ticket resolved before its visit frees the place: nobody drives out to a solved problem,
    and someone else can have the block (ADR 0052). A visit whose block has begun stays, as
    booking_cancel would refuse it; a reopened ticket is booked anew."""
    with override(settings.LANGUAGE_CODE):
        reason = str(_("Ärendet löstes före besöket."))
    ahead = Booking.objects.filter(
        ticket_id=ticket_id, status=BookingStatus.ACTIVE, block__starts_at__gt=_now()
    )
    for booking in list(ahead):
        try:
            booking_cancel(actor=SYSTEM, booking=booking, expected_version=None, reason=reason)
        except Exception:  # the resolution is saved; the visit is left for a person to cancel
            log.exception("visit %s of resolved ticket %s not cancelled", booking.pk, ticket_id)


def _resume_ticket(ticket: Ticket) -> None:
    """Back to work, unless someone already moved the ticket on (a reply, resolved…)."""
    fresh = Ticket.objects.get(pk=ticket.pk)
    if fresh.status == TicketStatus.WAITING_REQUESTER:
        sd_services.ticket_transition(
            actor=SYSTEM, ticket=fresh, expected_version=None, status=TicketStatus.IN_PROGRESS
        )


def booking_resume(*, booking_id: int, now: dt.datetime | None = None) -> bool:
    """The worker's step at the start of the booked block: the ticket this booking holds goes
    back to "pågår". Idempotent; a booking moved to a later block waits for that one."""
    now = now or _now()
    with transaction.atomic():
        current = (
            Booking.objects.select_for_update()
            .filter(
                pk=booking_id,
                status=BookingStatus.ACTIVE,
                paused_sla=True,
                resumed_at__isnull=True,
            )
            .first()
        )
        if current is None:
            return False
        block = Block.objects.select_related("municipality").get(pk=current.block_id)
        if block.starts_at > now:
            return False
        ticket = Ticket.objects.select_related("unit").get(pk=current.ticket_id)
        _resume_ticket(ticket)
        update_versioned(
            actor=SYSTEM,
            instance=current,
            expected_version=None,
            changes={"resumed_at": now},
            scope_path=ticket.unit.path,
            exclude=_BOOKING_KEYS,
        )
        return True


def bookings_resume_due(*, now: dt.datetime | None = None) -> int:
    """Resume every ticket whose booked block has started (the sweep behind the deferred jobs:
    safe to run any number of times)."""
    now = now or _now()
    due = Booking.objects.filter(
        status=BookingStatus.ACTIVE,
        paused_sla=True,
        resumed_at__isnull=True,
        block__starts_at__lte=now,
    ).values_list("pk", flat=True)
    return sum(booking_resume(booking_id=pk, now=now) for pk in list(due))


def visit_request_mark(*, actor: Actor, ticket: Ticket, note: str = "") -> VisitRequest:
    """Mark that the ticket needs someone on site: by an agent, or asked for by the requester.
    The requester is then offered the free blocks in the portal. Marking twice keeps one."""
    with transaction.atomic():
        current = _locked_ticket(actor, ticket)
        if current.status not in OPEN_STATUSES:
            raise ValidationFailed(
                fields={"ticket": [_("Ärendet är avslutat. Ett besök kan inte bokas.")]}
            )
        existing = selectors.open_request_get(ticket=current)
        if existing is not None:
            return existing
        is_requester = getattr(actor, "pk", None) == current.requester_id
        return create_audited(
            actor=actor,
            instance=VisitRequest(
                ticket=current,
                source=VisitRequestSource.REQUESTER if is_requester else VisitRequestSource.AGENT,
                requested_by=_user(actor),
                note=note.strip()[:500],
            ),
            scope_path=current.unit.path,
            exclude=["ticket", "requested_by"],
        )


# --- the calendar feed ----------------------------------------------------------------------


def feed_token_renew(*, actor: Actor) -> str:
    """A new secret for the actor's calendar-feed address (the old address stops working).
    Returns the secret; only its digest is kept."""
    user = _user(actor)
    if user is None or not permissions.can_anywhere(user, actions.TAKE_VISITS):
        raise Forbidden()
    token = secrets.token_urlsafe(32)
    digest = hashlib.sha256(token.encode()).hexdigest()
    scope = user.home_unit.path if user.home_unit_id and user.home_unit else ""
    with transaction.atomic():
        existing = FeedToken.objects.select_for_update().filter(user=user).first()
        if existing is None:
            create_audited(
                actor=actor,
                instance=FeedToken(user=user, digest=digest),
                scope_path=scope,
                exclude=["user"],
            )
        else:
            update_audited(
                actor=actor,
                instance=existing,
                changes={"digest": digest},
                scope_path=scope,
                exclude=["user"],
            )
    return token
