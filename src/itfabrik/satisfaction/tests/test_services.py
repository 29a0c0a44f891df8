"""Rating a ticket: one answer per ticket, only by its requester, low scores alert the team lead
once, the comment may be corrected for a set number of days, every change audited."""

from __future__ import annotations

import datetime as dt
import os
import threading
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from itfabrik.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from itfabrik.core.models import AuditEntry
from itfabrik.core.tests import assert_unchanged, db_state
from itfabrik.satisfaction import services
from itfabrik.satisfaction.models import LowScoreAlert, Rating

pytestmark = pytest.mark.django_db


def test_the_requester_rates_a_resolved_ticket_once(sat: Any) -> None:
    ticket = sat.resolved()
    rating, created = services.rating_submit(
        actor=sat.fia, ticket=ticket, score=5, comment="  Tack!  "
    )
    assert created
    assert (rating.score, rating.comment, rating.rated_by_id) == (5, "Tack!", sat.fia.pk)
    entry = AuditEntry.objects.get(object_type="satisfaction.rating", object_id=str(rating.pk))
    assert entry.actor_id == sat.fia.pk
    assert entry.after["score"] == 5
    assert entry.scope_path == ticket.unit.path

    before = db_state()
    again, created = services.rating_submit(actor=sat.fia, ticket=ticket, score=1, comment="x")
    assert not created
    assert (again.pk, again.score, again.comment) == (rating.pk, 5, "Tack!")
    assert_unchanged(before)


def test_nobody_but_the_requester_rates(sat: Any, desk: Any) -> None:
    ticket = sat.resolved()
    before = db_state()
    for actor in (sat.bjorn, desk.agent, desk.user("admin")):
        with pytest.raises(NotFound):
            services.rating_submit(actor=actor, ticket=ticket, score=4)
    assert_unchanged(before)


@pytest.mark.parametrize("score", [0, 6, -1, "5", 4.5, None, True])
def test_a_score_outside_one_to_five_is_refused(sat: Any, score: Any) -> None:
    ticket = sat.resolved()
    before = db_state()
    with pytest.raises(ValidationFailed) as exc:
        services.rating_submit(actor=sat.fia, ticket=ticket, score=score)
    assert "score" in exc.value.fields
    assert_unchanged(before)


def test_a_too_long_comment_is_refused(sat: Any) -> None:
    ticket = sat.resolved()
    before = db_state()
    with pytest.raises(ValidationFailed) as exc:
        services.rating_submit(actor=sat.fia, ticket=ticket, score=4, comment="x" * 2001)
    assert set(exc.value.fields) == {"comment"}
    assert_unchanged(before)


def test_an_open_ticket_cannot_be_rated(sat: Any) -> None:
    ticket = sat.open()
    before = db_state()
    with pytest.raises(ValidationFailed) as exc:
        services.rating_submit(actor=sat.fia, ticket=ticket, score=4)
    assert "ticket" in exc.value.fields
    assert_unchanged(before)


def test_a_low_score_alerts_the_team_lead_once_and_mails_from_a_task(
    sat: Any, desk: Any, django_capture_on_commit_callbacks: Any
) -> None:
    ticket = sat.resolved()
    lead = sat.identity.lead
    assert lead.username == "tekniker"
    with django_capture_on_commit_callbacks(execute=True):
        rating, _ = services.rating_submit(
            actor=sat.fia, ticket=ticket, score=2, comment="Felet kom tillbaka."
        )
    alert = LowScoreAlert.objects.get(rating=rating)
    assert (alert.ticket_id, alert.lead_id) == (ticket.pk, lead.pk)
    assert lead.email in alert.recipients
    assert alert.mailed_at is not None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == alert.recipients
    assert ticket.reference in mail.outbox[0].subject
    assert "Felet kom tillbaka." in mail.outbox[0].body
    assert (
        AuditEntry.objects.filter(
            object_type="satisfaction.lowscorealert", object_id=str(alert.pk)
        ).count()
        == 2
    )  # created, then mailed

    # The job run again (a retry, a second worker) sends nothing more.
    assert services.alert_mail(alert_id=alert.pk) is False
    assert len(mail.outbox) == 1
    # A second submit neither rates again nor alerts again.
    with django_capture_on_commit_callbacks(execute=True):
        services.rating_submit(actor=sat.fia, ticket=ticket, score=1)
    assert LowScoreAlert.objects.filter(ticket=ticket).count() == 1
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(("score", "alerts"), [(1, 1), (2, 1), (3, 0), (5, 0)])
def test_the_threshold_is_at_or_below_two_by_default(sat: Any, score: int, alerts: int) -> None:
    rating, _ = services.rating_submit(actor=sat.fia, ticket=sat.resolved(), score=score)
    assert LowScoreAlert.objects.filter(rating=rating).count() == alerts


