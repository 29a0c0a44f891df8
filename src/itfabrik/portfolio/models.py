"""The digitalisation portfolio (R10): initiatives with their lifecycle, milestones, monthly
status, planned and realised benefits per period and municipality, and their funding from the
digitalisation fund (billing's fund pool). The priority score is computed by the services from
the cooperation's weighted criteria (rules.priority_score), stored only so that lists can sort
by it in the database; nobody types it in.

A decision of IT-råd Dalsland is referred to by its number (`ITR-2026-014`) until the
governance app is merged (ADR 0033). Nothing is deleted: an initiative is delivered or stopped,
a benefit is corrected.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from itfabrik.billing.models import CostPool, FundSpending
from itfabrik.core.models import TimestampedModel, VersionedModel
from itfabrik.tenancy.models import Cooperation, OrgNode

from . import rules
from .choices import BenefitKind, FundingKind, InitiativeState, StatusColour

_RATING = [MinValueValidator(rules.RATING_MIN), MaxValueValidator(rules.RATING_MAX)]
_WEIGHT = [MinValueValidator(0), MaxValueValidator(rules.WEIGHT_MAX)]


class PriorityCriteria(VersionedModel):
    """The weights (0–10) of the four priority criteria of one cooperation."""

    cooperation = models.OneToOneField(
        Cooperation, verbose_name=_("samverkan"), on_delete=models.PROTECT, related_name="+"
    )
    weight_value = models.PositiveSmallIntegerField(
        _("vikt nytta"), default=rules.DEFAULT_WEIGHTS["value"], validators=_WEIGHT
    )
    weight_urgency = models.PositiveSmallIntegerField(
        _("vikt angelägenhet"), default=rules.DEFAULT_WEIGHTS["urgency"], validators=_WEIGHT
    )
    weight_effort = models.PositiveSmallIntegerField(
        _("vikt insats"), default=rules.DEFAULT_WEIGHTS["effort"], validators=_WEIGHT
    )
    weight_risk = models.PositiveSmallIntegerField(
        _("vikt risk"), default=rules.DEFAULT_WEIGHTS["risk"], validators=_WEIGHT
    )

    class Meta:
        verbose_name = _("prioriteringskriterier")
        verbose_name_plural = _("prioriteringskriterier")

    def __str__(self) -> str:
        return str(self.cooperation)

    def weights(self) -> dict[str, int]:
        return {c: int(getattr(self, f"weight_{c}")) for c in rules.CRITERIA}


class Initiative(VersionedModel):
    cooperation = models.ForeignKey(
        Cooperation, verbose_name=_("samverkan"), on_delete=models.PROTECT, related_name="+"
    )
    code = models.CharField(_("nummer"), max_length=20)
    title = models.CharField(_("namn"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True)
    business_case = models.TextField(_("nyttokalkyl"), blank=True)
    state = models.CharField(
        _("läge"), max_length=12, choices=InitiativeState.choices, default=InitiativeState.IDEA
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ägare"),
        on_delete=models.PROTECT,
        related_name="portfolio_initiatives",
    )
    # Sponsored by the whole cooperation ("hela Dalsland") or by the municipalities listed.
    all_municipalities = models.BooleanField(_("hela samverkan"), default=True)
    sponsors = models.ManyToManyField(
        OrgNode, verbose_name=_("finansierande kommuner"), blank=True, related_name="+"
    )
    start = models.DateField(_("start"))
    end = models.DateField(_("slut"), null=True, blank=True)
    decision_reference = models.CharField(_("beslut"), max_length=20, blank=True)
    value = models.PositiveSmallIntegerField(_("nytta"), default=3, validators=_RATING)
    urgency = models.PositiveSmallIntegerField(_("angelägenhet"), default=3, validators=_RATING)
    effort = models.PositiveSmallIntegerField(_("insats"), default=3, validators=_RATING)
    risk = models.PositiveSmallIntegerField(_("risk"), default=3, validators=_RATING)
    priority_score = models.DecimalField(
        _("prioritet"), max_digits=4, decimal_places=1, default=0, editable=False
    )
    budget = models.DecimalField(_("budget"), max_digits=14, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("initiativ")
        verbose_name_plural = _("initiativ")
        ordering = ["-priority_score", "code"]
        constraints = [
            models.UniqueConstraint(fields=["cooperation", "code"], name="portfolio_code"),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                name="portfolio_ends_after_start",
            ),
            models.CheckConstraint(condition=Q(budget__gte=0), name="portfolio_budget_positive"),
        ]
        indexes = [
            # The list's default order and its state filter.
            models.Index(fields=["cooperation", "-priority_score", "code"], name="portfolio_prio"),
            models.Index(fields=["cooperation", "state"], name="portfolio_state"),
            # The roadmap.
            models.Index(fields=["cooperation", "start"], name="portfolio_start"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def ratings(self) -> dict[str, int]:
        return {c: int(getattr(self, c)) for c in rules.CRITERIA}


class Milestone(VersionedModel):
    initiative = models.ForeignKey(
        Initiative, verbose_name=_("initiativ"), on_delete=models.PROTECT, related_name="milestones"
    )
    title = models.CharField(_("delmål"), max_length=200)
    due = models.DateField(_("datum"))
    done = models.BooleanField(_("klart"), default=False)

    class Meta:
        verbose_name = _("delmål")
        verbose_name_plural = _("delmål")
        ordering = ["due", "pk"]
        indexes = [models.Index(fields=["initiative", "due"], name="portfolio_milestone_due")]

    def __str__(self) -> str:
        return f"{self.due} {self.title}"


class StatusReport(VersionedModel):
    """The monthly status of an initiative: one per month, correctable."""

    initiative = models.ForeignKey(
        Initiative, verbose_name=_("initiativ"), on_delete=models.PROTECT, related_name="statuses"
    )
    period = models.DateField(_("månad"))
    colour = models.CharField(_("status"), max_length=6, choices=StatusColour.choices)
    comment = models.TextField(_("kommentar"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rapporterad av"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("månadsstatus")
        verbose_name_plural = _("månadsstatus")
        ordering = ["-period", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "period"], name="portfolio_one_status"),
        ]

    def __str__(self) -> str:
        return f"{self.period:%Y-%m} {self.colour}"


class Benefit(VersionedModel):
    """A benefit of an initiative in one month for one municipality: planned against realised,
    in kronor, hours or a quality measure, with the person who answers for it."""

    initiative = models.ForeignKey(
        Initiative, verbose_name=_("initiativ"), on_delete=models.PROTECT, related_name="benefits"
    )
    municipality = models.ForeignKey(
        OrgNode, verbose_name=_("kommun"), on_delete=models.PROTECT, related_name="+"
    )
    period = models.DateField(_("månad"))
    kind = models.CharField(_("slag"), max_length=8, choices=BenefitKind.choices)
    measure = models.CharField(_("mått"), max_length=200)
    unit = models.CharField(_("enhet"), max_length=20, blank=True)
    planned = models.DecimalField(_("planerat"), max_digits=14, decimal_places=2)
    realised = models.DecimalField(
        _("realiserat"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ansvarig"),
        on_delete=models.PROTECT,
        related_name="portfolio_benefits",
    )
    comment = models.CharField(_("kommentar"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("nytta")
        verbose_name_plural = _("nyttor")
        ordering = ["period", "municipality__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "municipality", "period", "kind", "measure"],
                name="portfolio_one_benefit",
            ),
        ]
        indexes = [
            models.Index(fields=["initiative", "period"], name="portfolio_benefit_period"),
            models.Index(fields=["municipality", "period"], name="portfolio_benefit_muni"),
        ]

    def __str__(self) -> str:
        return f"{self.measure} {self.period:%Y-%m}"

    @property
    def realisation(self) -> object:
        return rules.realisation_percent(self.planned, self.realised)


class Funding(TimestampedModel):
    """Money from the digitalisation fund to an initiative: an allocation (what is set aside) or
    a spending, which is billing's `FundSpending` (written by billing's `fund_spend`)."""

    initiative = models.ForeignKey(
        Initiative, verbose_name=_("initiativ"), on_delete=models.PROTECT, related_name="fundings"
    )
    pool = models.ForeignKey(
        CostPool, verbose_name=_("fond"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("slag"), max_length=10, choices=FundingKind.choices)
    amount = models.DecimalField(_("belopp"), max_digits=14, decimal_places=2)
    date = models.DateField(_("datum"))
    decision_reference = models.CharField(_("beslut"), max_length=20, blank=True)
    note = models.CharField(_("anteckning"), max_length=200, blank=True)
    spending = models.OneToOneField(
        FundSpending,
        verbose_name=_("fondutgift"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("finansiering")
        verbose_name_plural = _("finansiering")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="portfolio_funding_positive"),
        ]
        indexes = [models.Index(fields=["initiative", "kind"], name="portfolio_funding_kind")]

    def __str__(self) -> str:
        return f"{self.initiative_id} {self.kind} {self.amount}"


def _register_constraint_messages() -> None:
    from itfabrik.core.constraints import register

    register(
        "portfolio_code",
        field="code",
        message=lambda obj, other: _("Det finns redan ett initiativ med det numret."),
    )
    register(
        "portfolio_ends_after_start",
        field="end",
        message=lambda obj: _("Slutdatumet ligger före startdatumet."),
    )
    register(
        "portfolio_budget_positive",
        field="budget",
        message=lambda obj: _("Budgeten kan inte vara negativ."),
    )
    register(
        "portfolio_one_status",
        field="period",
        message=lambda obj, other: _("Månaden har redan en status. Rätta den i stället."),
    )
    register(
        "portfolio_one_benefit",
        field="measure",
        message=lambda obj, other: _(
            "Nyttan finns redan för den kommunen och månaden. Rätta den i stället."
        ),
    )
    register(
        "portfolio_funding_positive",
        field="amount",
        message=lambda obj: _("Beloppet ska vara större än noll."),
    )


_register_constraint_messages()
