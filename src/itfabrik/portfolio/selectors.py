"""Reads of the portfolio: every one takes the actor and applies scope.

Who holds `view_portfolio` on the cooperation's root sees every initiative; who holds it in a
municipality sees the initiatives that municipality sponsors and those for the whole
cooperation. Benefits follow their initiative, and a municipality's staff see their own
municipality's benefits only. Anything else is NotFound.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, Q, QuerySet, Sum

from itfabrik.billing.choices import PoolKind
from itfabrik.billing.models import CostPool
from itfabrik.billing.selectors import fund_balance_get
from itfabrik.core import permissions
from itfabrik.core.actors import Actor
from itfabrik.core.selectors import get_or_not_found
from itfabrik.tenancy.models import Cooperation, OrgNode

from . import permissions as actions
from . import rules
from .choices import BenefitKind, FundingKind, InitiativeState
from .filters import BenefitFilter, InitiativeFilter
from .models import Benefit, Funding, Initiative, Milestone, PriorityCriteria, StatusReport

Sponsor = Initiative.sponsors.through


def initiative_visible_q(actor: Actor, action: str = actions.VIEW_PORTFOLIO) -> Q:
    if permissions.is_superuser(actor):
        return Q()
    q = permissions.scope_q(actor, action, path_field="cooperation__root__path")
    held = permissions.grants_for(actor, action)
    if held:
        q |= Q(all_municipalities=True, cooperation_id__in={g.cooperation_id for g in held})
        sponsored = Sponsor.objects.filter(
            permissions.scope_q(actor, action, path_field="orgnode__path")
        ).values("initiative_id")
        q |= Q(pk__in=sponsored)
    return q


def benefit_visible_q(actor: Actor) -> Q:
    """Benefits of visible initiatives: all of them for those who see the whole cooperation,
    else only their own municipalities' (and those they answer for)."""
    if permissions.is_superuser(actor):
        return Q()
    whole = permissions.scope_q(
        actor, actions.VIEW_PORTFOLIO, path_field="initiative__cooperation__root__path"
    )
    own = permissions.scope_q(actor, actions.VIEW_PORTFOLIO, path_field="municipality__path")
    q = whole | own
    if getattr(actor, "pk", None) is not None:
        q |= Q(owner_id=actor.pk)
    return q


def may_view(actor: Actor) -> bool:
    return permissions.can_anywhere(actor, actions.VIEW_PORTFOLIO)


def may_manage(actor: Actor, cooperation: Cooperation) -> bool:
    return permissions.can(actor, actions.MANAGE_INITIATIVES, cooperation.root)


def may_manage_anywhere(actor: Actor) -> bool:
    return permissions.can_anywhere(actor, actions.MANAGE_INITIATIVES)


def may_report(actor: Actor, benefit: Benefit) -> bool:
    """The benefit's owner, or who holds `report_benefits` on its municipality."""
    if getattr(actor, "pk", None) is not None and benefit.owner_id == actor.pk:
        return True
    return permissions.can(actor, actions.REPORT_BENEFITS, benefit.municipality)


SORTS = {
    "priority": ("-priority_score", "code"),
    "code": ("code",),
    "start": ("start", "code"),
    "state": ("state", "-priority_score", "code"),
}


def initiative_list(
    *, actor: Actor, filters: dict[str, Any] | None = None, ordering: str | None = None
) -> QuerySet[Initiative]:
    qs = (
        Initiative.objects.filter(initiative_visible_q(actor))
        .select_related("owner")
        .prefetch_related(Prefetch("sponsors", queryset=OrgNode.objects.order_by("name")))
    )
    qs = InitiativeFilter.apply(qs, **(filters or {}))
    return qs.order_by(*SORTS.get(ordering or "priority", SORTS["priority"]))


def initiative_get(*, actor: Actor, pk: Any) -> Initiative:
    qs = Initiative.objects.filter(initiative_visible_q(actor)).select_related(
        "owner", "cooperation__root"
    )
    return get_or_not_found(qs, pk)


def initiative_with_benefits_list(
    *, actor: Actor, filters: dict[str, Any] | None = None
) -> QuerySet[Initiative]:
    """The API's list: initiatives with their milestones and the benefits the actor may see."""
    benefits = (
        Benefit.objects.filter(benefit_visible_q(actor))
        .select_related("municipality", "owner")
        .order_by("period", "municipality__name", "pk")
    )
    return initiative_list(actor=actor, filters=filters).prefetch_related(
        Prefetch("benefits", queryset=benefits, to_attr="visible_benefits"),
        Prefetch("milestones", queryset=Milestone.objects.order_by("due", "pk")),
    )


