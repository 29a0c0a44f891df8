"""The risk register (R32).

A `Risk` has a scope (`scope`: the cooperation's root or one municipality), an owner, inherent
and residual probability × consequence (each 1-5; the score is their product, kept in the row so
that lists sort and the heat map counts in the database), a treatment and a review date. Every
change of a score writes a `ScoreRecord`, the score over time. Mitigation is a list of
`RiskAction`s. A `Workshop` lets each municipality score the same risks (`WorkshopScore`); the
register shows their average and spread. Nothing is deleted: a risk is closed.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from itfabrik.catalog.models import Service
from itfabrik.core.models import TimestampedModel, VersionedModel
from itfabrik.portfolio.models import Initiative
from itfabrik.systems.models import System
from itfabrik.tenancy.models import Cooperation, OrgNode

from . import rules
from .choices import Category, ScoreKind, Treatment

SCALE = [MinValueValidator(rules.MIN), MaxValueValidator(rules.MAX)]


def _scale(label: Any, null: bool = False) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(label, validators=SCALE, null=null, blank=null)


class Risk(VersionedModel):
    cooperation = models.ForeignKey(
        Cooperation, verbose_name=_("samverkan"), on_delete=models.PROTECT, related_name="+"
    )
    scope = models.ForeignKey(
        OrgNode, verbose_name=_("omfattning"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("rubrik"), max_length=300)
    description = models.TextField(_("beskrivning"), blank=True)
    category = models.CharField(_("kategori"), max_length=20, choices=Category.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("riskägare"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    probability = _scale(_("sannolikhet"))
    consequence = _scale(_("konsekvens"))
    score = models.PositiveSmallIntegerField(_("riskvärde"))
    residual_probability = _scale(_("kvarvarande sannolikhet"), null=True)
    residual_consequence = _scale(_("kvarvarande konsekvens"), null=True)
    residual_score = models.PositiveSmallIntegerField(
        _("kvarvarande riskvärde"), null=True, blank=True
    )
    treatment = models.CharField(
        _("hantering"), max_length=10, choices=Treatment.choices, default=Treatment.UNDECIDED
    )
    decision = models.CharField(
        _("beslut"),
        max_length=30,
        blank=True,
        help_text=_("Beslutets nummer, till exempel ITR-2026-014."),
    )
    treatment_note = models.TextField(_("om hanteringen"), blank=True)
    review_months = models.PositiveSmallIntegerField(
        _("följs upp var (månader)"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(36)],
    )
    next_review = models.DateField(_("nästa uppföljning"), null=True, blank=True)
    reminded_for = models.DateField(_("påmind inför"), null=True, blank=True)
    systems = models.ManyToManyField(System, verbose_name=_("system"), related_name="+", blank=True)
    services = models.ManyToManyField(
        Service, verbose_name=_("tjänster"), related_name="+", blank=True
    )
    initiatives = models.ManyToManyField(
        Initiative, verbose_name=_("initiativ"), related_name="+", blank=True
    )
    is_open = models.BooleanField(_("öppen"), default=True)

    class Meta:
        verbose_name = _("risk")
        verbose_name_plural = _("risker")
        ordering = ["-score", "title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    probability__gte=1, probability__lte=5, consequence__gte=1, consequence__lte=5
                ),
                name="risks_scale",
            ),
        ]
        indexes = [
            models.Index(fields=["cooperation", "is_open", "-score"], name="risks_list_idx"),
            models.Index(fields=["scope", "is_open"], name="risks_scope_idx"),
            models.Index(fields=["is_open", "next_review"], name="risks_review_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def band(self) -> str:
        return rules.band(self.score)


class ScoreRecord(models.Model):
    """A score as it was set: the risk's score over time."""

    risk = models.ForeignKey(
        Risk, verbose_name=_("risk"), on_delete=models.PROTECT, related_name="history"
    )
    kind = models.CharField(_("slag"), max_length=10, choices=ScoreKind.choices)
    probability = _scale(_("sannolikhet"))
    consequence = _scale(_("konsekvens"))
    score = models.PositiveSmallIntegerField(_("riskvärde"))
    recorded_at = models.DateTimeField(_("tidpunkt"), auto_now_add=True)

    class Meta:
        verbose_name = _("riskvärde över tid")
        verbose_name_plural = _("riskvärden över tid")
        ordering = ["recorded_at", "pk"]
        indexes = [models.Index(fields=["risk", "recorded_at"], name="risks_history_idx")]

    def __str__(self) -> str:
        return f"{self.risk_id} {self.kind} {self.score}"


class RiskAction(VersionedModel):
    """A mitigation: what is done, by whom, by when."""

    risk = models.ForeignKey(
        Risk, verbose_name=_("risk"), on_delete=models.PROTECT, related_name="actions"
    )
    description = models.CharField(_("åtgärd"), max_length=500)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ansvarig"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    due = models.DateField(_("klart senast"))
    done = models.BooleanField(_("klar"), default=False)

    class Meta:
        verbose_name = _("riskåtgärd")
        verbose_name_plural = _("riskåtgärder")
        ordering = ["done", "due", "pk"]
        indexes = [models.Index(fields=["risk", "done", "due"], name="risks_action_idx")]

    def __str__(self) -> str:
        return self.description


class Workshop(VersionedModel):
    """A risk workshop: each municipality scores the same risks."""

    cooperation = models.ForeignKey(
        Cooperation, verbose_name=_("samverkan"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("rubrik"), max_length=200)
    held_on = models.DateField(_("datum"))
    risks = models.ManyToManyField(Risk, verbose_name=_("risker"), related_name="workshops")
    is_open = models.BooleanField(_("öppen för poäng"), default=True)

    class Meta:
        verbose_name = _("riskworkshop")
        verbose_name_plural = _("riskworkshoppar")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return self.title


class WorkshopScore(TimestampedModel):
    workshop = models.ForeignKey(
        Workshop, verbose_name=_("workshop"), on_delete=models.PROTECT, related_name="scores"
    )
    risk = models.ForeignKey(
        Risk, verbose_name=_("risk"), on_delete=models.PROTECT, related_name="+"
    )
    municipality = models.ForeignKey(
        OrgNode, verbose_name=_("kommun"), on_delete=models.PROTECT, related_name="+"
    )
    probability = _scale(_("sannolikhet"))
    consequence = _scale(_("konsekvens"))
    score = models.PositiveSmallIntegerField(_("riskvärde"))

    class Meta:
        verbose_name = _("workshoppoäng")
        verbose_name_plural = _("workshoppoäng")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "risk", "municipality"], name="risks_one_score"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.workshop_id}/{self.risk_id}/{self.municipality_id}: {self.score}"


def _register_constraint_messages() -> None:
    from itfabrik.core.constraints import register

    register(
        "risks_scale",
        field="probability",
        message=lambda obj: _("Sannolikhet och konsekvens anges med 1–5."),
    )
    register(
        "risks_one_score",
        field="municipality",
        message=lambda obj, other: _("Kommunen har redan poängsatt risken i workshoppen."),
    )


_register_constraint_messages()
