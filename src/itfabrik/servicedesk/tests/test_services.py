"""Ticket services: priority, the SLA clock on the demo calendar, pauses, concurrency, audit,
scope and the SLA warnings."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from itfabrik.core.actors import SYSTEM
from itfabrik.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from itfabrik.core.models import AuditEntry
from itfabrik.core.tests import assert_unchanged, db_state
from itfabrik.servicedesk import services
from itfabrik.servicedesk.models import SlaWarning, Ticket

from .fixtures import local

pytestmark = pytest.mark.django_db


def test_create_computes_priority_and_due_times_on_the_calendar(desk: Any) -> None:
    ticket = desk.ticket(actor=desk.agent)  # Monday 2 March 2026 09:00, medium × medium
    assert ticket.priority == "P3"
    assert ticket.reference.startswith("SD-2026-")
    assert ticket.municipality.name == "Färgelanda kommun"
    assert ticket.unit == desk.fia.home_unit
    assert ticket.channel == "phone"
    # P3: response 4 business hours, resolution 24 (Mon 7.5 h + Tue 8.5 h + Wed 8 h).
    assert ticket.response_due == local(2026, 3, 2, 13, 0)
    assert ticket.resolution_due == local(2026, 3, 4, 16, 0)
    entry = AuditEntry.objects.get(object_type="servicedesk.ticket", object_id=str(ticket.pk))
    assert entry.action == "create"
    assert entry.after["resolution_due"] == local(2026, 3, 4, 16, 0).isoformat()


def test_due_times_skip_holidays_and_eves(desk: Any) -> None:
    # Thursday 18 June 2026 15:00, P3: midsommarafton (Fri 19 June) is closed.
    ticket = desk.ticket(reported_at=local(2026, 6, 18, 15, 0))
    # 1.5 h Thu; Fri closed; Mon 8.5 h, Tue 8.5 h → 18.5 h; Wed 24 June 08:00 + 5.5 h.
    assert ticket.resolution_due == local(2026, 6, 24, 13, 30)


def test_vip_is_marked_and_raised_one_step(desk: Any) -> None:
    ticket = desk.ticket(desk.user("radsmedlem"))
    assert ticket.is_vip
    assert ticket.priority == "P2"
    top = desk.ticket(desk.user("radsmedlem"), impact="high", urgency="high")
    assert top.priority == "P1"


def test_waiting_pauses_and_resuming_keeps_accrued_time(desk: Any) -> None:
    ticket = desk.ticket()
    ticket = services.ticket_transition(
        actor=desk.agent,
        ticket=ticket,
        expected_version=None,
        status="in_progress",
        at=local(2026, 3, 2, 10, 0),
    )
    assert ticket.first_response_at == local(2026, 3, 2, 10, 0)
    ticket = services.ticket_transition(
        actor=desk.agent,
        ticket=ticket,
        expected_version=ticket.version,
        status="waiting_requester",
        at=local(2026, 3, 2, 11, 0),
    )
    assert ticket.resolution_due is None
    assert ticket.accrued_seconds == 2 * 3600
    ticket = services.ticket_transition(
        actor=desk.agent,
        ticket=ticket,
        expected_version=ticket.version,
        status="in_progress",
        at=local(2026, 3, 3, 9, 0),
    )
    # 22 h left from Tue 09:00: Tue 7.5 h, Wed 8.5 h, Thu 6 h → Thu 14:00.
    assert ticket.resolution_due == local(2026, 3, 5, 14, 0)
    assert ticket.paused_seconds == 22 * 3600
    assert ticket.paused_since is None


def test_priority_change_recomputes_keeping_accrued_time_and_is_audited(desk: Any) -> None:
    ticket = desk.ticket()
    for status, at in (
        ("in_progress", local(2026, 3, 2, 10)),
        ("waiting_supplier", local(2026, 3, 2, 11)),
    ):
        ticket = services.ticket_transition(
            actor=desk.agent, ticket=ticket, expected_version=None, status=status, at=at
        )
    ticket = services.ticket_update(
        actor=desk.agent, ticket=ticket, expected_version=ticket.version, urgency="high"
    )
    assert ticket.priority == "P2"
    assert ticket.policy.priority == "P2"
    assert ticket.accrued_seconds == 2 * 3600  # kept across the change of policy
    entry = AuditEntry.objects.filter(object_type="servicedesk.ticket", object_id=str(ticket.pk))[0]
    assert {"priority", "policy_id", "urgency"} <= set(entry.changed_fields)
    ticket = services.ticket_transition(
        actor=desk.agent,
        ticket=ticket,
        expected_version=ticket.version,
        status="in_progress",
        at=local(2026, 3, 3, 9, 0),
    )
    # P2: 8 h, 2 h used → 6 h from Tuesday 09:00.
    assert ticket.resolution_due == local(2026, 3, 3, 15, 0)
    entry = AuditEntry.objects.filter(object_type="servicedesk.ticket", object_id=str(ticket.pk))[0]
    assert "resolution_due" in entry.changed_fields


def test_second_save_of_the_same_version_is_refused_and_changes_nothing(desk: Any) -> None:
    ticket = desk.ticket()
    read_by_both = ticket.version
    services.ticket_update(
        actor=desk.agent, ticket=ticket, expected_version=read_by_both, title="Skrivare trasig"
    )
    before = db_state()
    with pytest.raises(Conflict):
        services.ticket_update(
            actor=desk.tekniker, ticket=ticket, expected_version=read_by_both, title="Annat"
        )
    assert_unchanged(before)
    assert Ticket.objects.get(pk=ticket.pk).title == "Skrivare trasig"


def test_end_user_reports_only_for_themselves_and_cannot_note(desk: Any) -> None:
    own = services.ticket_create(
        actor=desk.fia, requester=desk.fia, title="Datorn är långsam", impact="low", urgency="low"
    )
    assert own.channel == "portal"
    assert own.priority == "P5"
    before = db_state()
    with pytest.raises(Forbidden):
        services.ticket_create(
            actor=desk.fia, requester=desk.bjorn, title="x", impact="low", urgency="low"
        )
    with pytest.raises(Forbidden):
        services.entry_add(actor=desk.fia, ticket=own, kind="internal", body="hemligt")
    with pytest.raises(NotFound):
        services.entry_add(actor=desk.bjorn, ticket=own, kind="public", body="hej")
    with pytest.raises(Forbidden):
        services.ticket_transition(
            actor=desk.fia, ticket=own, expected_version=own.version, status="resolved"
        )
    assert_unchanged(before)


def test_requester_reply_resumes_a_ticket_waiting_for_them(desk: Any) -> None:
    ticket = desk.ticket()
    for status in ("in_progress", "waiting_requester"):
        ticket = services.ticket_transition(
            actor=desk.agent,
            ticket=ticket,
            expected_version=None,
            status=status,
            at=local(2026, 3, 2, 10 if status == "in_progress" else 11),
        )
    services.entry_add(actor=desk.fia, ticket=ticket, kind="public", body="Nu funkar det inte igen")
    ticket.refresh_from_db()
    assert ticket.status == "in_progress"
    assert ticket.paused_since is None


def test_bad_input_names_the_field_and_writes_nothing(desk: Any) -> None:
    before = db_state()
    with pytest.raises(ValidationFailed) as err:
        desk.ticket(impact="critical", urgency="soon")
    assert set(err.value.fields) == {"impact", "urgency"}
    with pytest.raises(ValidationFailed) as err:
        desk.ticket(reported_at=timezone.now() + dt.timedelta(hours=1))
    assert set(err.value.fields) == {"reported_at"}
    assert_unchanged(before)


def test_reopen_only_within_the_configured_days(desk: Any, settings: Any) -> None:
    settings.ITFABRIK_SERVICEDESK_REOPEN_DAYS = 14
    old = desk.ticket()
    old = services.ticket_transition(
        actor=desk.agent,
        ticket=old,
        expected_version=None,
        status="resolved",
        at=local(2026, 3, 3, 10),
    )
    with pytest.raises(ValidationFailed) as err:
        services.ticket_transition(
            actor=desk.agent, ticket=old, expected_version=old.version, status="in_progress"
        )
    assert "status" in err.value.fields
    recent = desk.ticket()
    recent = services.ticket_transition(
        actor=desk.agent,
        ticket=recent,
        expected_version=None,
        status="resolved",
        at=timezone.now() - dt.timedelta(days=1),
    )
    reopened = services.ticket_transition(
        actor=desk.agent, ticket=recent, expected_version=recent.version, status="in_progress"
    )
    assert reopened.resolved_at is None
    assert reopened.resolution_due is not None


def test_sweep_warns_once_per_threshold_and_mails_assignee_and_lead(desk: Any) -> None:
    ticket = desk.ticket(assignee=desk.agent)
    mail.outbox.clear()
    with_capture = services.sla_sweep()
    assert with_capture >= 4
    rows = set(SlaWarning.objects.filter(ticket=ticket).values_list("clock", "threshold"))
    assert rows == {("response", 75), ("response", 100), ("resolution", 75), ("resolution", 100)}
    assert services.sla_sweep() == 0
    assert SlaWarning.objects.filter(ticket=ticket).count() == 4
    assert AuditEntry.objects.filter(object_type="servicedesk.slawarning").exists()


def test_sweep_mails_after_commit(desk: Any, django_capture_on_commit_callbacks: Any) -> None:
    ticket = desk.ticket(assignee=desk.agent)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.sla_sweep()
    mine = [m for m in mail.outbox if ticket.reference in m.subject]
    assert len(mine) == 4
    assert set(mine[0].to) == {"agent@itfabrik.example", "admin@itfabrik.example"}


def test_link_and_problem(desk: Any) -> None:
    incident = desk.ticket()
    problem = desk.ticket(type="problem", title="Skrivarservern tappar jobb")
    other = desk.ticket()
    services.ticket_link(actor=desk.agent, ticket=incident, other=other)
    assert list(other.related.all()) == [incident]
    incident = services.ticket_set_problem(
        actor=desk.agent, ticket=incident, expected_version=None, problem=problem
    )
    assert list(problem.incidents.all()) == [incident]
    with pytest.raises(ValidationFailed):
        services.ticket_set_problem(
            actor=desk.agent, ticket=other, expected_version=None, problem=incident
        )


def test_system_ticket_without_policy_has_no_due(desk: Any) -> None:
    from itfabrik.servicedesk.models import SlaPolicy

    SlaPolicy.objects.filter(priority="P3").update(is_active=False)
    ticket = desk.ticket(actor=SYSTEM)
    assert ticket.policy is None
    assert ticket.resolution_due is None
