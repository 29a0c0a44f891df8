"""Every change of satisfaction: typed, keyword-only, atomic, audited.

Only a ticket's requester rates it; for anyone else the ticket does not exist (NotFound). A
ticket has one answer: a second submit (a double click, a second tab, two requests at once)
returns the answer already given and changes nothing. A score at or below the configured
threshold records an alert for the team lead of the ticket's group, once per rating, and mails
it from a worker task after the commit.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from itfabrik.core import audit, permissions
from itfabrik.core.actors import SYSTEM, Actor
from itfabrik.core.errors import Forbidden, NotFound, ValidationFailed, lazy_format
from itfabrik.core.models import AuditAction
from itfabrik.core.services import create_audited, update_audited, update_versioned
from itfabrik.servicedesk.models import Ticket

from . import permissions as actions
from . import rules
from .choices import RatingChannel
from .models import LowScoreAlert, Rating

MAX_COMMENT = 2000


def low_score() -> int:
    return int(getattr(settings, "ITFABRIK_SATISFACTION_LOW_SCORE", rules.DEFAULT_LOW_SCORE))


def comment_edit_days() -> int:
    return int(
        getattr(
            settings, "ITFABRIK_SATISFACTION_COMMENT_EDIT_DAYS", rules.DEFAULT_COMMENT_EDIT_DAYS
        )
    )


def _check(score: Any, comment: str, channel: str) -> dict[str, list[Any]]:
    errors: dict[str, list[Any]] = {}
    if not rules.is_valid_score(score):
        errors["score"] = [
            lazy_format(
                _("Betyget ska vara ett heltal från %(low)s till %(high)s."),
                low=rules.MIN_SCORE,
                high=rules.MAX_SCORE,
            )
        ]
    if len(comment) > MAX_COMMENT:
        errors["comment"] = [
            lazy_format(_("Kommentaren får vara högst %(max)s tecken."), max=MAX_COMMENT)
        ]
    if channel not in RatingChannel.values:
        errors["channel"] = [_("Okänd kanal.")]
    return errors


def rating_submit(
    *,
    actor: Actor,
    ticket: Ticket,
    score: Any,
    comment: str = "",
    channel: str = RatingChannel.PORTAL,
    at: dt.datetime | None = None,
) -> tuple[Rating, bool]:
    """Rate a resolved ticket as its requester. Returns (the rating, whether it is new): when the
    ticket already has an answer that answer is returned unchanged.

    `at` (not after now) is for the demo's history; the pages and the API never pass it."""
    if actor is None or getattr(actor, "pk", None) is None or ticket.requester_id != actor.pk:
        raise NotFound()
    existing = Rating.objects.filter(ticket_id=ticket.pk).first()
    if existing is not None:
        return existing, False
    comment = (comment or "").strip()
    errors = _check(score, comment, channel)
    if ticket.resolved_at is None:
        errors["ticket"] = [_("Ärendet är inte löst än. Du kan betygsätta det när det är löst.")]
    if errors:
        raise ValidationFailed(fields=errors)
    now = timezone.now()
    rated_at = min(at, now) if at is not None else now
    rating = Rating(
        ticket=ticket,
        score=score,
        comment=comment,
        rated_by_id=actor.pk,
        channel=channel,
        rated_at=rated_at,
    )
    try:
        with transaction.atomic():
            create_audited(actor=actor, instance=rating, scope_path=ticket.unit.path)
            if rules.is_low(int(score), low_score()):
                _alert(rating=rating, ticket=ticket)
    except (IntegrityError, ValidationFailed):
        # Another request answered first (the unique ticket of the rating): that answer stands.
        existing = Rating.objects.filter(ticket_id=ticket.pk).first()
        if existing is None:
            raise
        return existing, False
    return rating, True


def _alert(*, rating: Rating, ticket: Ticket) -> LowScoreAlert:
    group = ticket.group
    lead = group.lead if group is not None else None
    recipients = sorted(
        {a for a in ((lead.email if lead else ""), (group.email if group else "")) if a}
    )
    alert = LowScoreAlert(rating=rating, ticket=ticket, lead=lead, recipients=recipients)
    create_audited(actor=rating.rated_by, instance=alert, scope_path=ticket.unit.path)
    if recipients:
        from .tasks import mail_low_score_alert

        transaction.on_commit(lambda: mail_low_score_alert.enqueue(alert_id=alert.pk))
    return alert


