"""Satisfaction on every ticket: one rating per resolved ticket (1–5 and an optional comment),
given by its requester, and the alert a low score raises for the ticket group's team lead.

A rating belongs to its ticket, and through it to the ticket's unit, whose path scopes it. The
score is never changed once given; the comment may be corrected for a configured number of
days (audited). An alert is closed by acknowledging it, never deleted.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from itfabrik.core.models import TimestampedModel, VersionedModel
from itfabrik.servicedesk.models import Ticket

from . import rules
from .choices import RatingChannel, Score


class Rating(VersionedModel):
    # One answer per ticket: the one-to-one is the unique constraint a double submit meets.
    ticket = models.OneToOneField(
        Ticket,
        verbose_name=_("ärende"),
        on_delete=models.PROTECT,
        related_name="satisfaction_rating",
    )
    score = models.PositiveSmallIntegerField(
        _("betyg"),
        choices=Score.choices,
        validators=[MinValueValidator(rules.MIN_SCORE), MaxValueValidator(rules.MAX_SCORE)],
    )
    comment = models.TextField(_("kommentar"), max_length=2000, blank=True)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("betygsatt av"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    channel = models.CharField(
        _("kanal"), max_length=10, choices=RatingChannel.choices, default=RatingChannel.PORTAL
    )
    rated_at = models.DateTimeField(_("betygsatt"))

    class Meta:
        verbose_name = _("betyg")
        verbose_name_plural = _("betyg")
        ordering = ["-rated_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=rules.MIN_SCORE) & Q(score__lte=rules.MAX_SCORE),
                name="satisfaction_score_range",
            )
        ]
        indexes = [
            models.Index(fields=["-rated_at", "-id"], name="satisfaction_rated_idx"),
            models.Index(fields=["score", "-rated_at"], name="satisfaction_score_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id}: {self.score}"


class LowScoreAlert(TimestampedModel):
    """A low score told to the team lead of the ticket's group: once per rating."""

    rating = models.OneToOneField(
        Rating, verbose_name=_("betyg"), on_delete=models.PROTECT, related_name="alert"
    )
    ticket = models.ForeignKey(
        Ticket, verbose_name=_("ärende"), on_delete=models.PROTECT, related_name="+"
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("teamledare"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recipients = models.JSONField(_("mottagare"), default=list, blank=True)
    mailed_at = models.DateTimeField(_("e-post skickad"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("kvitterad"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("kvitterad av"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.TextField(_("åtgärd"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("larm om lågt betyg")
        verbose_name_plural = _("larm om låga betyg")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["lead", "acknowledged_at", "-created_at"], name="satisfaction_alert_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id}: {self.rating_id}"
