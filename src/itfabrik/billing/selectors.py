"""Reads of billing: every one takes the actor and applies scope. A municipality's users see only
their own municipality's invoices (others' are not found)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from itfabrik.core import permissions
from itfabrik.core.actors import Actor
from itfabrik.core.errors import NotFound, ValidationFailed
from itfabrik.core.money import to_money
from itfabrik.core.selectors import get_or_not_found
from itfabrik.tenancy.models import Cooperation, InhabitantCount, OrgNode

from . import permissions as actions
from .choices import CLOSED_STATUSES, KeyMethod, LineKind, PoolKind
from .filters import InvoiceFilter, UsageFilter
from .models import (
    AllocationKey,
    BillingRun,
    CostPool,
    FundSpending,
    Invoice,
    InvoiceLine,
    LedgerSettings,
    PoolBudget,
    UsageImport,
    UsageRecord,
)
from .sources import Period, allocate_pool_month, context_for, key_in_force, monthly_amount
from .validation import validate_percentages


def _root_q(actor: Actor, action: str) -> Any:
    return permissions.scope_q(actor, action, path_field="cooperation__root__path")


def _simulation_municipality_ids(*, actor: Actor, cooperation: Cooperation) -> set[int]:
    """The municipalities of the cooperation whose simulated amounts the actor may see."""
    if not permissions.can_anywhere(actor, actions.SIMULATE_KEY):
        return set()
    return set(
        OrgNode.objects.filter(
            permissions.scope_q(actor, actions.SIMULATE_KEY),
            cooperation=cooperation,
            kind="municipality",
        ).values_list("pk", flat=True)
    )


def _invoices_visible(actor: Actor) -> QuerySet[Invoice]:
    return Invoice.objects.filter(
        permissions.scope_q(actor, actions.VIEW_INVOICE, path_field="municipality__path")
    )


def invoice_list(
    *,
    actor: Actor,
    period: str | None = None,
    year: int | None = None,
    municipality_id: int | None = None,
    status: str | None = None,
    with_lines: bool = True,
) -> QuerySet[Invoice]:
    qs = InvoiceFilter.apply(
        _invoices_visible(actor),
        period=period,
        year=year,
        municipality=municipality_id,
        status=status,
    ).select_related("municipality")
    if with_lines:
        qs = qs.prefetch_related(
            Prefetch(
                "lines",
                queryset=InvoiceLine.objects.select_related("unit", "cost_pool").order_by(
                    "position"
                ),
            )
        )
    return qs.order_by("-period", "municipality__name", "pk")


def invoice_get(*, actor: Actor, pk: Any) -> Invoice:
    return get_or_not_found(invoice_list(actor=actor), pk)


def invoice_line_list(
    *,
    actor: Actor,
    invoice: Invoice,
    kind: str | None = None,
    unit_id: int | None = None,
) -> QuerySet[InvoiceLine]:
    qs = InvoiceLine.objects.filter(invoice=invoice).select_related(
        "unit", "cost_pool", "allocation_key", "usage_record"
    )
    if kind:
        qs = qs.filter(kind=kind)
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    return qs.order_by("position")


def invoice_unit_total_list(*, invoice: Invoice) -> list[tuple[str, str, Decimal]]:
    """(unit name, cost centre, total) per unit of an invoice, summed in the database;
    municipality-level lines as one row."""
    rows = (
        InvoiceLine.objects.filter(invoice=invoice)
        .values("unit__name", "cost_centre")
        .annotate(total=Sum("amount"))
        .order_by("unit__name", "cost_centre")
    )
    out = [
        (
            r["unit__name"] or str(_("Kommunen (gemensamma kostnader)")),
            r["cost_centre"],
            r["total"] or Decimal(0),
        )
        for r in rows
    ]
    return sorted(out)


def usage_list(
    *,
    actor: Actor,
    municipality_id: int | None = None,
    unit_id: int | None = None,
    used_from: dt.date | None = None,
    used_to: dt.date | None = None,
    search: str | None = None,
    action: str = actions.VIEW_INVOICE,
) -> QuerySet[UsageRecord]:
    qs = UsageRecord.objects.filter(permissions.scope_q(actor, action, path_field="unit__path"))
    return (
        UsageFilter.apply(
            qs,
            municipality=municipality_id,
            unit=unit_id,
            used_from=used_from,
            used_to=used_to,
            q=search,
        )
        .select_related("unit")
        .order_by("-used_on", "-pk")
    )


def usage_manage_get(*, actor: Actor, pk: Any) -> UsageRecord:
    """A usage record the actor may correct (others: not found)."""
    return get_or_not_found(usage_list(actor=actor, action=actions.RECORD_USAGE), pk)


def usage_import_list(*, actor: Actor, cooperation: Cooperation) -> QuerySet[UsageImport]:
    return (
        UsageImport.objects.filter(_root_q(actor, actions.RECORD_USAGE), cooperation=cooperation)
        .defer("content")
        .order_by("-created_at", "-pk")
    )


def usage_import_get(*, actor: Actor, pk: Any) -> UsageImport:
    return get_or_not_found(
        UsageImport.objects.filter(_root_q(actor, actions.RECORD_USAGE)).select_related(
            "cooperation__root"
        ),
        pk,
    )


def managed_pool_list(*, actor: Actor, cooperation: Cooperation) -> QuerySet[CostPool]:
    """The pools the actor may manage (create, budget, key, close)."""
    return (
        CostPool.objects.filter(_root_q(actor, actions.MANAGE_POOLS), cooperation=cooperation)
        .prefetch_related(
            Prefetch("keys", queryset=AllocationKey.objects.order_by("-valid_from")),
            Prefetch("budgets", queryset=PoolBudget.objects.order_by("-year")),
        )
        .order_by("kind", "name")
    )


def managed_pool_get(*, actor: Actor, pk: Any) -> CostPool:
    return get_or_not_found(
        CostPool.objects.filter(_root_q(actor, actions.MANAGE_POOLS))
        .select_related("cooperation__root")
        .prefetch_related(
            Prefetch("keys", queryset=AllocationKey.objects.order_by("-valid_from")),
            Prefetch("budgets", queryset=PoolBudget.objects.order_by("-year")),
        ),
        pk,
    )


def managed_fund_list(*, actor: Actor, cooperation: Cooperation) -> QuerySet[CostPool]:
    return CostPool.objects.filter(
        _root_q(actor, actions.MANAGE_FUND), cooperation=cooperation, kind=PoolKind.FUND
    ).order_by("name")


def managed_fund_get(*, actor: Actor, pk: Any) -> CostPool:
    return get_or_not_found(
        CostPool.objects.filter(
            _root_q(actor, actions.MANAGE_FUND), kind=PoolKind.FUND
        ).select_related("cooperation__root"),
        pk,
    )


def fund_contribution_list(pool: CostPool) -> list[dict[str, Any]]:
    """Contributions on approved invoices per municipality (what the balance is made of)."""
    rows = (
        InvoiceLine.objects.filter(
            cost_pool=pool, kind=LineKind.FUND, invoice__status__in=CLOSED_STATUSES
        )
        .values("invoice__municipality_id", "invoice__municipality__name")
        .annotate(amount=Sum("amount"))
        .order_by("invoice__municipality__name")
    )
    return [dict(r) for r in rows]


@dataclass
class LedgerRow:
    municipality: OrgNode
    settings: LedgerSettings
    stored: bool


def ledger_row_list(*, actor: Actor, cooperation: Cooperation) -> list[LedgerRow]:
    """Every municipality of the cooperation whose ledger settings the actor may set, with its
    stored settings or the defaults. Two queries."""
    nodes = list(
        OrgNode.objects.filter(
            permissions.scope_q(actor, actions.APPROVE_INVOICE),
            cooperation=cooperation,
            kind="municipality",
        ).order_by("name")
    )
    stored = {
        s.municipality_id: s
        for s in LedgerSettings.objects.filter(municipality__in=[n.pk for n in nodes])
    }
    return [
        LedgerRow(
            municipality=n,
            settings=stored.get(n.pk) or LedgerSettings(municipality=n),
            stored=n.pk in stored,
        )
        for n in nodes
    ]


def ledger_municipality_get(*, actor: Actor, pk: Any) -> OrgNode:
    return get_or_not_found(
        OrgNode.objects.filter(
            permissions.scope_q(actor, actions.APPROVE_INVOICE), kind="municipality"
        ),
        pk,
    )


def run_list(*, actor: Actor) -> QuerySet[BillingRun]:
    return BillingRun.objects.filter(_root_q(actor, actions.RUN_BILLING)).order_by(
        "-created_at", "-pk"
    )


def run_get(*, actor: Actor, pk: Any) -> BillingRun:
    return get_or_not_found(run_list(actor=actor), pk)


def pool_list(*, actor: Actor, cooperation: Cooperation | None = None) -> QuerySet[CostPool]:
    qs = CostPool.objects.filter(_root_q(actor, actions.VIEW_INVOICE))
    if cooperation is not None:
        qs = qs.filter(cooperation=cooperation)
    return qs.prefetch_related(
        Prefetch("keys", queryset=AllocationKey.objects.order_by("-valid_from")),
        Prefetch("budgets", queryset=PoolBudget.objects.order_by("-year")),
    ).order_by("kind", "name")


def pool_get(*, actor: Actor, pk: Any) -> CostPool:
    return get_or_not_found(pool_list(actor=actor).select_related("cooperation__root"), pk)


def simulation_pool_get(*, actor: Actor, cooperation: Cooperation, pk: Any = None) -> CostPool:
    """The pool to simulate: the one asked for, or the cooperation's shared pool (Bas-IT).
    Found for whoever may simulate somewhere in the cooperation (the rows are scoped)."""
    if not _simulation_municipality_ids(actor=actor, cooperation=cooperation):
        raise NotFound()
    qs = CostPool.objects.filter(cooperation=cooperation).select_related("cooperation__root")
    if pk is not None:
        return get_or_not_found(qs, pk)
    pool = qs.filter(kind=PoolKind.SHARED).order_by("name").first()
    if pool is None:
        raise NotFound()
    return pool


@dataclass
class FundStatus:
    pool: CostPool
    balance: Decimal
    spendings: list[FundSpending]


def fund_summary(*, actor: Actor, pool: CostPool) -> FundStatus:
    if pool.kind != PoolKind.FUND:
        raise NotFound()
    return FundStatus(
        pool=pool,
        balance=fund_balance_get(pool),
        spendings=list(FundSpending.objects.filter(pool=pool).order_by("-spent_on", "-pk")),
    )


def fund_balance_get(pool: CostPool) -> Decimal:
    """Contributions on approved (or exported) invoices, less what has been spent."""
    contributed = InvoiceLine.objects.filter(
        cost_pool=pool, kind=LineKind.FUND, invoice__status__in=CLOSED_STATUSES
    ).aggregate(s=Sum("amount"))["s"] or Decimal(0)
    spent = FundSpending.objects.filter(pool=pool).aggregate(s=Sum("amount"))["s"] or Decimal(0)
    return to_money(contributed - spent)


# --- transparency ------------------------------------------------------------------------------


@dataclass
class MunicipalityFigures:
    municipality: OrgNode
    month: Decimal = Decimal(0)
    year_to_date: Decimal = Decimal(0)
    shared: Decimal = Decimal(0)
    fund: Decimal = Decimal(0)
    consumption: Decimal = Decimal(0)
    inhabitants: int | None = None
    invoice_id: int | None = None

    @property
    def per_inhabitant(self) -> Decimal | None:
        if not self.inhabitants:
            return None
        return to_money(self.year_to_date / self.inhabitants)


def municipality_figure_list(
    *, actor: Actor, cooperation: Cooperation, period: Period
) -> list[MunicipalityFigures]:
    """Per visible municipality: the month, the year to date, base share (Bas-IT), fund and
    consumption (with corrections) year to date, and cost per inhabitant. From the invoices'
    totals by kind (written with their lines), not from the lines: three queries whatever the
    number of lines."""
    months = [f"{period.year:04d}-{m:02d}" for m in range(1, period.month + 1)]
    invoices = list(
        _invoices_visible(actor)
        .filter(cooperation=cooperation, period__in=months)
        .select_related("municipality")
        .only(
            "pk",
            "period",
            "municipality__id",
            "municipality__name",
            "total",
            "shared_total",
            "fund_total",
            "consumption_total",
        )
    )
    ids = {i.municipality_id for i in invoices}
    counts: dict[int, int] = {}
    for c in InhabitantCount.objects.filter(
        municipality_id__in=ids, year__lte=period.year
    ).order_by("municipality_id", "-year"):
        counts.setdefault(c.municipality_id, c.inhabitants)
    figures: dict[int, MunicipalityFigures] = {}
    for i in invoices:
        f = figures.setdefault(
            i.municipality_id,
            MunicipalityFigures(
                municipality=i.municipality, inhabitants=counts.get(i.municipality_id)
            ),
        )
        f.year_to_date += i.total
        f.shared += i.shared_total
        f.fund += i.fund_total
        f.consumption += i.consumption_total
        if i.period == period.code:
            f.month += i.total
            f.invoice_id = i.pk
    return sorted(figures.values(), key=lambda f: f.municipality.name)


@dataclass
class UnitFigure:
    unit_id: int | None
    name: str
    cost_centre: str
    amount: Decimal


def unit_figure_list(*, actor: Actor, municipality: OrgNode, period: Period) -> list[UnitFigure]:
    """Year to date per unit (municipality-level lines as one row without a unit)."""
    permissions.require(actor, actions.VIEW_INVOICE, municipality)
    months = [f"{period.year:04d}-{m:02d}" for m in range(1, period.month + 1)]
    rows = (
        InvoiceLine.objects.filter(invoice__municipality=municipality, invoice__period__in=months)
        .values("unit_id", "unit__name", "cost_centre")
        .annotate(s=Sum("amount"))
        .order_by("unit__name", "cost_centre")
    )
    return [
        UnitFigure(
            unit_id=r["unit_id"],
            name=r["unit__name"] or str(_("Kommunen (gemensamma kostnader)")),
            cost_centre=r["cost_centre"],
            amount=r["s"] or Decimal(0),
        )
        for r in rows
    ]


# --- simulation --------------------------------------------------------------------------------


@dataclass
class SimulatedMunicipality:
    municipality_id: int
    name: str
    months: list[dict[str, Any]] = field(default_factory=list)
    current: Decimal = Decimal(0)
    simulated: Decimal = Decimal(0)

    @property
    def difference(self) -> Decimal:
        return self.simulated - self.current


def key_simulation_report(
    *,
    actor: Actor,
    pool: CostPool,
    year: int,
    method: str,
    percentages: dict[str, Any] | None = None,
) -> list[SimulatedMunicipality]:
    """Every member's amount per month and for the year under the keys in force and under a
    proposed key, before anyone adopts it. Nothing is written. The split is computed over all
    members (a key is a split between all of them), the answer holds the municipalities where
    the actor may simulate: all of them for a role at the cooperation, its own for an IT
    contact."""
    visible = _simulation_municipality_ids(actor=actor, cooperation=pool.cooperation)
    if not visible:
        raise NotFound()
    clean = validate_percentages(
        cooperation=pool.cooperation, method=method, percentages=percentages
    )
    budget = PoolBudget.objects.filter(pool=pool, year=year).first()
    if budget is None:
        raise ValidationFailed(fields={"year": [_("Poolen har ingen budget för året.")]})
    out: dict[int, SimulatedMunicipality] = {}
    for month in range(1, 13):
        period = Period(year, month)
        ctx = context_for(pool.cooperation, period)
        amount = monthly_amount(budget.amount, month)
        key = key_in_force(pool, period)
        current = allocate_pool_month(
            amount=amount,
            method=key.method if key else KeyMethod.EQUAL,
            percentages=key.percentages if key else {},
            ctx=ctx,
        )
        simulated = allocate_pool_month(amount=amount, method=method, percentages=clean, ctx=ctx)
        for mid in sorted((set(current) | set(simulated)) & visible):
            row = out.setdefault(
                mid, SimulatedMunicipality(municipality_id=mid, name=ctx.names.get(mid, ""))
            )
            c, s = current.get(mid, Decimal(0)), simulated.get(mid, Decimal(0))
            row.months.append(
                {"period": period.code, "current": c, "simulated": s, "difference": s - c}
            )
            row.current += c
            row.simulated += s
    return sorted(out.values(), key=lambda r: r.name)
