"""Every write of the economy: keyword-only, atomic, audited, with optimistic concurrency where a
person edits. Bad input is refused whole with a message naming each wrong field; nothing changes.

Only inputs are written (amounts, percentages); every computed figure is left to `rules`.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from itfabrik.core import audit, permissions
from itfabrik.core.actors import Actor
from itfabrik.core.errors import Conflict, Forbidden, NotFound, ValidationFailed, lazy_format
from itfabrik.core.models import AuditAction
from itfabrik.core.services import create_audited, update_audited, update_versioned
from itfabrik.tenancy.models import Cooperation, OrgNode

from . import permissions as actions
from . import rules
from .choices import FigureBasis
from .models import (
    BaselineFigures,
    CategoryCost,
    CostCategory,
    ProjectCost,
    Scenario,
    ScenarioRate,
    TimelineEntry,
)

PERCENT_MESSAGE = _("%(what)s måste vara mellan 0 och 100 procent (angivet: %(value)s).")
NEGATIVE_MESSAGE = _("%(what)s får inte vara negativt (angivet: %(value)s).")
NOT_NUMBER_MESSAGE = _("%(what)s måste vara ett tal (angivet: %(value)s).")


def _root_path(cooperation: Cooperation) -> str:
    assert cooperation.root is not None
    return cooperation.root.path


def _require_cooperation(actor: Actor, cooperation: Cooperation) -> None:
    """404 when the actor sees nothing of the cooperation's economy, 403 when they see it but
    may not change its scenarios and categories."""
    if permissions.can(actor, actions.MANAGE_SCENARIOS, cooperation.root):
        return
    if any(
        g.cooperation_id == cooperation.pk
        for g in permissions.grants_for(actor, actions.VIEW_ECONOMY)
    ):
        raise Forbidden()
    raise NotFound()


def _require_figures(actor: Actor, municipality: OrgNode) -> None:
    if permissions.can(actor, actions.MANAGE_FIGURES, municipality):
        return
    if permissions.can(actor, actions.VIEW_ECONOMY, municipality):
        raise Forbidden()
    raise NotFound()


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    if isinstance(value, str):
        try:
            d = Decimal(value.strip().replace("\u00a0", "").replace(" ", "").replace(",", "."))
        except InvalidOperation:
            return None
        return d if d.is_finite() else None
    return None


def _percent(errors: dict[str, list[Any]], field: str, what: Any, value: Any) -> Decimal:
    d = _decimal(value)
    if d is None:
        errors.setdefault(field, []).append(lazy_format(NOT_NUMBER_MESSAGE, what=what, value=value))
        return rules.ZERO
    try:
        return rules.check_percent(d).quantize(Decimal("0.01"))
    except rules.PercentError:
        errors.setdefault(field, []).append(lazy_format(PERCENT_MESSAGE, what=what, value=value))
        return rules.ZERO


def _amount(errors: dict[str, list[Any]], field: str, what: Any, value: Any) -> Decimal:
    d = _decimal(value)
    if d is None:
        errors.setdefault(field, []).append(lazy_format(NOT_NUMBER_MESSAGE, what=what, value=value))
        return rules.ZERO
    if d < 0:
        errors.setdefault(field, []).append(lazy_format(NEGATIVE_MESSAGE, what=what, value=value))
        return rules.ZERO
    return d.quantize(Decimal("0.01"))


def _raise(errors: dict[str, list[Any]]) -> None:
    if any(errors.values()):
        raise ValidationFailed(fields={k: v for k, v in errors.items() if v})


# --- categories ---------------------------------------------------------------------------------


@transaction.atomic
def category_create(
    *,
    actor: Actor,
    cooperation: Cooperation,
    name: str,
    position: int = 0,
    default_savings_percent: Any = rules.ZERO,
) -> CostCategory:
    _require_cooperation(actor, cooperation)
    errors: dict[str, list[Any]] = {}
    pct = _percent(
        errors, "default_savings_percent", _("Besparingspotentialen"), default_savings_percent
    )
    category = CostCategory(
        cooperation=cooperation,
        name=name.strip(),
        position=position,
        default_savings_percent=pct,
    )
    return create_audited(
        actor=actor, instance=category, scope_path=_root_path(cooperation), errors=errors
    )


@transaction.atomic
def category_update(
    *,
    actor: Actor,
    category: CostCategory,
    expected_version: int | None,
    name: str | None = None,
    position: int | None = None,
    default_savings_percent: Any = None,
    is_active: bool | None = None,
) -> CostCategory:
    """Rename, reorder or change the default savings of a category, or close it
    (`is_active=False`: it leaves the baseline; its amounts stay in the figures)."""
    _require_cooperation(actor, category.cooperation)
    errors: dict[str, list[Any]] = {}
    changes: dict[str, Any] = {}
    if name is not None:
        changes["name"] = name.strip()
    if position is not None:
        changes["position"] = position
    if default_savings_percent is not None:
        changes["default_savings_percent"] = _percent(
            errors, "default_savings_percent", _("Besparingspotentialen"), default_savings_percent
        )
    if is_active is not None:
        changes["is_active"] = is_active
    return update_versioned(
        actor=actor,
        instance=category,
        expected_version=expected_version,
        changes=changes,
        scope_path=_root_path(category.cooperation),
        errors=errors,
    )


# --- the figures of a municipality and year -----------------------------------------------------


def _cost_errors(
    cooperation: Cooperation, costs: Mapping[int, Any], errors: dict[str, list[Any]]
) -> dict[CostCategory, Decimal]:
    categories = {c.pk: c for c in CostCategory.objects.filter(cooperation=cooperation)}
    out: dict[CostCategory, Decimal] = {}
    for category_id, value in costs.items():
        category = categories.get(int(category_id))
        field = f"cost_{category_id}"
        if category is None:
            errors.setdefault(field, []).append(_("Okänd kostnadskategori."))
            continue
        out[category] = _amount(
            errors, field, lazy_format(_("Kostnaden för %(c)s"), c=category.name), value
        )
    return out


@transaction.atomic
def figures_create(
    *,
    actor: Actor,
    cooperation: Cooperation,
    municipality: OrgNode,
    year: int,
    net_cost: Any,
    costs: Mapping[int, Any],
    source: str = "",
) -> BaselineFigures:
    """A municipality's figures for a year: its net cost and its IT unit's cost per category
    (category id → amount)."""
    _require_figures(actor, municipality)
    errors: dict[str, list[Any]] = {}
    net = _amount(errors, "net_cost", _("Nettokostnaden"), net_cost)
    amounts = _cost_errors(cooperation, costs, errors)
    if municipality.cooperation_id != cooperation.pk or municipality.kind != "municipality":
        errors.setdefault("municipality", []).append(_("Okänd kommun."))
    if BaselineFigures.objects.filter(municipality=municipality, year=year).exists():
        errors.setdefault("year", []).append(
            lazy_format(
                _("%(m)s har redan siffror för %(y)s: rätta dem i stället."),
                m=municipality.name,
                y=year,
            )
        )
    figures = BaselineFigures(
        cooperation=cooperation,
        municipality=municipality,
        year=year,
        net_cost=net,
        source=source,
    )
    create_audited(actor=actor, instance=figures, scope_path=municipality.path, errors=errors)
    for category, amount in amounts.items():
        create_audited(
            actor=actor,
            instance=CategoryCost(figures=figures, category=category, amount=amount),
            scope_path=municipality.path,
        )
    return figures


@transaction.atomic
def figures_update(
    *,
    actor: Actor,
    figures: BaselineFigures,
    expected_version: int | None,
    net_cost: Any = None,
    costs: Mapping[int, Any] | None = None,
    source: str | None = None,
) -> BaselineFigures:
    """Correct a municipality's figures. The figures' version guards the whole form (the net
    cost and every category's cost): a correction of any of them moves it on, so a second
    person's stale form is refused (409), never half-applied. Each changed row is audited with
    its value before and after. What is not given (None, a category not named) is kept."""
    municipality = figures.municipality
    _require_figures(actor, municipality)
    current = BaselineFigures.objects.select_for_update().get(pk=figures.pk)
    if expected_version is not None and current.version != expected_version:
        raise Conflict()
    errors: dict[str, list[Any]] = {}
    net = (
        current.net_cost
        if net_cost is None
        else _amount(errors, "net_cost", _("Nettokostnaden"), net_cost)
    )
    amounts = _cost_errors(figures.cooperation, costs or {}, errors)
    _raise(errors)
    changes: dict[str, Any] = {"net_cost": net}
    if source is not None:
        changes["source"] = source
    before_version = current.version
    current = update_versioned(
        actor=actor,
        instance=current,
        expected_version=None,
        changes=changes,
        scope_path=municipality.path,
    )
    touched = False
    existing = {c.category_id: c for c in CategoryCost.objects.filter(figures=current)}
    for category, amount in amounts.items():
        row = existing.get(category.pk)
        if row is None:
            create_audited(
                actor=actor,
                instance=CategoryCost(figures=current, category=category, amount=amount),
                scope_path=municipality.path,
            )
            touched = True
        elif row.amount != amount:
            update_versioned(
                actor=actor,
                instance=row,
                expected_version=None,
                changes={"amount": amount},
                scope_path=municipality.path,
            )
            touched = True
    if touched and current.version == before_version:
        BaselineFigures.objects.filter(pk=current.pk).update(version=F("version") + 1)
        current.refresh_from_db()
    return current


# --- scenarios ----------------------------------------------------------------------------------


def _scenario_input(
    cooperation: Cooperation,
    benchmark_percent: Any,
    rates: Mapping[int, Any],
    errors: dict[str, list[Any]],
) -> tuple[Decimal, dict[CostCategory, Decimal]]:
    benchmark = _percent(errors, "benchmark_percent", _("Riktmärket"), benchmark_percent)
    categories = {c.pk: c for c in CostCategory.objects.filter(cooperation=cooperation)}
    out: dict[CostCategory, Decimal] = {}
    for category_id, value in rates.items():
        field = f"rate_{category_id}"
        category = categories.get(int(category_id))
        if category is None:
            errors.setdefault(field, []).append(_("Okänd kostnadskategori."))
            continue
        out[category] = _percent(
            errors, field, lazy_format(_("Besparingen för %(c)s"), c=category.name), value
        )
    return benchmark, out


def _rates_snapshot(scenario: Scenario) -> dict[str, str]:
    return {
        str(r.category_id): str(r.savings_percent)
        for r in ScenarioRate.objects.filter(scenario=scenario).order_by("category_id")
    }


def _clear_default(actor: Actor, cooperation: Cooperation, keep: Scenario | None) -> None:
    """One default scenario per cooperation: the one that takes it, takes it from the other."""
    others = Scenario.objects.filter(cooperation=cooperation, is_default=True)
    if keep is not None and keep.pk is not None:
        others = others.exclude(pk=keep.pk)
    for other in others.select_for_update():
        update_audited(
            actor=actor,
            instance=other,
            changes={"is_default": False},
            scope_path=_root_path(cooperation),
        )


@transaction.atomic
def scenario_create(
    *,
    actor: Actor,
    cooperation: Cooperation,
    name: str,
    benchmark_percent: Any = rules.DEFAULT_BENCHMARK_PERCENT,
    rates: Mapping[int, Any] | None = None,
    description: str = "",
    is_default: bool = False,
) -> Scenario:
    """A scenario; without `rates`, each category starts from its default savings percentage."""
    _require_cooperation(actor, cooperation)
    errors: dict[str, list[Any]] = {}
    if rates is None:
        rates = {
            c.pk: c.default_savings_percent
            for c in CostCategory.objects.filter(cooperation=cooperation, is_active=True)
        }
    benchmark, parsed = _scenario_input(cooperation, benchmark_percent, rates, errors)
    _raise(errors)
    if is_default:
        _clear_default(actor, cooperation, None)
    scenario = create_audited(
        actor=actor,
        instance=Scenario(
            cooperation=cooperation,
            name=name.strip(),
            description=description,
            benchmark_percent=benchmark,
            is_default=is_default,
        ),
        scope_path=_root_path(cooperation),
    )
    ScenarioRate.objects.bulk_create(
        [ScenarioRate(scenario=scenario, category=c, savings_percent=p) for c, p in parsed.items()]
    )
    if parsed:
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=scenario,
            before={"rates": {}},
            after={"rates": _rates_snapshot(scenario)},
            scope_path=_root_path(cooperation),
        )
    return scenario


@transaction.atomic
def scenario_update(
    *,
    actor: Actor,
    scenario: Scenario,
    expected_version: int | None,
    name: str | None = None,
    benchmark_percent: Any = None,
    rates: Mapping[int, Any] | None = None,
    description: str | None = None,
    is_default: bool | None = None,
    is_active: bool | None = None,
) -> Scenario:
    """Adjust a scenario: its benchmark share, its savings percentages (category id → per
    cent; categories not named keep theirs), its name, whether it is the default, or close it
    (`is_active=False`). A share below 0 or above 100 % is refused and nothing changes."""
    cooperation = scenario.cooperation
    _require_cooperation(actor, cooperation)
    current = Scenario.objects.select_for_update().get(pk=scenario.pk)
    if expected_version is not None and current.version != expected_version:
        raise Conflict()
    errors: dict[str, list[Any]] = {}
    benchmark, parsed = _scenario_input(
        cooperation,
        current.benchmark_percent if benchmark_percent is None else benchmark_percent,
        rates or {},
        errors,
    )
    if is_default and is_active is False:
        errors.setdefault("is_default", []).append(_("Ett avslutat scenario kan inte vara förval."))
    _raise(errors)
    changes: dict[str, Any] = {"benchmark_percent": benchmark}
    if name is not None:
        changes["name"] = name.strip()
    if description is not None:
        changes["description"] = description
    if is_active is not None:
        changes["is_active"] = is_active
        if not is_active:
            changes["is_default"] = False
    if is_default is not None and "is_default" not in changes:
        changes["is_default"] = is_default
        if is_default:
            _clear_default(actor, cooperation, current)
    before_version = current.version
    current = update_versioned(
        actor=actor,
        instance=current,
        expected_version=None,
        changes=changes,
        scope_path=_root_path(cooperation),
    )
    before_rates = _rates_snapshot(current)
    for category, pct in parsed.items():
        ScenarioRate.objects.update_or_create(
            scenario=current, category=category, defaults={"savings_percent": pct}
        )
    after_rates = _rates_snapshot(current)
    if after_rates != before_rates:
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=current,
            before={"rates": before_rates},
            after={"rates": after_rates},
            scope_path=_root_path(cooperation),
        )
        if current.version == before_version:
            Scenario.objects.filter(pk=current.pk).update(version=F("version") + 1)
        current.refresh_from_db()
    return current


# --- the timeline -------------------------------------------------------------------------------


@transaction.atomic
def timeline_entry_create(
    *,
    actor: Actor,
    cooperation: Cooperation,
    municipality: OrgNode,
    year: int,
    operating_cost: Any,
    investment_cost: Any = rules.ZERO,
    basis: str = FigureBasis.BUDGET,
    note: str = "",
) -> TimelineEntry:
    _require_figures(actor, municipality)
    errors: dict[str, list[Any]] = {}
    operating = _amount(errors, "operating_cost", _("Driftkostnaden"), operating_cost)
    investment = _amount(errors, "investment_cost", _("Investeringen"), investment_cost)
    entry = TimelineEntry(
        cooperation=cooperation,
        municipality=municipality,
        year=year,
        operating_cost=operating,
        investment_cost=investment,
        basis=basis,
        note=note,
    )
    return create_audited(actor=actor, instance=entry, scope_path=municipality.path, errors=errors)


@transaction.atomic
def timeline_entry_update(
    *,
    actor: Actor,
    entry: TimelineEntry,
    expected_version: int | None,
    operating_cost: Any,
    investment_cost: Any,
    basis: str | None = None,
    note: str | None = None,
) -> TimelineEntry:
    _require_figures(actor, entry.municipality)
    errors: dict[str, list[Any]] = {}
    changes: dict[str, Any] = {
        "operating_cost": _amount(errors, "operating_cost", _("Driftkostnaden"), operating_cost),
        "investment_cost": _amount(errors, "investment_cost", _("Investeringen"), investment_cost),
    }
    if basis is not None:
        changes["basis"] = basis
    if note is not None:
        changes["note"] = note
    _raise(errors)
    return update_versioned(
        actor=actor,
        instance=entry,
        expected_version=expected_version,
        changes=changes,
        scope_path=entry.municipality.path,
    )


@transaction.atomic
def project_cost_set(
    *,
    actor: Actor,
    cooperation: Cooperation,
    year: int,
    amount: Any,
    basis: str = FigureBasis.BUDGET,
    note: str = "",
    expected_version: int | None = None,
) -> ProjectCost:
    """The year's shared project costs: created, or corrected when the year has them."""
    _require_cooperation(actor, cooperation)
    errors: dict[str, list[Any]] = {}
    value = _amount(errors, "amount", _("Projektkostnaden"), amount)
    existing = ProjectCost.objects.filter(cooperation=cooperation, year=year).first()
    if existing is None:
        return create_audited(
            actor=actor,
            instance=ProjectCost(
                cooperation=cooperation, year=year, amount=value, basis=basis, note=note
            ),
            scope_path=_root_path(cooperation),
            errors=errors,
        )
    _raise(errors)
    return update_versioned(
        actor=actor,
        instance=existing,
        expected_version=expected_version,
        changes={"amount": value, "basis": basis, "note": note},
        scope_path=_root_path(cooperation),
    )
