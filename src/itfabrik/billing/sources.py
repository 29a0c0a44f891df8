"""Charge sources: where an invoice basis's lines come from.

A billing run asks every registered source for the lines of one month (`LineDraft`s) and groups
them per municipality. Billing's own sources are the shared pools (Bas-IT), the digitalisation
fund's contributions and usage records ("per use"). The catalogue registers its subscriptions
with `register_charge_source("subscriptions", func)` from its own app (`catalog/charging.py`);
billing itself imports nothing of it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from itfabrik.core.errors import ValidationFailed, lazy_format
from itfabrik.core.money import split_equally
from itfabrik.tenancy.models import Cooperation, InhabitantCount, Membership, OrgNode

from .choices import CLOSED_STATUSES, KeyMethod, LineKind, PoolKind
from .models import AllocationKey, CostPool, Invoice, InvoiceLine, PoolBudget, UsageRecord
from .rules import allocate, days_active, month_bounds


@dataclass(frozen=True)
class Period:
    year: int
    month: int

    @property
    def code(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def first(self) -> dt.date:
        return month_bounds(self.year, self.month)[0]

    @property
    def last(self) -> dt.date:
        return month_bounds(self.year, self.month)[1]

    def previous(self) -> Period:
        return Period(self.year - 1, 12) if self.month == 1 else Period(self.year, self.month - 1)

    def next(self) -> Period:
        return Period(self.year + 1, 1) if self.month == 12 else Period(self.year, self.month + 1)

    @classmethod
    def of(cls, day: dt.date) -> Period:
        return cls(day.year, day.month)

    @classmethod
    def parse(cls, text: Any) -> Period:
        """ "2026-01" → Period(2026, 1); anything else is refused with a clear message."""
        value = str(text or "").strip()
        try:
            year_s, month_s = value.split("-")
            if len(year_s) != 4 or len(month_s) != 2:
                raise ValueError
            period = cls(int(year_s), int(month_s))
            if not (1 <= period.month <= 12 and 2000 <= period.year <= 2100):
                raise ValueError
        except ValueError:
            raise ValidationFailed(
                fields={"period": [_("Ange perioden som ÅÅÅÅ-MM, t.ex. 2026-01.")]}
            ) from None
        return period

    def __str__(self) -> str:
        return self.code


@dataclass(frozen=True)
class LineDraft:
    municipality_id: int
    kind: str
    amount: Decimal
    description: str
    unit_id: int | None = None
    cost_centre: str = ""
    cost_pool_id: int | None = None
    service: str = ""
    quantity: Decimal | None = None
    unit_price: Decimal | None = None
    allocation_key_id: int | None = None
    usage_record_id: int | None = None
    source: dict[str, Any] = field(default_factory=dict)


@dataclass
class BillingContext:
    cooperation: Cooperation
    period: Period
    # Member days in the month per municipality id (only members with at least one day).
    member_days: dict[int, int]
    names: dict[int, str]
    # What a source could not charge and someone must look at (e.g. a device whose kind has no
    # catalogue service): kept on the billing run and shown on its page and in the API.
    warnings: list[dict[str, Any]] = field(default_factory=list)

    def warn(
        self,
        *,
        source: str,
        code: str,
        message: str,
        municipality_id: int | None = None,
        references: Iterable[str] = (),
    ) -> None:
        """Record a warning of this run: the source and a stable code, a message in the run's
        language, the municipality concerned and the objects it is about (up to 50 named)."""
        refs = [str(r) for r in references]
        self.warnings.append(
            {
                "source": source,
                "code": code,
                "message": message,
                "municipality": municipality_id,
                "count": len(refs),
                "references": refs[:50],
            }
        )


ChargeSource = Callable[[BillingContext], Iterable[LineDraft]]
_SOURCES: dict[str, ChargeSource] = {}

# A key basis gives each member's weight for a month from data billing does not own (devices
# from the catalogue's subscriptions, later from the assets app). It returns a number per
# municipality that already covers the whole month ("device-days"): billing multiplies it by
# the member days like every other key, which only rescales all parts by the same factor when
# every member was a member all month.
KeyBasis = Callable[[BillingContext], Mapping[int, int | Decimal]]
_KEY_BASES: dict[str, KeyBasis] = {}


def register_charge_source(name: str, source: ChargeSource) -> None:
    """Add a source of invoice lines (e.g. the catalogue's subscriptions)."""
    _SOURCES[name] = source


def charge_sources() -> dict[str, ChargeSource]:
    return dict(_SOURCES)


def register_key_basis(method: str, basis: KeyBasis) -> None:
    """Provide the weights of a key method (e.g. `devices`) from another app (ADR 0025)."""
    _KEY_BASES[method] = basis


def key_bases() -> dict[str, KeyBasis]:
    return dict(_KEY_BASES)


def method_available(method: str) -> bool:
    """Billing computes equal shares, inhabitants, users and fixed percentages itself; any
    other method needs an app that registered its basis."""
    return method in _BUILT_IN or method in _KEY_BASES


def available_methods() -> list[tuple[str, str]]:
    return [(value, str(label)) for value, label in KeyMethod.choices if method_available(value)]


def member_days(cooperation: Cooperation, period: Period) -> dict[int, int]:
    """Member days in the month per municipality (R8: joining or leaving mid-month pays by day)."""
    out: dict[int, int] = defaultdict(int)
    rows = Membership.objects.filter(cooperation=cooperation, joined_on__lte=period.last).filter(
        Q(left_on__isnull=True) | Q(left_on__gte=period.first)
    )
    for m in rows.values("municipality_id", "joined_on", "left_on"):
        out[m["municipality_id"]] += days_active(
            period.year, period.month, m["joined_on"], m["left_on"]
        )
    return {k: v for k, v in out.items() if v > 0}


def context_for(cooperation: Cooperation, period: Period) -> BillingContext:
    days = member_days(cooperation, period)
    names = dict(
        OrgNode.objects.filter(cooperation=cooperation, kind="municipality").values_list(
            "pk", "name"
        )
    )
    return BillingContext(cooperation=cooperation, period=period, member_days=days, names=names)


# --- pools: Bas-IT and the fund ------------------------------------------------------------


def monthly_amount(budget: Decimal, month: int) -> Decimal:
    """The month's twelfth of a yearly budget; the twelve months sum to the budget exactly."""
    return split_equally(budget, 12)[month - 1]


def key_in_force(pool: CostPool, period: Period) -> AllocationKey | None:
    """The key version valid for the month (keys are valid for whole months)."""
    return (
        AllocationKey.objects.filter(pool=pool, valid_from__lte=period.first)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=period.first))
        .order_by("-valid_from")
        .first()
    )


