"""The economic baseline (R11, R12): what each municipality's IT unit cost per cost category and
year, the municipality's net cost, the scenarios (benchmark share and savings percentages) the
figures are read with, and the timeline of operating, investment and shared project costs.

Only inputs are stored. The IT cost, the IT share, the cost at the benchmark, the gap and the
savings are computed by `rules` on every read, so they can never disagree with the figures.
Nothing is deleted: a category, a scenario or a timeline entry is closed (`is_active=False`).
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from itfabrik.core.models import VersionedModel
from itfabrik.tenancy.models import Cooperation, OrgNode

from .choices import FigureBasis

FIRST_YEAR = 2000
LAST_YEAR = 2100

_year = [MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]
_amount = [MinValueValidator(Decimal(0))]
_percent = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]


class CostCategory(VersionedModel):
    """A cost category of the IT units' budgets ("utgiftspost"), with the savings percentage a
    new scenario starts from."""

    cooperation = models.ForeignKey(
        Cooperation, verbose_name=_("samverkan"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("namn"), max_length=100)
    position = models.PositiveSmallIntegerField(_("ordning"), default=0)
    default_savings_percent = models.DecimalField(
        _("besparingspotential (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(0),
        validators=_percent,
    )
    is_active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        verbose_name = _("kostnadskategori")
        verbose_name_plural = _("kostnadskategorier")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cooperation", "name"], name="economy_unique_category_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class BaselineFigures(VersionedModel):
    """One municipality's figures for one year: its net cost ("verksamhetens nettokostnader")
    and, in `costs`, its IT unit's cost per category."""

    cooperation = models.ForeignKey(
        Cooperation, verbose_name=_("samverkan"), on_delete=models.PROTECT, related_name="+"
    )
    municipality = models.ForeignKey(
        OrgNode, verbose_name=_("kommun"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("år"), validators=_year)
    net_cost = models.DecimalField(
        _("kommunens nettokostnad"), max_digits=16, decimal_places=2, validators=_amount
    )
    source = models.CharField(_("källa"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("baslinje för kommun och år")
        verbose_name_plural = _("baslinjer för kommun och år")
        ordering = ["year", "municipality__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "year"], name="economy_one_baseline_per_year"
            ),
        ]
        indexes = [models.Index(fields=["cooperation", "year"], name="economy_baseline_year_idx")]

    def __str__(self) -> str:
        return f"{self.municipality} {self.year}"


class CategoryCost(VersionedModel):
    figures = models.ForeignKey(
        BaselineFigures, verbose_name=_("baslinje"), on_delete=models.CASCADE, related_name="costs"
    )
    category = models.ForeignKey(
        CostCategory, verbose_name=_("kostnadskategori"), on_delete=models.PROTECT, related_name="+"
    )
    amount = models.DecimalField(
        _("belopp"), max_digits=14, decimal_places=2, default=Decimal(0), validators=_amount
    )

    class Meta:
        verbose_name = _("kostnad per kategori")
        verbose_name_plural = _("kostnader per kategori")
        ordering = ["figures", "category__position", "category_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["figures", "category"], name="economy_one_cost_per_category"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.figures} {self.category}"


class Scenario(VersionedModel):
    """How the baseline is read: the benchmark share of net cost and the savings percentage per
    category (`rates`; a category without a rate saves nothing). The cooperation's default
    scenario is the one the baseline page opens with."""

    cooperation = models.ForeignKey(
        Cooperation, verbose_name=_("samverkan"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("namn"), max_length=120)
    description = models.TextField(_("beskrivning"), blank=True)
    benchmark_percent = models.DecimalField(
        _("riktmärke, andel av nettokostnad (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("2.50"),
        validators=_percent,
    )
    is_default = models.BooleanField(_("förval"), default=False)
    is_active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        verbose_name = _("scenario")
        verbose_name_plural = _("scenarier")
        ordering = ["-is_default", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cooperation", "name"], name="economy_unique_scenario_name"
            ),
            models.UniqueConstraint(
                fields=["cooperation"],
                condition=Q(is_default=True),
                name="economy_one_default_scenario",
            ),
        ]
        indexes = [
            models.Index(fields=["cooperation", "is_active", "name"], name="economy_scenario_idx")
        ]

    def __str__(self) -> str:
        return self.name


class ScenarioRate(models.Model):
    scenario = models.ForeignKey(
        Scenario, verbose_name=_("scenario"), on_delete=models.CASCADE, related_name="rates"
    )
    category = models.ForeignKey(
        CostCategory, verbose_name=_("kostnadskategori"), on_delete=models.PROTECT, related_name="+"
    )
    savings_percent = models.DecimalField(
        _("besparingspotential (%)"), max_digits=5, decimal_places=2, validators=_percent
    )

    class Meta:
        verbose_name = _("besparingssats")
        verbose_name_plural = _("besparingssatser")
        constraints = [
            models.UniqueConstraint(
                fields=["scenario", "category"], name="economy_one_rate_per_category"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scenario} {self.category} {self.savings_percent} %"


class ProjectCost(VersionedModel):
    """The shared project costs of a year (establishing the joint platform and organisation),
    split equally between the municipalities on the timeline that year."""

    cooperation = models.ForeignKey(
        Cooperation, verbose_name=_("samverkan"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("år"), validators=_year)
    amount = models.DecimalField(
        _("gemensamma projektkostnader"), max_digits=14, decimal_places=2, validators=_amount
    )
    basis = models.CharField(
        _("underlag"), max_length=12, choices=FigureBasis.choices, default=FigureBasis.BUDGET
    )
    note = models.CharField(_("anteckning"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("gemensam projektkostnad")
        verbose_name_plural = _("gemensamma projektkostnader")
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(
                fields=["cooperation", "year"], name="economy_one_project_cost_per_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.amount}"


class TimelineEntry(VersionedModel):
    """A municipality's operating and investment costs for IT in one year."""

    cooperation = models.ForeignKey(
        Cooperation, verbose_name=_("samverkan"), on_delete=models.PROTECT, related_name="+"
    )
    municipality = models.ForeignKey(
        OrgNode, verbose_name=_("kommun"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("år"), validators=_year)
    operating_cost = models.DecimalField(
        _("driftkostnad"), max_digits=14, decimal_places=2, validators=_amount
    )
    investment_cost = models.DecimalField(
        _("investering"),
        max_digits=14,
        decimal_places=2,
        default=Decimal(0),
        validators=_amount,
    )
    basis = models.CharField(
        _("underlag"), max_length=12, choices=FigureBasis.choices, default=FigureBasis.BUDGET
    )
    note = models.CharField(_("anteckning"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("tidslinjepost")
        verbose_name_plural = _("tidslinjeposter")
        ordering = ["year", "municipality__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "year"], name="economy_one_timeline_entry_per_year"
            ),
        ]
        indexes = [models.Index(fields=["cooperation", "year"], name="economy_timeline_year_idx")]

    def __str__(self) -> str:
        return f"{self.municipality} {self.year}"
