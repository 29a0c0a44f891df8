"""The bookings' services: blocks on working days, booking with its limits, rebooking and
cancelling, the SLA pause and resume, audit rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db.models import F
from django.utils import timezone

from itfabrik.bookings import rules, selectors, services
from itfabrik.bookings.choices import BookingStatus
from itfabrik.bookings.models import Block, Booking, VisitRequest
from itfabrik.core.actors import SYSTEM
from itfabrik.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from itfabrik.core.models import AuditEntry
from itfabrik.core.tests import assert_unchanged, db_state
from itfabrik.servicedesk.choices import EntryKind, TicketStatus
from itfabrik.servicedesk.models import Ticket, TicketEntry

pytestmark = pytest.mark.django_db


def _messages(exc: Any, field: str) -> list[str]:
    return [str(m) for m in exc.value.fields[field]]


# --- blocks -------------------------------------------------------------------------------------


def test_generate_skips_weekends_and_holidays_and_is_idempotent(visits: Any) -> None:
    # Next year's Christmas (the demo's blocks never reach it): julafton, juldagen, annandag
    # jul, nyårsafton and the weekends are closed.
    year = timezone.localdate().year + 1
    first, last = dt.date(year, 12, 21), dt.date(year, 12, 31)
    created = services.blocks_generate(
        actor=visits.admin,
        technician=visits.tekniker,
        municipality=visits.fargelanda,
        first=first,
        last=last,
        parts=["morning", "afternoon"],
        capacity=3,
    )
    days = sorted({b.date for b in created})
    cal = services._pure_calendar(visits.fargelanda.cooperation_id, first)
    assert cal is not None
    assert days == list(rules.working_days(cal, first, last))
    for closed in (dt.date(year, 12, 24), dt.date(year, 12, 25), dt.date(year, 12, 26)):
        assert closed not in days
    assert all(d.weekday() < 5 for d in days)
    assert dt.date(year, 12, 31) not in days  # nyårsafton is closed in the demo calendar
    assert len(created) == 2 * len(days)
    morning = next(b for b in created if b.part == "morning")
    local = timezone.localtime(morning.starts_at)
    assert (local.hour, local.minute) == (8, 0)
    assert timezone.localtime(morning.ends_at).hour == 12
    afternoon = next(b for b in created if b.part == "afternoon")
    assert timezone.localtime(afternoon.starts_at).strftime("%H:%M") == "12:30"
    assert timezone.localtime(afternoon.ends_at).strftime("%H:%M") == "16:30"
    assert AuditEntry.objects.filter(object_type="bookings.block", action="create").count() >= len(
        created
    )
    again = services.blocks_generate(
        actor=visits.admin,
        technician=visits.tekniker,
        municipality=visits.fargelanda,
        first=first,
        last=last,
        parts=["morning", "afternoon"],
    )
    assert again == []


def test_block_on_a_closed_day_or_in_the_past_is_refused(visits: Any) -> None:
    today = timezone.localdate()
    saturday = today + dt.timedelta(days=(5 - today.weekday()) % 7 + 7)
    before = db_state()
    with pytest.raises(ValidationFailed) as exc:
        services.block_create(
            actor=visits.admin,
            technician=visits.tekniker,
            municipality=visits.fargelanda,
            date=saturday,
            part="morning",
        )
    assert _messages(exc, "date") == ["Servicedesken har stängt den dagen."]
    with pytest.raises(ValidationFailed) as exc:
        services.block_create(
            actor=visits.admin,
            technician=visits.tekniker,
            municipality=visits.fargelanda,
            date=today - dt.timedelta(days=1),
            part="morning",
        )
    assert _messages(exc, "date") == ["Datumet har redan varit."]
    with pytest.raises(ValidationFailed) as exc:
        services.block_create(
            actor=visits.admin,
            technician=visits.tekniker,
            municipality=visits.fargelanda,
            date=dt.date(9999, 12, 31),
            part="morning",
        )
    assert _messages(exc, "date") == ["Datumet ligger för långt fram."]
    assert_unchanged(before)


def test_only_technicians_hold_blocks_and_only_team_leads_configure(visits: Any) -> None:
    day = visits.next_day()
    before = db_state()
    with pytest.raises(ValidationFailed) as exc:
        services.block_create(
            actor=visits.admin,
            technician=visits.fia,
            municipality=visits.fargelanda,
            date=day,
            part="morning",
        )
    assert _messages(exc, "technician") == ["Personen gör inte besök i den kommunen."]
    with pytest.raises(Forbidden):  # the agent sees blocks but does not configure them
        services.block_create(
            actor=visits.agent,
            technician=visits.tekniker,
            municipality=visits.fargelanda,
            date=day,
            part="morning",
        )
    with pytest.raises(NotFound):  # a portal user of another municipality sees nothing
        services.block_create(
            actor=visits.bjorn,
            technician=visits.tekniker,
            municipality=visits.fargelanda,
            date=day,
            part="morning",
        )
    assert_unchanged(before)


def test_capacity_is_never_below_the_booked_places_and_a_booked_block_stays_open(
    visits: Any,
) -> None:
    block = visits.block(capacity=2)
    services.booking_create(actor=visits.fia, ticket=visits.ticket(), block=block)
    services.booking_create(actor=visits.fia, ticket=visits.ticket(), block=block)
    block.refresh_from_db()
    before = db_state()
    with pytest.raises(ValidationFailed) as exc:
        services.block_update(actor=visits.admin, block=block, expected_version=None, capacity=1)
    assert _messages(exc, "capacity") == [
        "Passet har fler bokade besök än så. Boka om eller avboka först."
    ]
    with pytest.raises(ValidationFailed) as exc:
        services.block_close(actor=visits.admin, block=block, expected_version=block.version)
    assert "2 bokade besök" in _messages(exc, "is_open")[0]
    with pytest.raises(Conflict):
        services.block_update(
            actor=visits.admin, block=block, expected_version=block.version + 1, note="x"
        )
    assert_unchanged(before)
    updated = services.block_update(
        actor=visits.admin, block=block, expected_version=block.version, capacity=3, note=" Bil 2 "
    )
    assert (updated.capacity, updated.note, updated.version) == (3, "Bil 2", block.version + 1)


# --- booking ------------------------------------------------------------------------------------


def test_booking_takes_a_place_pauses_the_ticket_and_notes_the_block(visits: Any) -> None:
    block = visits.block(capacity=2)
    ticket = visits.ticket()
    assert ticket.status == TicketStatus.NEW
    booking = services.booking_create(
        actor=visits.fia, ticket=ticket, block=block, note="Jag sitter i rum 12."
    )
    block.refresh_from_db()
    ticket.refresh_from_db()
    assert block.booked == 1
    assert booking.status == BookingStatus.ACTIVE
    assert booking.booked_by == visits.fia
    assert booking.paused_sla is True
    assert ticket.status == TicketStatus.WAITING_REQUESTER
    assert ticket.paused_since is not None
    assert ticket.first_response_at is None  # booking is not an answer
    note = TicketEntry.objects.filter(ticket=ticket, kind=EntryKind.INTERNAL).latest("pk")
    assert note.body.startswith("Besök bokat: förmiddag ")
    assert "08:00–12:00, Färgelanda kommun (Tore Karlsson)" in note.body
    audit = AuditEntry.objects.get(object_type="bookings.booking", object_id=str(booking.pk))
    assert audit.action == "create"
    assert audit.actor == visits.fia


def test_pause_can_be_switched_off(visits: Any, settings: Any) -> None:
    settings.ITFABRIK_BOOKINGS_PAUSE_SLA = False
    ticket = visits.ticket()
    booking = services.booking_create(actor=visits.fia, ticket=ticket, block=visits.block())
    ticket.refresh_from_db()
    assert booking.paused_sla is False
    assert ticket.status == TicketStatus.NEW
    assert services.booking_resume(booking_id=booking.pk, now=booking.block.starts_at) is False


def test_a_ticket_already_waiting_is_left_to_its_own_reason(visits: Any) -> None:
    from itfabrik.servicedesk import services as sd_services

    ticket = visits.ticket()
    for status in (TicketStatus.IN_PROGRESS, TicketStatus.WAITING_SUPPLIER):
        ticket = sd_services.ticket_transition(
            actor=visits.agent, ticket=ticket, expected_version=None, status=status
        )
    booking = services.booking_create(actor=visits.fia, ticket=ticket, block=visits.block())
    ticket.refresh_from_db()
    assert booking.paused_sla is False
    assert ticket.status == TicketStatus.WAITING_SUPPLIER


def test_the_worker_resumes_at_the_blocks_start_once(visits: Any) -> None:
    block = visits.block()
    ticket = visits.ticket()
    booking = services.booking_create(actor=visits.fia, ticket=ticket, block=block)
    early = block.starts_at - dt.timedelta(minutes=1)
    assert services.booking_resume(booking_id=booking.pk, now=early) is False
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.WAITING_REQUESTER
    # The sweep resumes every booking whose block has started: the demo's earlier ones too.
    assert services.bookings_resume_due(now=block.starts_at) >= 1
    ticket.refresh_from_db()
    booking.refresh_from_db()
    assert ticket.status == TicketStatus.IN_PROGRESS
    assert ticket.paused_since is None
    assert booking.resumed_at == block.starts_at
    # Idempotent: a second run (or the deferred job after the sweep) changes nothing.
    before = db_state()
    assert services.bookings_resume_due(now=block.starts_at + dt.timedelta(hours=1)) == 0
    assert services.booking_resume(booking_id=booking.pk) is False
    assert_unchanged(before)


def test_resume_leaves_a_ticket_someone_already_moved_on(visits: Any) -> None:
    block = visits.block()
    ticket = visits.ticket()
    booking = services.booking_create(actor=visits.fia, ticket=ticket, block=block)
    from itfabrik.servicedesk import services as sd_services

    sd_services.entry_add(actor=visits.fia, ticket=ticket, kind="public", body="Det löste sig!")
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.IN_PROGRESS  # the requester's reply resumed it
    sd_services.ticket_transition(
        actor=visits.agent, ticket=ticket, expected_version=None, status=TicketStatus.RESOLVED
    )
    assert services.booking_resume(booking_id=booking.pk, now=block.starts_at) is True
    ticket.refresh_from_db()
    booking.refresh_from_db()
    assert ticket.status == TicketStatus.RESOLVED
    assert booking.resumed_at is not None


def test_a_deferred_job_is_queued_for_the_blocks_start(
    visits: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    block = visits.block()
    with django_capture_on_commit_callbacks(execute=True):
        booking = services.booking_create(actor=visits.fia, ticket=visits.ticket(), block=block)
    job = DBTaskResult.objects.get(task_path="itfabrik.bookings.tasks.resume_booking")
    assert job.run_after == block.starts_at
    assert job.args_kwargs["kwargs"] == {"booking_id": booking.pk}


def test_full_block_is_refused_and_nothing_changes(visits: Any) -> None:
    block = visits.block(capacity=1)
    services.booking_create(actor=visits.fia, ticket=visits.ticket(), block=block)
    other = visits.ticket()
    before = db_state()
    with pytest.raises(ValidationFailed) as exc:
        services.booking_create(actor=visits.fia, ticket=other, block=block)
    assert _messages(exc, "block") == ["Passet är fullbokat. Välj ett annat pass."]
    assert_unchanged(before)


def test_sequential_last_place_goes_to_exactly_one(visits: Any) -> None:
    """The same race as the PostgreSQL test, one after the other (both databases): the
    counter and the constraint agree with the rows."""
    block = visits.block(capacity=2)
    outcomes = []
    for _ in range(3):
        try:
            services.booking_create(actor=visits.fia, ticket=visits.ticket(), block=block)
            outcomes.append("ok")
        except ValidationFailed:
            outcomes.append("full")
    assert outcomes == ["ok", "ok", "full"]
    block.refresh_from_db()
    assert block.booked == 2
    assert Booking.objects.filter(block=block, status=BookingStatus.ACTIVE).count() == 2
    # The database refuses an overbooked counter even if a writer skipped the condition.
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Block.objects.filter(pk=block.pk).update(booked=F("booked") + 1)


def test_past_closed_and_foreign_blocks_are_refused(visits: Any) -> None:
    ticket = visits.ticket()
    started = visits.block()
    now = timezone.now()
    # A block whose morning has come (time passes; the test does not wait for it).
    Block.objects.filter(pk=started.pk).update(
        starts_at=now - dt.timedelta(minutes=5), ends_at=now + dt.timedelta(hours=3)
    )
    closed = visits.block()
    services.block_close(actor=visits.admin, block=closed, expected_version=None)
    foreign = visits.block(visits.bengtsfors)
    before = db_state()
    with pytest.raises(ValidationFailed) as exc:
        services.booking_create(actor=visits.agent, ticket=ticket, block=started)
    assert _messages(exc, "block") == ["Passet har redan börjat. Välj ett senare pass."]
    with pytest.raises(ValidationFailed) as exc:
        services.booking_create(actor=visits.agent, ticket=ticket, block=closed)
    assert _messages(exc, "block") == ["Passet är stängt för bokning. Välj ett annat pass."]
    with pytest.raises(ValidationFailed) as exc:  # the agent sees it, but it is elsewhere
        services.booking_create(actor=visits.agent, ticket=ticket, block=foreign)
    assert _messages(exc, "block") == [
        "Passet gäller en annan kommun än ärendet. Välj ett pass i ärendets kommun."
    ]
    with pytest.raises(NotFound):  # the requester does not even see Bengtsfors' blocks
        services.booking_create(actor=visits.fia, ticket=ticket, block=foreign)
    assert_unchanged(before)


def test_double_submit_gives_the_first_booking_back(visits: Any) -> None:
    block = visits.block(capacity=2)
    ticket = visits.ticket()
    first = services.booking_create(actor=visits.fia, ticket=ticket, block=block)
    before = db_state()
    again = services.booking_create(actor=visits.fia, ticket=ticket, block=block)
    assert again.pk == first.pk
    assert_unchanged(before)
    with pytest.raises(ValidationFailed) as exc:
        services.booking_create(actor=visits.fia, ticket=ticket, block=visits.block())
    assert _messages(exc, "block") == ["Ärendet har redan ett bokat besök. Boka om det i stället."]


def test_others_may_not_book_for_a_ticket(visits: Any, demo: Any) -> None:
    ticket = visits.ticket()
    block = visits.block()
    before = db_state()
    with pytest.raises(NotFound):
        services.booking_create(actor=visits.bjorn, ticket=ticket, block=block)
    with pytest.raises(NotFound):
        services.booking_create(actor=demo.user("ekonom"), ticket=ticket, block=block)
    assert_unchanged(before)


def test_closed_ticket_cannot_get_a_visit(visits: Any) -> None:
    from itfabrik.servicedesk import services as sd_services

    ticket = sd_services.ticket_transition(
        actor=visits.agent,
        ticket=visits.ticket(),
        expected_version=None,
        status=TicketStatus.RESOLVED,
    )
    block = visits.block()
    before = db_state()
    with pytest.raises(ValidationFailed) as exc:
        services.booking_create(actor=visits.fia, ticket=ticket, block=block)
    assert "ticket" in exc.value.fields
    assert_unchanged(before)


# --- rebook and cancel --------------------------------------------------------------------------


def test_rebook_moves_the_place_and_keeps_the_pause(visits: Any) -> None:
    old, new = visits.block(capacity=1), visits.block(capacity=1)
    ticket = visits.ticket()
    booking = services.booking_create(actor=visits.fia, ticket=ticket, block=old)
    moved = services.booking_rebook(
        actor=visits.agent, booking=booking, expected_version=booking.version, block=new
    )
    old.refresh_from_db()
    new.refresh_from_db()
    ticket.refresh_from_db()
    assert (old.booked, new.booked) == (0, 1)
    assert moved.block_id == new.pk
    assert moved.version == booking.version + 1
    assert ticket.status == TicketStatus.WAITING_REQUESTER
    audit = AuditEntry.objects.filter(
        object_type="bookings.booking", object_id=str(booking.pk), action="update"
    ).latest("pk")
    assert audit.before["block_id"] == old.pk
    assert audit.after["block_id"] == new.pk
    note = TicketEntry.objects.filter(ticket=ticket).latest("pk")
    assert note.body.startswith("Besöket är ombokat från förmiddag")
    # The old block's start no longer counts; the new one's does.
    assert services.booking_resume(booking_id=booking.pk, now=old.starts_at) is False
    assert services.booking_resume(booking_id=booking.pk, now=new.starts_at) is True
    # A stale page: nothing moves.
    before = db_state()
    with pytest.raises(Conflict):
        services.booking_rebook(
            actor=visits.fia, booking=booking, expected_version=booking.version, block=old
        )
    assert_unchanged(before)
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.IN_PROGRESS


def test_rebook_into_a_full_block_changes_nothing(visits: Any) -> None:
    full = visits.block(capacity=1)
    services.booking_create(actor=visits.fia, ticket=visits.ticket(), block=full)
    booking = services.booking_create(
        actor=visits.fia, ticket=visits.ticket(), block=visits.block()
    )
    before = db_state()
    with pytest.raises(ValidationFailed) as exc:
        services.booking_rebook(
            actor=visits.fia, booking=booking, expected_version=booking.version, block=full
        )
    assert _messages(exc, "block") == ["Passet är fullbokat. Välj ett annat pass."]
    assert_unchanged(before)


def test_cancel_frees_the_place_and_resumes_at_once(visits: Any) -> None:
    block = visits.block(capacity=1)
    ticket = visits.ticket()
    booking = services.booking_create(actor=visits.fia, ticket=ticket, block=block)
    cancelled = services.booking_cancel(
        actor=visits.fia, booking=booking, expected_version=booking.version, reason="Löste sig."
    )
    block.refresh_from_db()
    ticket.refresh_from_db()
    assert cancelled.status == BookingStatus.CANCELLED
    assert cancelled.cancelled_by == visits.fia
    assert cancelled.resumed_at is not None
    assert block.booked == 0
    assert ticket.status == TicketStatus.IN_PROGRESS
    assert ticket.paused_since is None
    note = TicketEntry.objects.filter(ticket=ticket).latest("pk")
    assert note.body.endswith("är avbokat. Skäl: Löste sig.")
    # The place is free for someone else; cancelling twice is refused.
    services.booking_create(actor=visits.fia, ticket=visits.ticket(), block=block)
    before = db_state()
    with pytest.raises(ValidationFailed) as exc:
        services.booking_cancel(actor=visits.fia, booking=cancelled, expected_version=None)
    assert _messages(exc, "status") == ["Besöket är redan avbokat."]
    assert_unchanged(before)
    assert services.booking_resume(booking_id=booking.pk, now=block.starts_at) is False


def _resolve(visits: Any, ticket: Ticket, **kwargs: Any) -> None:
    from itfabrik.servicedesk import services as sd_services

    ticket.refresh_from_db()
    if ticket.status != TicketStatus.IN_PROGRESS:
        sd_services.ticket_transition(
            actor=visits.agent, ticket=ticket, expected_version=None, status="in_progress"
        )
    sd_services.ticket_transition(
        actor=visits.agent, ticket=ticket, expected_version=None, status="resolved", **kwargs
    )


def test_resolving_a_ticket_frees_the_visit_still_ahead(
    visits: Any, django_capture_on_commit_callbacks: Any
) -> None:
    block = visits.block(capacity=1)
    ticket = visits.ticket()
    booking = services.booking_create(actor=visits.fia, ticket=ticket, block=block)
    with django_capture_on_commit_callbacks(execute=True):
        _resolve(visits, ticket)
    booking.refresh_from_db()
    block.refresh_from_db()
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.RESOLVED  # the resolution stands
    assert booking.status == BookingStatus.CANCELLED
    assert booking.cancelled_by is None  # the system, recorded as such in the audit trail
    assert block.booked == 0
    note = TicketEntry.objects.filter(ticket=ticket, kind=EntryKind.INTERNAL).latest("pk")
    assert note.body.endswith("är avbokat. Skäl: Ärendet löstes före besöket.")
    audit = AuditEntry.objects.filter(
        object_type="bookings.booking", object_id=str(booking.pk), action="update"
    ).latest("pk")
    assert audit.actor is None
    assert audit.after["status"] == BookingStatus.CANCELLED
    # The place is someone else's to take.
    services.booking_create(actor=visits.fia, ticket=visits.ticket(), block=block)


def test_a_visit_under_way_and_a_resolution_written_with_at_keep_their_bookings(
    visits: Any, django_capture_on_commit_callbacks: Any
) -> None:
    begun, later = visits.block(), visits.block()
    on_site, imported = visits.ticket(), visits.ticket()
    kept = services.booking_create(actor=visits.fia, ticket=on_site, block=begun)
    also_kept = services.booking_create(actor=visits.fia, ticket=imported, block=later)
    Block.objects.filter(pk=begun.pk).update(starts_at=timezone.now() - dt.timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        _resolve(visits, on_site)
        _resolve(visits, imported, at=timezone.now())
    for booking in (kept, also_kept):
        booking.refresh_from_db()
        assert booking.status == BookingStatus.ACTIVE
    assert Block.objects.get(pk=later.pk).booked == 1


def test_agent_marks_a_visit_and_booking_closes_the_request(visits: Any) -> None:
    ticket = visits.ticket()
    marked = services.visit_request_mark(actor=visits.agent, ticket=ticket, note="Byt skärm.")
    again = services.visit_request_mark(actor=visits.agent, ticket=ticket)
    assert again.pk == marked.pk
    assert marked.source == "agent"
    tickets = list(selectors.bookable_ticket_list(actor=visits.fia))
    assert tickets[0].pk == ticket.pk
    assert tickets[0].needs_visit is True
    services.booking_create(actor=visits.fia, ticket=ticket, block=visits.block())
    assert not VisitRequest.objects.get(pk=marked.pk).is_open


def test_system_pause_goes_through_servicedesk_transitions(visits: Any) -> None:
    ticket = visits.ticket()
    services.booking_create(actor=visits.fia, ticket=ticket, block=visits.block())
    statuses = [
        e.after.get("status")
        for e in AuditEntry.objects.filter(
            object_type="servicedesk.ticket", object_id=str(ticket.pk), action="update"
        ).order_by("pk")
        if "status" in e.after
    ]
    assert statuses == [TicketStatus.ASSIGNED, TicketStatus.WAITING_REQUESTER]
    assert Ticket.objects.get(pk=ticket.pk).version == ticket.version + 2


def test_feed_token_is_shown_once_and_stored_as_a_digest(visits: Any) -> None:
    token = services.feed_token_renew(actor=visits.tekniker)
    assert selectors.feed_owner_get(token) == visits.tekniker
    stored = selectors.feed_token_get(visits.tekniker)
    assert stored is not None
    assert token not in stored.digest
    newer = services.feed_token_renew(actor=visits.tekniker)
    assert selectors.feed_owner_get(token) is None
    assert selectors.feed_owner_get(newer) == visits.tekniker
    with pytest.raises(Forbidden):
        services.feed_token_renew(actor=visits.fia)
    assert SYSTEM is not None