def milestone_list(*, initiative: Initiative) -> QuerySet[Milestone]:
    return Milestone.objects.filter(initiative=initiative).order_by("due", "pk")


def milestone_get(*, actor: Actor, pk: Any) -> Milestone:
    qs = Milestone.objects.filter(
        initiative__in=Initiative.objects.filter(initiative_visible_q(actor))
    ).select_related("initiative__cooperation__root")
    return get_or_not_found(qs, pk)


def status_list(*, initiative: Initiative) -> QuerySet[StatusReport]:
    return (
        StatusReport.objects.filter(initiative=initiative)
        .select_related("reported_by")
        .order_by("-period", "-pk")
    )


def benefit_list(*, actor: Actor, filters: dict[str, Any] | None = None) -> QuerySet[Benefit]:
    qs = (
        Benefit.objects.filter(benefit_visible_q(actor))
        .filter(initiative__in=Initiative.objects.filter(initiative_visible_q(actor)))
        .select_related("municipality", "owner", "initiative")
    )
    qs = BenefitFilter.apply(qs, **(filters or {}))
    return qs.order_by("period", "municipality__name", "pk")


def benefit_get(*, actor: Actor, pk: Any) -> Benefit:
    return get_or_not_found(
        benefit_list(actor=actor).select_related("initiative__cooperation__root"), pk
    )


def funding_list(*, initiative: Initiative) -> QuerySet[Funding]:
    return (
        Funding.objects.filter(initiative=initiative)
        .select_related("pool")
        .order_by("-date", "-pk")
    )


def criteria_get(cooperation: Cooperation) -> PriorityCriteria:
    """The cooperation's weights, or the defaults (unsaved) when none are stored."""
    found = PriorityCriteria.objects.filter(cooperation=cooperation).first()
    return found or PriorityCriteria(cooperation=cooperation)


def fund_get(cooperation: Cooperation) -> CostPool | None:
    """The cooperation's digitalisation fund (billing's fund pool)."""
    return (
        CostPool.objects.filter(cooperation=cooperation, kind=PoolKind.FUND, closed_after=None)
        .order_by("pk")
        .first()
    )


@dataclass
class FundingSummary:
    allocated: Decimal
    spent: Decimal

    @property
    def remaining(self) -> Decimal:
        return self.allocated - self.spent


def funding_summary(*, initiative: Initiative) -> FundingSummary:
    sums = {
        r["kind"]: r["s"]
        for r in Funding.objects.filter(initiative=initiative)
        .values("kind")
        .annotate(s=Sum("amount"))
        .order_by()
    }
    return FundingSummary(
        allocated=sums.get(FundingKind.ALLOCATION, Decimal(0)),
        spent=sums.get(FundingKind.SPENDING, Decimal(0)),
    )


@dataclass
class FundPosition:
    pool: CostPool
    balance: Decimal
    # Allocated to initiatives and not yet spent: the balance already promised.
    committed: Decimal

    @property
    def available(self) -> Decimal:
        return self.balance - self.committed


def fund_position_get(*, cooperation: Cooperation) -> FundPosition | None:
    pool = fund_get(cooperation)
    if pool is None:
        return None
    sums = {
        r["kind"]: r["s"]
        for r in Funding.objects.filter(
            pool=pool,
            initiative__state__in=[
                InitiativeState.IDEA,
                InitiativeState.ASSESSMENT,
                InitiativeState.APPROVED,
                InitiativeState.IN_PROGRESS,
            ],
        )
        .values("kind")
        .annotate(s=Sum("amount"))
        .order_by()
    }
    committed = max(
        sums.get(FundingKind.ALLOCATION, Decimal(0)) - sums.get(FundingKind.SPENDING, Decimal(0)),
        Decimal(0),
    )
    return FundPosition(pool=pool, balance=fund_balance_get(pool), committed=committed)


# --- the overview and the report ------------------------------------------------------------


@dataclass
class BenefitTotals:
    planned: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    realised: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))

    def rows(self) -> list[dict[str, Any]]:
        out = []
        for kind in (BenefitKind.MONEY, BenefitKind.HOURS):
            planned = self.planned.get(kind, Decimal(0))
            realised = self.realised.get(kind, Decimal(0))
            out.append(
                {
                    "kind": kind,
                    "label": kind.label,
                    "planned": planned,
                    "realised": realised,
                    "percent": rules.realisation_percent(planned, realised),
                }
            )
        return out


