"""Reads of the economy: every one takes the actor and applies scope. A municipality's figures
are seen by those who hold VIEW_ECONOMY on it (or above it); the sums are over what the actor
sees. Computed figures come from `rules`, never from the database."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from itfabrik.billing.choices import CLOSED_STATUSES
from itfabrik.billing.models import Invoice
from itfabrik.core import permissions
from itfabrik.core.actors import Actor
from itfabrik.core.selectors import get_or_not_found
from itfabrik.tenancy.models import Cooperation, OrgNode

from . import permissions as actions
from . import rules
from .filters import BaselineFilter, ScenarioFilter, TimelineFilter
from .models import (
    BaselineFigures,
    CategoryCost,
    CostCategory,
    ProjectCost,
    Scenario,
    ScenarioRate,
    TimelineEntry,
)

TOTAL_LABEL = _("Totalt")


def _municipal_q(actor: Actor, action: str = actions.VIEW_ECONOMY) -> Q:
    return permissions.scope_q(actor, action, path_field="municipality__path")


def may_view(actor: Actor) -> bool:
    return permissions.can_anywhere(actor, actions.VIEW_ECONOMY)


def may_view_cooperation(actor: Actor, cooperation: Cooperation | None) -> bool:
    """Does the actor see any municipality's figures in this cooperation? Then they also see
    its cooperation-wide settings (categories, scenarios, shared project costs)."""
    if cooperation is None:
        return False
    if permissions.is_superuser(actor):
        return True
    return any(
        g.cooperation_id == cooperation.pk
        for g in permissions.grants_for(actor, actions.VIEW_ECONOMY)
    )


def may_manage_scenarios(actor: Actor, cooperation: Cooperation | None) -> bool:
    return cooperation is not None and permissions.can(
        actor, actions.MANAGE_SCENARIOS, cooperation.root
    )


def may_manage_figures(actor: Actor) -> bool:
    return permissions.can_anywhere(actor, actions.MANAGE_FIGURES)


# --- categories and scenarios -----------------------------------------------------------------


def category_list(*, actor: Actor, cooperation: Cooperation) -> QuerySet[CostCategory]:
    if not may_view_cooperation(actor, cooperation):
        return CostCategory.objects.none()
    return CostCategory.objects.filter(cooperation=cooperation, is_active=True).order_by(
        "position", "pk"
    )


def category_manage_list(*, actor: Actor, cooperation: Cooperation) -> QuerySet[CostCategory]:
    """Every category, closed ones too, for those who manage them."""
    if not may_manage_scenarios(actor, cooperation):
        return CostCategory.objects.none()
    return CostCategory.objects.filter(cooperation=cooperation).order_by(
        "-is_active", "position", "pk"
    )


def category_manage_get(*, actor: Actor, cooperation: Cooperation, pk: Any) -> CostCategory:
    return get_or_not_found(category_manage_list(actor=actor, cooperation=cooperation), pk)


def scenario_list(
    *,
    actor: Actor,
    cooperation: Cooperation,
    is_active: bool | None = None,
    q: str | None = None,
) -> QuerySet[Scenario]:
    if not may_view_cooperation(actor, cooperation):
        return Scenario.objects.none()
    qs = Scenario.objects.filter(cooperation=cooperation).prefetch_related(
        Prefetch(
            "rates",
            queryset=ScenarioRate.objects.select_related("category").order_by(
                "category__position", "category_id"
            ),
        )
    )
    return ScenarioFilter.apply(qs, is_active=is_active, q=q).order_by("-is_default", "name", "pk")


def scenario_get(*, actor: Actor, cooperation: Cooperation, pk: Any) -> Scenario:
    return get_or_not_found(scenario_list(actor=actor, cooperation=cooperation), pk)


def default_scenario_get(*, actor: Actor, cooperation: Cooperation) -> Scenario | None:
    return (
        scenario_list(actor=actor, cooperation=cooperation)
        .filter(is_default=True, is_active=True)
        .first()
    )


@dataclass(frozen=True)
class Settings:
    """What the figures are read with: a scenario's, or the categories' defaults and 2.5 %."""

    scenario: Scenario | None
    benchmark_percent: Decimal
    rates: dict[int, Decimal]  # category id → savings per cent

    def rates_by_name(self, categories: list[CostCategory]) -> dict[str, Decimal]:
        return {c.name: self.rates.get(c.pk, rules.ZERO) for c in categories}


def scenario_settings_get(scenario: Scenario | None, categories: list[CostCategory]) -> Settings:
    if scenario is None:
        return Settings(
            None,
            rules.DEFAULT_BENCHMARK_PERCENT,
            {c.pk: c.default_savings_percent for c in categories},
        )
    return Settings(
        scenario,
        scenario.benchmark_percent,
        {r.category_id: r.savings_percent for r in scenario.rates.all()},
    )


# --- the baseline -------------------------------------------------------------------------------


def baseline_year_list(*, actor: Actor, cooperation: Cooperation) -> list[int]:
    return list(
        BaselineFigures.objects.filter(_municipal_q(actor), cooperation=cooperation)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )


def figures_list(
    *,
    actor: Actor,
    cooperation: Cooperation,
    year: int | None = None,
    municipality: int | None = None,
    action: str = actions.VIEW_ECONOMY,
) -> QuerySet[BaselineFigures]:
    qs = BaselineFigures.objects.filter(_municipal_q(actor, action), cooperation=cooperation)
    return (
        BaselineFilter.apply(qs, year=year, municipality=municipality)
        .select_related("municipality")
        .prefetch_related(
            Prefetch("costs", queryset=CategoryCost.objects.select_related("category"))
        )
        .order_by("year", "municipality__name", "pk")
    )


def figures_get(*, actor: Actor, cooperation: Cooperation, pk: Any) -> BaselineFigures:
    return get_or_not_found(figures_list(actor=actor, cooperation=cooperation), pk)


def figures_manage_get(*, actor: Actor, cooperation: Cooperation, pk: Any) -> BaselineFigures:
    """The figures the actor may correct; others' answer not found."""
    qs = figures_list(actor=actor, cooperation=cooperation, action=actions.MANAGE_FIGURES)
    return get_or_not_found(qs, pk)


