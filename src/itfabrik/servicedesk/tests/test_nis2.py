"""NIS2 on significant incidents: the 24 h / 72 h / one-month deadlines in calendar time, the
marking and the reports recorded (audited, versioned), the queue's "NIS2-frister" filter and
the sweep's warnings."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from itfabrik.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from itfabrik.core.models import AuditEntry
from itfabrik.core.tests import assert_unchanged, db_state
from itfabrik.servicedesk import rules, services
from itfabrik.servicedesk.models import SlaWarning

from .fixtures import STOCKHOLM, local


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.UTC)


# --- the pure rules -----------------------------------------------------------------------------


def test_deadlines_are_calendar_time_across_a_weekend_and_dst() -> None:
    # Friday 27 March 2026 10:00; summer time starts Sunday 29 March 02:00.
    d = rules.nis2_deadlines(local(2026, 3, 27, 10, 0))
    assert d["early_warning"] == local(2026, 3, 28, 10, 0)  # Saturday: not business time
    # 72 real hours across the DST change: the wall clock shows 11:00 on Monday.
    assert d["notification"] == local(2026, 3, 30, 11, 0)
    # (Aware datetimes of one zone subtract as wall time: compare in UTC.)
    assert _utc(d["notification"]) - _utc(local(2026, 3, 27, 10, 0)) == dt.timedelta(hours=72)
    assert d["final_report"] == local(2026, 4, 27, 10, 0)


def test_one_month_clamps_to_the_end_of_a_short_month() -> None:
    assert rules.add_month(local(2026, 1, 31, 9, 0)) == local(2026, 2, 28, 9, 0)
    assert rules.add_month(local(2028, 1, 31, 9, 0)) == local(2028, 2, 29, 9, 0)
    assert rules.add_month(local(2026, 12, 15, 9, 0)) == local(2027, 1, 15, 9, 0)


@given(
    st.datetimes(min_value=dt.datetime(2020, 1, 1), max_value=dt.datetime(2035, 12, 31)).map(
        lambda d: d.replace(tzinfo=STOCKHOLM)
    )
)
def test_deadlines_are_ordered_and_exact(aware: dt.datetime) -> None:
    d = rules.nis2_deadlines(aware)
    assert _utc(d["early_warning"]) - _utc(aware) == dt.timedelta(hours=24)
    assert _utc(d["notification"]) - _utc(aware) == dt.timedelta(hours=72)
    assert d["notification"] < d["final_report"]
    assert 28 <= (d["final_report"].date() - aware.date()).days <= 31


def test_next_due_skips_done_reports_and_warns_near_the_end() -> None:
    aware = local(2026, 3, 2, 9, 0)
    assert rules.nis2_next_due(None, {}) is None
    assert rules.nis2_next_due(aware, {}) == local(2026, 3, 3, 9, 0)
    done = {"early_warning": aware}
    assert rules.nis2_next_due(aware, done) == local(2026, 3, 5, 9, 0)
    done = {"early_warning": aware, "notification": aware, "final_report": aware}
    assert rules.nis2_next_due(aware, done) is None
    due = local(2026, 3, 3, 9, 0)
    six = dt.timedelta(hours=6)
    assert rules.nis2_warn_due(due, due - dt.timedelta(hours=7), six) is None
    assert rules.nis2_warn_due(due, due - dt.timedelta(hours=5), six) == 75
    assert rules.nis2_warn_due(due, due, six) == 100


# --- the services -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_marking_starts_deadlines_and_reports_are_recorded(desk: Any) -> None:
    ticket = desk.ticket()
    aware = local(2026, 3, 2, 10, 0)
    ticket = services.nis2_mark(
        actor=desk.agent, ticket=ticket, expected_version=ticket.version, aware_at=aware
    )
    assert ticket.nis2_aware_at == aware
    assert ticket.nis2_next_due == local(2026, 3, 3, 10, 0)
    entry = AuditEntry.objects.filter(
        object_type="servicedesk.ticket", object_id=str(ticket.pk)
    ).latest("pk")
    assert entry.before["nis2_aware_at"] is None
    assert dt.datetime.fromisoformat(entry.after["nis2_aware_at"]) == aware
    ticket = services.nis2_record(
        actor=desk.agent,
        ticket=ticket,
        expected_version=ticket.version,
        step="early_warning",
        at=local(2026, 3, 2, 15, 0),
    )
    assert ticket.nis2_early_warning_at == local(2026, 3, 2, 15, 0)
    assert ticket.nis2_next_due == local(2026, 3, 5, 10, 0)
    # A mistaken marking can be removed: every report goes with it.
    ticket = services.nis2_mark(
        actor=desk.agent, ticket=ticket, expected_version=ticket.version, aware_at=None
    )
    assert ticket.nis2_aware_at is None
    assert ticket.nis2_early_warning_at is None
    assert ticket.nis2_next_due is None


@pytest.mark.django_db
def test_bad_nis2_input_changes_nothing(desk: Any) -> None:
    ticket = desk.ticket()
    problem = desk.ticket(type="problem", title="Återkommande fel")
    before = db_state()
    future = timezone.now() + dt.timedelta(days=1)
    with pytest.raises(ValidationFailed) as exc:
        services.nis2_mark(actor=desk.agent, ticket=ticket, expected_version=None, aware_at=future)
    assert "aware_at" in exc.value.fields
    with pytest.raises(ValidationFailed):
        services.nis2_mark(
            actor=desk.agent, ticket=problem, expected_version=None, aware_at=ticket.reported_at
        )
    with pytest.raises(ValidationFailed) as exc:
        services.nis2_record(
            actor=desk.agent, ticket=ticket, expected_version=None, step="early_warning", at=None
        )
    assert "step" in exc.value.fields
    with pytest.raises(Conflict):
        services.nis2_mark(
            actor=desk.agent,
            ticket=ticket,
            expected_version=ticket.version + 1,
            aware_at=ticket.reported_at,
        )
    # The requester may see the ticket but not mark it; someone else does not see it at all.
    with pytest.raises(Forbidden):
        services.nis2_mark(
            actor=desk.fia, ticket=ticket, expected_version=None, aware_at=ticket.reported_at
        )
    with pytest.raises(NotFound):
        services.nis2_mark(
            actor=desk.bjorn, ticket=ticket, expected_version=None, aware_at=ticket.reported_at
        )
    assert_unchanged(before)


@pytest.mark.django_db
def test_sweep_warns_on_approaching_and_passed_nis2_deadlines(desk: Any) -> None:
    ticket = desk.ticket(assignee=desk.agent)
    now = timezone.now()
    aware = now - dt.timedelta(hours=20)  # early warning due in 4 h: within the 6 h warning
    ticket = services.nis2_mark(
        actor=desk.agent, ticket=ticket, expected_version=None, aware_at=aware
    )
    SlaWarning.objects.filter(ticket=ticket).delete()
    assert services.nis2_sweep(now=now) == 1
    warning = SlaWarning.objects.get(ticket=ticket, clock="nis2_24h")
    assert warning.threshold == 75
    assert services.nis2_sweep(now=now) == 0  # once only
    # A day later: the early warning is late (100) and the 72-hour one not yet near.
    assert services.nis2_sweep(now=now + dt.timedelta(hours=5)) == 1
    assert SlaWarning.objects.filter(ticket=ticket, clock="nis2_24h", threshold=100).exists()
    # Recorded reports are not warned about.
    services.nis2_record(
        actor=desk.agent,
        ticket=ticket,
        expected_version=None,
        step="notification",
        at=now,
    )
    assert services.nis2_sweep(now=aware + dt.timedelta(hours=71)) == 0


@pytest.mark.django_db
def test_queue_shows_nis2_badge_and_filters_by_deadline(web_as: Any, desk: Any) -> None:
    plain = desk.ticket(title="Vanligt fel")
    marked = desk.ticket(title="Intrång i e-posten")
    services.nis2_mark(
        actor=desk.agent, ticket=marked, expected_version=None, aware_at=marked.reported_at
    )
    client = web_as("agent")
    r = client.get("/servicedesk/", {"group": "all", "nis2": "on"})
    pks = [row["pk"] for row in r.context["rows"]]
    assert marked.pk in pks
    assert plain.pk not in pks
    assert "NIS2 försenad" in r.content.decode()
    r = client.get(f"/servicedesk/arenden/{marked.pk}/")
    body = r.content.decode()
    assert 'id="nis2-deadlines"' in body
    assert "Tidig varning" in body


@pytest.mark.django_db
def test_nis2_web_form_marks_and_refuses(web_as: Any, desk: Any) -> None:
    ticket = desk.ticket()
    client = web_as("agent")
    r = client.post(
        f"/servicedesk/arenden/{ticket.pk}/nis2/",
        {"version": ticket.version, "aware_at": "2026-03-02 10:00", "mark": "1"},
    )
    assert r.status_code == 302
    ticket.refresh_from_db()
    assert ticket.nis2_aware_at == local(2026, 3, 2, 10, 0)
    before = db_state()
    r = client.post(
        f"/servicedesk/arenden/{ticket.pk}/nis2/",
        {"version": ticket.version - 1, "aware_at": "2026-03-02 11:00", "mark": "1"},
        follow=True,
    )
    assert "ändrat" in r.content.decode() or "ändrats" in r.content.decode()
    assert_unchanged(before)
    # Someone who may not see the ticket: 404.
    assert (
        web_as("anvandare-bengtsfors")
        .post(
            f"/servicedesk/arenden/{ticket.pk}/nis2/",
            {"version": ticket.version, "aware_at": "2026-03-02 10:00"},
        )
        .status_code
        == 404
    )
    assert_unchanged(before)