def test_the_threshold_is_configurable(sat: Any, settings: Any) -> None:
    settings.ITFABRIK_SATISFACTION_LOW_SCORE = 3
    rating, _ = services.rating_submit(actor=sat.fia, ticket=sat.resolved(), score=3)
    assert LowScoreAlert.objects.filter(rating=rating).exists()


def test_the_comment_may_be_corrected_within_the_days_and_is_audited(sat: Any) -> None:
    rating, _ = services.rating_submit(actor=sat.fia, ticket=sat.resolved(), score=4)
    edited = services.rating_comment_edit(
        actor=sat.fia, rating=rating, expected_version=rating.version, comment="Bra jobbat."
    )
    assert (edited.comment, edited.score, edited.version) == ("Bra jobbat.", 4, 2)
    entry = AuditEntry.objects.filter(
        object_type="satisfaction.rating", object_id=str(rating.pk), action="update"
    ).get()
    assert (entry.before["comment"], entry.after["comment"]) == ("", "Bra jobbat.")

    before = db_state()
    with pytest.raises(Conflict):  # an edit from a stale page
        services.rating_comment_edit(
            actor=sat.fia, rating=rating, expected_version=rating.version, comment="Annat"
        )
    with pytest.raises(NotFound):  # someone else's rating
        services.rating_comment_edit(
            actor=sat.bjorn, rating=rating, expected_version=2, comment="Annat"
        )
    assert_unchanged(before)


def test_the_comment_is_fixed_after_the_days(sat: Any, settings: Any) -> None:
    settings.ITFABRIK_SATISFACTION_COMMENT_EDIT_DAYS = 7
    rating, _ = services.rating_submit(
        actor=sat.fia,
        ticket=sat.resolved(),
        score=4,
        at=timezone.now() - dt.timedelta(days=8),
    )
    before = db_state()
    with pytest.raises(ValidationFailed) as exc:
        services.rating_comment_edit(
            actor=sat.fia, rating=rating, expected_version=rating.version, comment="Sent"
        )
    assert "7" in str(exc.value.fields["comment"][0])
    assert_unchanged(before)


def test_the_team_lead_acknowledges_an_alert(sat: Any, desk: Any) -> None:
    rating, _ = services.rating_submit(actor=sat.fia, ticket=sat.resolved(), score=1)
    alert = LowScoreAlert.objects.get(rating=rating)
    before = db_state()
    with pytest.raises(Forbidden):  # the agent neither leads the group nor handles alerts
        services.alert_acknowledge(actor=desk.agent, alert=alert, note="x")
    assert_unchanged(before)
    done = services.alert_acknowledge(actor=desk.tekniker, alert=alert, note="Ringt upp Fia.")
    assert (done.acknowledged_by_id, done.note) == (desk.tekniker.pk, "Ringt upp Fia.")
    before = db_state()
    with pytest.raises(ValidationFailed):
        services.alert_acknowledge(actor=desk.tekniker, alert=alert)
    assert_unchanged(before)


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="two connections rating at once need PostgreSQL (SQLite serialises writers)",
)
def test_two_concurrent_submits_give_one_answer(
    demo_reloaded_afterwards: Any, transactional_db: Any
) -> None:
    from django.db import connections

    from itfabrik.accounts.models import User
    from itfabrik.servicedesk.models import Ticket

    fia = User.objects.get(username="anvandare-fargelanda")
    ticket = (
        Ticket.objects.filter(requester=fia, resolved_at__isnull=False)
        .filter(satisfaction_rating__isnull=True)
        .first()
    )
    assert ticket is not None
    outcomes: list[tuple[bool, int]] = []
    barrier = threading.Barrier(2)

    def submit(score: int) -> None:
        try:
            barrier.wait()
            rating, created = services.rating_submit(actor=fia, ticket=ticket, score=score)
            outcomes.append((created, rating.score))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(s,)) for s in (5, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(c for c, _s in outcomes) == [False, True]
    stored = Rating.objects.get(ticket=ticket)
    # Both callers were told the one stored answer.
    assert {s for _c, s in outcomes} == {stored.score}
    assert Rating.objects.filter(ticket=ticket).count() == 1
    assert LowScoreAlert.objects.filter(ticket=ticket).count() == (1 if stored.score == 1 else 0)