def rating_comment_edit(
    *, actor: Actor, rating: Rating, expected_version: int | None, comment: str
) -> Rating:
    """Correct the comment of one's rating within the configured days; the score stays."""
    ticket = rating.ticket
    if actor is None or rating.rated_by_id != getattr(actor, "pk", None):
        raise NotFound()
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        raise ValidationFailed(
            fields={
                "comment": [
                    lazy_format(_("Kommentaren får vara högst %(max)s tecken."), max=MAX_COMMENT)
                ]
            }
        )
    if not rules.may_edit_comment(rating.rated_at, timezone.now(), comment_edit_days()):
        raise ValidationFailed(
            fields={
                "comment": [
                    lazy_format(
                        _("Kommentaren kan bara ändras i %(days)s dagar efter betyget."),
                        days=comment_edit_days(),
                    )
                ]
            }
        )
    return update_versioned(
        actor=actor,
        instance=rating,
        expected_version=expected_version,
        changes={"comment": comment},
        scope_path=ticket.unit.path,
    )


def may_handle(actor: Actor, alert: LowScoreAlert) -> bool:
    return alert.lead_id == getattr(actor, "pk", None) or permissions.can(
        actor, actions.HANDLE_ALERTS, alert.ticket.unit
    )


def alert_acknowledge(*, actor: Actor, alert: LowScoreAlert, note: str = "") -> LowScoreAlert:
    """Close an alert: the team lead (or whoever handles alerts there) has followed it up."""
    if not may_handle(actor, alert):
        raise Forbidden()
    note = (note or "").strip()
    if len(note) > MAX_COMMENT:
        raise ValidationFailed(
            fields={
                "note": [lazy_format(_("Texten får vara högst %(max)s tecken."), max=MAX_COMMENT)]
            }
        )
    with transaction.atomic():
        current = LowScoreAlert.objects.select_for_update().get(pk=alert.pk)
        if current.acknowledged_at is not None:
            raise ValidationFailed(fields={"note": [_("Larmet är redan kvitterat.")]})
        return update_audited(
            actor=actor,
            instance=current,
            changes={
                "acknowledged_at": timezone.now(),
                "acknowledged_by_id": getattr(actor, "pk", None),
                "note": note,
            },
            scope_path=alert.ticket.unit.path,
        )


def alert_mail(*, alert_id: int) -> bool:
    """Mail an alert once: the row is claimed (mailed_at set) before sending, so a job run twice
    sends one mail. Returns whether this call sent it."""
    from django.core.mail import send_mail
    from django.utils import translation

    with transaction.atomic():
        claimed = LowScoreAlert.objects.filter(pk=alert_id, mailed_at__isnull=True).update(
            mailed_at=timezone.now()
        )
        if claimed:
            alert = LowScoreAlert.objects.select_related("ticket__unit").get(pk=alert_id)
            audit.record(
                actor=SYSTEM,
                action=AuditAction.UPDATE,
                instance=alert,
                before={"mailed_at": None},
                after={"mailed_at": audit.snapshot(alert)["mailed_at"]},
                scope_path=alert.ticket.unit.path,
            )
    if not claimed:
        return False
    alert = LowScoreAlert.objects.select_related("rating", "ticket").get(pk=alert_id)
    if not alert.recipients:
        return False
    ticket = alert.ticket
    rating = alert.rating
    with translation.override(settings.LANGUAGE_CODE):
        subject = str(
            lazy_format(
                _("[%(reference)s] Lågt betyg: %(score)s av 5"),
                reference=ticket.reference,
                score=rating.score,
            )
        )
        lines = [
            f"{ticket.reference} {ticket.title}",
            str(_("Betyg: %(score)s av 5") % {"score": rating.score}),
        ]
        if rating.comment:
            lines += ["", str(_("Kommentar:")), rating.comment]
    send_mail(
        subject=subject,
        message="\n".join(lines) + "\n",
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=list(alert.recipients),
    )
    return True
