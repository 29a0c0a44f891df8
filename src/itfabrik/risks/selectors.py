"""Reads of the risk register: every one takes the actor and applies scope (a risk is seen by
whoever holds `view_risks` on its scope node; anything else is NotFound)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, F, FloatField, OuterRef, Q, QuerySet, Subquery

from itfabrik.core import permissions
from itfabrik.core.actors import Actor
from itfabrik.core.selectors import get_or_not_found
from itfabrik.tenancy.models import Cooperation, OrgNode

from . import permissions as actions
from . import rules
from .filters import RiskFilter
from .models import Risk, RiskAction, ScoreRecord, Workshop, WorkshopScore

SORTS: dict[str, tuple[Any, ...]] = {
    "-score": ("-score", "title", "pk"),
    "score": ("score", "title", "pk"),
    "title": ("title", "pk"),
    "next_review": ("next_review", "pk"),
    "-residual_score": ("-residual_score", "-score", "pk"),
    # The latest workshop's average; risks no workshop has scored come last either way.
    "-workshop_average": (F("workshop_average").desc(nulls_last=True), "title", "pk"),
    "workshop_average": (F("workshop_average").asc(nulls_last=True), "title", "pk"),
}


def _with_workshop_average(qs: QuerySet[Risk]) -> QuerySet[Risk]:
    """Annotate `workshop_average`: the mean of the municipalities' scores in the latest
    workshop that has the risk (the figure the list and the API show; None when unscored).
    One correlated subquery, so lists sort and paginate on it in the database."""
    latest = (
        Workshop.risks.through.objects.filter(risk_id=OuterRef("risk_id"))
        .order_by("-workshop__held_on", "-workshop_id")
        .values("workshop_id")[:1]
    )
    mean = (
        WorkshopScore.objects.filter(risk_id=OuterRef("pk"), workshop_id=Subquery(latest))
        .order_by()
        .values("risk_id")
        .annotate(mean=Avg("score"))
        .values("mean")
    )
    return qs.annotate(workshop_average=Subquery(mean, output_field=FloatField()))


def risk_visible_q(actor: Actor) -> Q:
    return permissions.scope_q(actor, actions.VIEW_RISKS, path_field="scope__path")


def may_view(actor: Actor) -> bool:
    return permissions.can_anywhere(actor, actions.VIEW_RISKS)


def may_manage(actor: Actor, node: OrgNode | None) -> bool:
    return node is not None and permissions.can(actor, actions.MANAGE_RISKS, node)


def may_manage_anywhere(actor: Actor) -> bool:
    return permissions.can_anywhere(actor, actions.MANAGE_RISKS)


def risk_list(
    *, actor: Actor, filters: dict[str, Any] | None = None, ordering: str | None = None
) -> QuerySet[Risk]:
    qs = Risk.objects.filter(risk_visible_q(actor)).select_related("scope", "owner")
    qs = _with_workshop_average(RiskFilter.apply(qs, **(filters or {})))
    return qs.order_by(*SORTS.get(ordering or "-score", SORTS["-score"]))


def risk_get(*, actor: Actor, pk: Any) -> Risk:
    qs = Risk.objects.filter(risk_visible_q(actor)).select_related(
        "scope", "owner", "cooperation", "cooperation__root"
    )
    return get_or_not_found(qs, pk)


def scope_choice_list(
    *, actor: Actor, cooperation: Cooperation, action: str = actions.VIEW_RISKS
) -> list[OrgNode]:
    """The scopes the actor may use: the cooperation (its root) and its municipalities."""
    nodes = OrgNode.objects.filter(
        Q(pk=cooperation.root_id) | Q(kind="municipality", cooperation=cooperation, is_active=True)
    ).order_by("depth" if hasattr(OrgNode, "depth") else "path", "name")
    return [n for n in nodes if permissions.can(actor, action, n)]


def history_list(*, risk: Risk) -> QuerySet[ScoreRecord]:
    return ScoreRecord.objects.filter(risk=risk).order_by("recorded_at", "pk")


def action_list(*, risk: Risk) -> QuerySet[RiskAction]:
    return (
        RiskAction.objects.filter(risk=risk).select_related("owner").order_by("done", "due", "pk")
    )


def action_get(*, actor: Actor, pk: Any) -> RiskAction:
    qs = RiskAction.objects.filter(
        permissions.scope_q(actor, actions.VIEW_RISKS, path_field="risk__scope__path")
    ).select_related("risk", "risk__scope", "owner")
    return get_or_not_found(qs, pk)


# --- heat map -----------------------------------------------------------------------------------


@dataclass
class HeatCell:
    probability: int
    consequence: int
    count: int

    @property
    def score(self) -> int:
        return self.probability * self.consequence

    @property
    def band(self) -> str:
        return rules.band(self.score)


def heat_map_report(
    *, actor: Actor, scope: OrgNode | None = None, residual: bool = False
) -> list[list[HeatCell]]:
    """The 5×5 matrix of open risks the actor sees (one scope, or all): rows by consequence
    5 → 1, columns by probability 1 → 5. One grouped query."""
    p, c = (
        ("residual_probability", "residual_consequence")
        if residual
        else ("probability", "consequence")
    )
    qs = Risk.objects.filter(risk_visible_q(actor), is_open=True)
    if scope is not None:
        qs = qs.filter(scope=scope)
    counts = {
        (row[p], row[c]): row["n"]
        for row in qs.exclude(**{f"{p}__isnull": True})
        .values(p, c)
        .annotate(n=Count("pk"))
        .order_by()
    }
    return [
        [HeatCell(prob, cons, counts.get((prob, cons), 0)) for prob in range(1, 6)]
        for cons in range(5, 0, -1)
    ]


# --- workshops ----------------------------------------------------------------------------------


def workshop_list(*, actor: Actor, cooperation: Cooperation) -> QuerySet[Workshop]:
    if not permissions.can(
        actor, actions.VIEW_RISKS, cooperation.root
    ) and not permissions.can_anywhere(actor, actions.SCORE_WORKSHOP):
        return Workshop.objects.none()
    return (
        Workshop.objects.filter(cooperation=cooperation)
        .annotate(risk_count=Count("risks", distinct=True))
        .order_by("-held_on", "-pk")
    )


def workshop_get(*, actor: Actor, pk: Any) -> Workshop:
    ids = sorted(permissions.cooperation_ids(actor))
    qs = Workshop.objects.select_related("cooperation", "cooperation__root")
    if not permissions.is_superuser(actor):
        if not (may_view(actor) or permissions.can_anywhere(actor, actions.SCORE_WORKSHOP)):
            qs = qs.none()
        qs = qs.filter(cooperation_id__in=ids)
    return get_or_not_found(qs, pk)


@dataclass
class WorkshopRow:
    risk: Risk
    scores: dict[int, WorkshopScore]
    average: Decimal | None
    spread: int | None


def workshop_result_report(
    *, workshop: Workshop, municipalities: list[OrgNode]
) -> list[WorkshopRow]:
    """Each risk of the workshop with every municipality's score, the average and the spread,
    ranked by average (highest first; unscored last), as the pre-study shows them. Two
    queries."""
    risks = list(workshop.risks.select_related("scope").order_by("title", "pk"))
    by_risk: dict[int, dict[int, WorkshopScore]] = {}
    for s in WorkshopScore.objects.filter(workshop=workshop).order_by("pk"):
        by_risk.setdefault(s.risk_id, {})[s.municipality_id] = s
    rows = []
    for risk in risks:
        scores = by_risk.get(risk.pk, {})
        values = [s.score for s in scores.values()]
        rows.append(WorkshopRow(risk, scores, rules.average(values), rules.spread(values)))
    return sorted(rows, key=lambda r: (r.average is None, -(r.average or 0), r.risk.title))


def workshop_average_summary(
    *, risk_ids: list[int]
) -> dict[int, tuple[Decimal | None, int | None]]:
    """The average and spread of each risk in its latest workshop (for lists and the API)."""
    latest: dict[int, int] = {}
    for risk_id, workshop_id in (
        Workshop.risks.through.objects.filter(risk_id__in=risk_ids)
        .order_by("workshop__held_on", "workshop_id")
        .values_list("risk_id", "workshop_id")
    ):
        latest[risk_id] = workshop_id
    values: dict[int, list[int]] = {}
    for s in WorkshopScore.objects.filter(
        risk_id__in=risk_ids, workshop_id__in=set(latest.values())
    ).values("risk_id", "workshop_id", "score"):
        if latest.get(s["risk_id"]) == s["workshop_id"]:
            values.setdefault(s["risk_id"], []).append(s["score"])
    return {rid: (rules.average(v), rules.spread(v)) for rid, v in values.items()}