def base_weights(
    *, method: str, percentages: dict[str, Any], ctx: BillingContext
) -> dict[int, Decimal]:
    """Each member's weight under a key before the member days are applied."""
    ids = sorted(ctx.member_days)
    if method == KeyMethod.EQUAL:
        return {m: Decimal(1) for m in ids}
    if method == KeyMethod.PERCENTAGES:
        return {m: Decimal(str(percentages.get(str(m), "0"))) for m in ids}
    if method == KeyMethod.INHABITANTS:
        counts: dict[int, int] = {}
        rows = InhabitantCount.objects.filter(
            municipality_id__in=ids, year__lte=ctx.period.year
        ).order_by("municipality_id", "-year")
        for r in rows.values("municipality_id", "inhabitants"):
            counts.setdefault(r["municipality_id"], r["inhabitants"])
        missing = [ctx.names.get(m, str(m)) for m in ids if not counts.get(m)]
        if missing:
            raise ValidationFailed(
                lazy_format(
                    _("Invånarantal saknas för %(names)s (år %(year)s eller tidigare)."),
                    names=", ".join(missing),
                    year=ctx.period.year,
                )
            )
        return {m: Decimal(counts[m]) for m in ids}
    if method == KeyMethod.USERS:
        from itfabrik.accounts.models import User

        user_rows = (
            User.objects.filter(is_active=True, home_unit__municipality_id__in=ids)
            .values("home_unit__municipality_id")
            .annotate(n=Count("pk"))
        )
        users = {r["home_unit__municipality_id"]: r["n"] for r in user_rows}
        missing = [ctx.names.get(m, str(m)) for m in ids if not users.get(m)]
        if missing:
            raise ValidationFailed(
                lazy_format(_("Användare saknas för %(names)s."), names=", ".join(missing))
            )
        return {m: Decimal(users[m]) for m in ids}
    basis = _KEY_BASES.get(method)
    if basis is None:
        raise ValidationFailed(
            fields={
                "method": [_("Fördelningsmetoden är inte tillgänglig i den här installationen.")]
            }
        )
    raw = basis(ctx)
    return {m: Decimal(raw.get(m, 0)) for m in ids}


_BUILT_IN = frozenset(
    {KeyMethod.EQUAL, KeyMethod.PERCENTAGES, KeyMethod.INHABITANTS, KeyMethod.USERS}
)


def allocate_pool_month(
    *,
    amount: Decimal,
    method: str,
    percentages: dict[str, Any],
    ctx: BillingContext,
) -> dict[int, Decimal]:
    """A month's amount split between the members: key weight × member days, to the öre."""
    if not ctx.member_days:
        return {}
    base = base_weights(method=method, percentages=percentages, ctx=ctx)
    weights: dict[Hashable, Decimal | int] = {
        m: base[m] * ctx.member_days[m] for m in sorted(ctx.member_days)
    }
    if not any(weights.values()):
        raise ValidationFailed(_("Fördelningsnyckeln ger ingen medlem någon andel."))
    parts = allocate(amount, weights)
    return {int(str(k)): v for k, v in parts.items()}