@dataclass
class ReportRow:
    initiative: Initiative
    colour: str | None
    comment: str
    planned_money: Decimal
    realised_money: Decimal
    planned_hours: Decimal
    realised_hours: Decimal
    allocated: Decimal
    spent: Decimal


def portfolio_report(
    *,
    actor: Actor,
    first: dt.date,
    last: dt.date,
    filters: dict[str, Any] | None = None,
) -> list[ReportRow]:
    """Per visible initiative: the latest monthly status up to `last`, benefits planned and
    realised (money, hours) in [first, last] that the actor may see, and the funding. A fixed
    number of queries whatever the number of initiatives."""
    initiatives = list(initiative_list(actor=actor, filters=filters))
    ids = [i.pk for i in initiatives]
    benefit_rows = (
        Benefit.objects.filter(benefit_visible_q(actor))
        .filter(initiative_id__in=ids, period__gte=first, period__lte=last)
        .exclude(kind=BenefitKind.QUALITY)
        .values("initiative_id", "kind")
        .annotate(p=Sum("planned"), r=Sum("realised"))
        .order_by()
    )
    sums: dict[tuple[int, str], tuple[Decimal, Decimal]] = {
        (r["initiative_id"], r["kind"]): (r["p"] or Decimal(0), r["r"] or Decimal(0))
        for r in benefit_rows
    }
    funding = {
        (r["initiative_id"], r["kind"]): r["s"]
        for r in Funding.objects.filter(initiative_id__in=ids)
        .values("initiative_id", "kind")
        .annotate(s=Sum("amount"))
        .order_by()
    }
    latest: dict[int, StatusReport] = {}
    for s in StatusReport.objects.filter(initiative_id__in=ids, period__lte=last).order_by(
        "initiative_id", "-period"
    ):
        latest.setdefault(s.initiative_id, s)
    zero = (Decimal(0), Decimal(0))
    rows = []
    for i in initiatives:
        status = latest.get(i.pk)
        money = sums.get((i.pk, BenefitKind.MONEY), zero)
        hours = sums.get((i.pk, BenefitKind.HOURS), zero)
        rows.append(
            ReportRow(
                initiative=i,
                colour=status.colour if status else None,
                comment=status.comment if status else "",
                planned_money=money[0],
                realised_money=money[1],
                planned_hours=hours[0],
                realised_hours=hours[1],
                allocated=funding.get((i.pk, FundingKind.ALLOCATION), Decimal(0)),
                spent=funding.get((i.pk, FundingKind.SPENDING), Decimal(0)),
            )
        )
    return rows


@dataclass
class MunicipalityBenefits:
    municipality: str
    planned_money: Decimal
    realised_money: Decimal
    planned_hours: Decimal
    realised_hours: Decimal


def benefit_by_municipality_report(
    *, actor: Actor, first: dt.date, last: dt.date
) -> list[MunicipalityBenefits]:
    rows = (
        benefit_list(actor=actor, filters={"period_from": first, "period_to": last})
        .exclude(kind=BenefitKind.QUALITY)
        .values("municipality__name", "kind")
        .annotate(p=Sum("planned"), r=Sum("realised"))
        .order_by("municipality__name")
    )
    by: dict[str, MunicipalityBenefits] = {}
    for r in rows:
        name = r["municipality__name"]
        m = by.setdefault(
            name, MunicipalityBenefits(name, Decimal(0), Decimal(0), Decimal(0), Decimal(0))
        )
        if r["kind"] == BenefitKind.MONEY:
            m.planned_money += r["p"] or 0
            m.realised_money += r["r"] or 0
        else:
            m.planned_hours += r["p"] or 0
            m.realised_hours += r["r"] or 0
    return list(by.values())


def owner_choice_list(*, cooperation: Cooperation) -> QuerySet[Any]:
    """People who may own initiatives and benefits: active users with a role in the
    cooperation."""
    from itfabrik.accounts.models import User

    return (
        User.objects.filter(is_active=True, assignments__node__cooperation=cooperation)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def municipality_list(*, cooperation: Cooperation) -> QuerySet[OrgNode]:
    return OrgNode.objects.filter(
        cooperation=cooperation, kind="municipality", is_active=True
    ).order_by("name")


def benefits_to_report_count(*, actor: Actor) -> int:
    """The actor's own benefits of past months still without a realised value."""
    from django.utils import timezone

    if getattr(actor, "pk", None) is None:
        return 0
    return Benefit.objects.filter(
        owner_id=actor.pk,
        realised__isnull=True,
        period__lt=timezone.localdate().replace(day=1),
        initiative__state__in=[InitiativeState.IN_PROGRESS, InitiativeState.DELIVERED],
    ).count()