def figures_history_list(*, actor: Actor, figures: BaselineFigures) -> QuerySet[Any]:
    """The audit trail of a municipality's figures for a year: the figures and each category
    cost, newest first (scoped like every audit read)."""
    from itfabrik.core.selectors import audit_list

    cost_ids = [str(pk) for pk in figures.costs.values_list("pk", flat=True)]
    return audit_list(actor=actor).filter(
        Q(object_type="economy.baselinefigures", object_id=str(figures.pk))
        | Q(object_type="economy.categorycost", object_id__in=cost_ids)
    )


@dataclass(frozen=True)
class BaselineReport:
    year: int
    settings: Settings
    categories: list[CostCategory]
    figures: list[BaselineFigures]
    result: rules.Baseline

    @property
    def rows(self) -> list[tuple[BaselineFigures, rules.BaselineRow]]:
        return list(zip(self.figures, self.result.rows, strict=True))


def baseline_report(
    *,
    actor: Actor,
    cooperation: Cooperation,
    year: int,
    scenario: Scenario | None = None,
    use_default: bool = True,
) -> BaselineReport:
    """Every visible municipality's baseline for the year, read with the scenario (the
    cooperation's default scenario when none is given, the built-in defaults when there is none).
    Four queries whatever the number of municipalities."""
    categories = list(category_list(actor=actor, cooperation=cooperation))
    if scenario is None and use_default:
        scenario = default_scenario_get(actor=actor, cooperation=cooperation)
    settings = scenario_settings_get(scenario, categories)
    figures = list(figures_list(actor=actor, cooperation=cooperation, year=year))
    active = {c.pk for c in categories}
    items = [
        rules.MunicipalityInput(
            f.municipality.name,
            f.net_cost,
            [
                rules.CategoryInput(c.category.name, c.amount)
                for c in f.costs.all()
                if c.category_id in active
            ],
        )
        for f in figures
    ]
    result = rules.baseline(
        items,
        benchmark_percent=settings.benchmark_percent,
        savings=settings.rates_by_name(categories),
        category_names=[c.name for c in categories],
        total_label=str(TOTAL_LABEL),
    )
    return BaselineReport(year, settings, categories, figures, result)


# --- the timeline -------------------------------------------------------------------------------


def timeline_list(
    *,
    actor: Actor,
    cooperation: Cooperation,
    municipality: int | None = None,
    year_from: int | None = None,
    year_to: int | None = None,
) -> QuerySet[TimelineEntry]:
    qs = TimelineEntry.objects.filter(_municipal_q(actor), cooperation=cooperation)
    return (
        TimelineFilter.apply(qs, municipality=municipality, year_from=year_from, year_to=year_to)
        .select_related("municipality")
        .order_by("year", "municipality__name", "pk")
    )


def timeline_manage_get(*, actor: Actor, cooperation: Cooperation, pk: Any) -> TimelineEntry:
    qs = TimelineEntry.objects.filter(
        _municipal_q(actor, actions.MANAGE_FIGURES), cooperation=cooperation
    ).select_related("municipality")
    return get_or_not_found(qs, pk)