def pool_lines(ctx: BillingContext) -> Iterable[LineDraft]:
    """Bas-IT and the fund: the month's twelfth of the year's budget, split by the key in force
    (equal shares when no key has been adopted, R8)."""
    pools = (
        CostPool.objects.filter(cooperation=ctx.cooperation)
        .filter(Q(closed_after__isnull=True) | Q(closed_after__gte=ctx.period.first))
        .order_by("kind", "code")
    )
    budgets = {
        b.pool_id: b.amount for b in PoolBudget.objects.filter(pool__in=pools, year=ctx.period.year)
    }
    for pool in pools:
        if pool.pk not in budgets or not ctx.member_days:
            continue
        key = key_in_force(pool, ctx.period)
        method = key.method if key else KeyMethod.EQUAL
        month = monthly_amount(budgets[pool.pk], ctx.period.month)
        shares = allocate_pool_month(
            amount=month, method=method, percentages=key.percentages if key else {}, ctx=ctx
        )
        kind = LineKind.FUND if pool.kind == PoolKind.FUND else LineKind.SHARED
        key_text = str(key) if key else str(_("Lika delar (standard, R8)"))
        in_month = (ctx.period.last - ctx.period.first).days + 1
        for municipality_id, share in shares.items():
            days = ctx.member_days[municipality_id]
            yield LineDraft(
                municipality_id=municipality_id,
                kind=kind,
                amount=share,
                description=f"{pool.name} {ctx.period.code}",
                cost_pool_id=pool.pk,
                allocation_key_id=key.pk if key else None,
                source={
                    "type": "pool_allocation",
                    "cost_pool": pool.pk,
                    "cost_pool_name": pool.name,
                    "allocation_key": key.pk if key else None,
                    "method": method,
                    "decision": key.decision_reference if key else "",
                    "key": key_text,
                    "month_amount": str(month),
                    "member_days": days,
                    "days_in_month": in_month,
                },
            )


# --- usage records ---------------------------------------------------------------------------


def closed_periods(municipality_ids: Iterable[int]) -> dict[int, set[str]]:
    out: dict[int, set[str]] = defaultdict(set)
    rows = Invoice.objects.filter(
        municipality_id__in=list(municipality_ids), status__in=CLOSED_STATUSES
    ).values_list("municipality_id", "period")
    for m, p in rows:
        out[m].add(p)
    return out


def _last_open_before(period: Period, closed: set[str]) -> Period:
    p = period.previous()
    while p.code in closed:
        p = p.previous()
    return p


def usage_lines(ctx: BillingContext) -> Iterable[LineDraft]:
    """Usage records of the month, charged to the unit's cost centre; plus records dated in
    earlier months whose invoices were already approved ("late" records and corrections): they
    land, as correction lines, in the first open month after them. Plain rows, not model
    instances: a national month has about 80 000 of them."""
    p = ctx.period
    municipality_ids = set(
        OrgNode.objects.filter(cooperation=ctx.cooperation, kind="municipality").values_list(
            "pk", flat=True
        )
    )
    closed = closed_periods(municipality_ids)
    since: dict[int, dt.date] = {
        m: _last_open_before(p, closed.get(m, set())).next().first for m in municipality_ids
    }
    oldest = min(since.values(), default=p.first)
    billed = InvoiceLine.objects.filter(
        usage_record_id=OuterRef("pk"), invoice__status__in=CLOSED_STATUSES
    )
    rows = (
        UsageRecord.objects.filter(
            municipality_id__in=municipality_ids, used_on__gte=oldest, used_on__lte=p.last
        )
        .exclude(Exists(billed))
        .order_by("municipality_id", "used_on", "pk")
        .values_list(
            "pk",
            "municipality_id",
            "unit_id",
            "cost_centre",
            "service",
            "description",
            "quantity",
            "unit_price",
            "amount",
            "used_on",
            "corrects_id",
            "is_credit",
        )
    )
    for (
        pk,
        municipality_id,
        unit_id,
        cost_centre,
        service,
        description,
        quantity,
        unit_price,
        amount,
        used_on,
        corrects_id,
        is_credit,
    ) in rows.iterator(chunk_size=5000):
        if used_on < since[municipality_id]:
            continue
        late = used_on < p.first
        kind = LineKind.CORRECTION if late or corrects_id else LineKind.CONSUMPTION
        text = service if not description else f"{service}: {description}"
        if late:
            text = f"{_('Rättelse avseende')} {Period.of(used_on).code}: {text}"
        yield LineDraft(
            municipality_id=municipality_id,
            kind=kind,
            amount=amount,
            description=text[:300],
            unit_id=unit_id,
            cost_centre=cost_centre,
            service=service,
            quantity=quantity,
            unit_price=unit_price,
            usage_record_id=pk,
            source={
                "type": "usage_record",
                "usage_record": pk,
                "used_on": used_on.isoformat(),
                "corrects": corrects_id,
                "is_credit": is_credit,
            },
        )


register_charge_source("pools", pool_lines)
register_charge_source("usage", usage_lines)