def project_cost_list(*, actor: Actor, cooperation: Cooperation) -> QuerySet[ProjectCost]:
    if not may_view_cooperation(actor, cooperation):
        return ProjectCost.objects.none()
    return ProjectCost.objects.filter(cooperation=cooperation).order_by("year")


@dataclass(frozen=True)
class TimelineReport:
    years: list[int]
    municipalities: list[str]
    points: list[rules.TimelinePoint]
    project_costs: dict[int, Decimal]
    entries: dict[tuple[str, int], TimelineEntry]

    def entry(self, point: rules.TimelinePoint) -> TimelineEntry:
        return self.entries[(point.municipality, point.year)]

    def by_year(self) -> list[tuple[int, list[rules.TimelinePoint], Decimal]]:
        """Per year: its points (in municipality order) and their sum."""
        out = []
        for year in self.years:
            pts = [p for p in self.points if p.year == year]
            out.append((year, pts, sum((p.total for p in pts), rules.ZERO)))
        return out


def timeline_report(
    *,
    actor: Actor,
    cooperation: Cooperation,
    municipality: int | None = None,
    year_from: int | None = None,
    year_to: int | None = None,
) -> TimelineReport:
    """The visible municipalities' costs per year with their shares of the shared project
    costs. The shares are split between every municipality on the timeline that year, seen or
    not, so that a municipality's share does not depend on who looks."""
    visible = list(
        timeline_list(
            actor=actor,
            cooperation=cooperation,
            municipality=municipality,
            year_from=year_from,
            year_to=year_to,
        )
    )
    years = sorted({e.year for e in visible})
    everyone = TimelineEntry.objects.filter(cooperation=cooperation, year__in=years).values_list(
        "municipality__name", "year", "operating_cost", "investment_cost"
    )
    project = {
        p.year: p.amount
        for p in ProjectCost.objects.filter(cooperation=cooperation, year__in=years)
    }
    points = rules.timeline([rules.TimelineInput(*row) for row in everyone], project)
    seen = {(e.municipality.name, e.year): e for e in visible}
    mine = [p for p in points if (p.municipality, p.year) in seen]
    names = sorted({p.municipality for p in mine})
    return TimelineReport(years, names, mine, project, seen)


# --- follow-up against billing ------------------------------------------------------------------


def actual_cost_summary(*, actor: Actor, cooperation: Cooperation, year: int) -> dict[int, Decimal]:
    """What billing invoiced each visible municipality in the year (approved and exported
    invoices; drafts may still change), by municipality id. One query."""
    rows = (
        Invoice.objects.filter(
            _municipal_q(actor),
            cooperation=cooperation,
            period__startswith=f"{year:04d}-",
            status__in=CLOSED_STATUSES,
        )
        .values("municipality_id")
        .annotate(total=Sum("total"))
        .order_by()
    )
    return {r["municipality_id"]: r["total"] for r in rows}


@dataclass(frozen=True)
class FollowUpReport:
    year: int
    baseline_year: int | None
    baseline: BaselineReport | None
    rows: list[tuple[OrgNode, rules.FollowUpRow]]
    total: rules.FollowUpRow | None


def followup_report(
    *,
    actor: Actor,
    cooperation: Cooperation,
    year: int,
    baseline_year: int | None = None,
    scenario: Scenario | None = None,
) -> FollowUpReport:
    """The year's invoiced costs per municipality against the baseline (by default the latest
    baseline year up to the year) and its target (the baseline less the savings potential)."""
    if baseline_year is None:
        earlier = [y for y in baseline_year_list(actor=actor, cooperation=cooperation) if y <= year]
        baseline_year = earlier[0] if earlier else None
    if baseline_year is None:
        return FollowUpReport(year, None, None, [], None)
    report = baseline_report(
        actor=actor, cooperation=cooperation, year=baseline_year, scenario=scenario
    )
    actual = actual_cost_summary(actor=actor, cooperation=cooperation, year=year)
    rows = [
        (
            f.municipality,
            rules.FollowUpRow(
                r.municipality, r.it_cost, r.savings_potential, actual.get(f.municipality_id)
            ),
        )
        for f, r in report.rows
    ]
    known = [r.actual_cost for _m, r in rows if r.actual_cost is not None]
    total = rules.FollowUpRow(
        str(TOTAL_LABEL),
        report.result.total.it_cost,
        report.result.total.savings_potential,
        sum(known, rules.ZERO) if known else None,
    )
    return FollowUpReport(year, baseline_year, report, rows, total)


def municipality_choice_list(
    *, actor: Actor, cooperation: Cooperation, action: str = actions.VIEW_ECONOMY
) -> QuerySet[OrgNode]:
    return OrgNode.objects.filter(
        permissions.scope_q(actor, action), cooperation=cooperation, kind="municipality"
    ).order_by("name")
