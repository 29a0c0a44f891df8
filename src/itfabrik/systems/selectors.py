"""Reads of the system register: every one takes the actor and applies scope.

Staff holding `view_systems` on the cooperation's root see every system of it; someone holding
it on a municipality sees the systems that municipality uses. Anything else is NotFound.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Sum

from itfabrik.core import permissions
from itfabrik.core.actors import Actor
from itfabrik.core.selectors import get_or_not_found
from itfabrik.tenancy.models import Cooperation, OrgNode

from . import permissions as actions
from . import rules
from .choices import GAPS, Hosting, ProgrammeStatus
from .filters import SystemFilter
from .models import (
    Assessment,
    Capability,
    InformationAsset,
    Integration,
    Requirement,
    System,
    SystemUse,
)

SORTS = {
    "name": ("name", "pk"),
    "-name": ("-name", "-pk"),
    "contract_end": ("contract_end", "name", "pk"),
    "-contract_end": ("-contract_end", "name", "pk"),
    "supplier": ("supplier", "name", "pk"),
}


def system_visible_q(actor: Actor) -> Q:
    if permissions.is_superuser(actor):
        return Q()
    q = permissions.scope_q(actor, actions.VIEW_SYSTEMS, path_field="cooperation__root__path")
    local = permissions.scope_q(actor, actions.VIEW_SYSTEMS, path_field="municipality__path")
    uses = SystemUse.objects.filter(local, system_id=OuterRef("pk"), is_active=True)
    return q | Q(Exists(uses))


def may_view(actor: Actor) -> bool:
    return permissions.can_anywhere(actor, actions.VIEW_SYSTEMS)


def may_manage(actor: Actor, cooperation: Cooperation | None) -> bool:
    return cooperation is not None and permissions.can(
        actor, actions.MANAGE_SYSTEMS, cooperation.root
    )


def may_classify(actor: Actor, cooperation: Cooperation | None) -> bool:
    return cooperation is not None and permissions.can(actor, actions.CLASSIFY, cooperation.root)


def _uses_prefetch() -> Prefetch[Any]:
    return Prefetch(
        "uses",
        queryset=SystemUse.objects.filter(is_active=True)
        .select_related("municipality")
        .order_by("municipality__name", "pk"),
        to_attr="active_uses",
    )


def system_list(
    *, actor: Actor, filters: dict[str, Any] | None = None, ordering: str | None = None
) -> QuerySet[System]:
    qs = System.objects.filter(system_visible_q(actor))
    qs = SystemFilter.apply(qs, **(filters or {}))
    qs = qs.annotate(
        total_users=Sum("uses__users", filter=Q(uses__is_active=True)),
    ).prefetch_related(
        _uses_prefetch(),
        Prefetch("capabilities", queryset=Capability.objects.order_by("name")),
    )
    return qs.order_by(*SORTS.get(ordering or "name", SORTS["name"]))


def system_get(*, actor: Actor, pk: Any) -> System:
    qs = (
        System.objects.filter(system_visible_q(actor))
        .select_related("cooperation", "cooperation__root")
        .prefetch_related(
            _uses_prefetch(),
            Prefetch("capabilities", queryset=Capability.objects.order_by("name")),
        )
    )
    return get_or_not_found(qs, pk)


def capability_list(
    *, actor: Actor, cooperation: Cooperation, active_only: bool = True
) -> QuerySet[Capability]:
    if not may_view(actor):
        return Capability.objects.none()
    qs = Capability.objects.filter(cooperation=cooperation)
    if active_only:
        qs = qs.filter(is_active=True)
    return qs.annotate(
        system_count=Count("systems", filter=Q(systems__is_active=True), distinct=True)
    ).order_by("name", "pk")


def capability_get(*, actor: Actor, pk: Any) -> Capability:
    coop_ids = permissions.cooperation_ids(actor)
    qs = Capability.objects.all()
    if not permissions.is_superuser(actor):
        if not may_view(actor):
            qs = qs.none()
        qs = qs.filter(cooperation_id__in=sorted(coop_ids))
    return get_or_not_found(qs, pk)


def integration_list(*, actor: Actor, system: System) -> QuerySet[Integration]:
    """The integrations to and from a system the actor sees (the caller checked the system)."""
    return (
        Integration.objects.filter(Q(source=system) | Q(target=system))
        .select_related("source", "target")
        .order_by("source__name", "target__name", "pk")
    )


# --- duplicates, before buying, data-centre phase-out -------------------------------------


@dataclass
class DuplicateRow:
    capability: Capability
    systems: list[System] = field(default_factory=list)

    @property
    def municipalities(self) -> list[OrgNode]:
        seen: dict[int, OrgNode] = {}
        for s in self.systems:
            for use in getattr(s, "active_uses", []):
                seen.setdefault(use.municipality_id, use.municipality)
        return sorted(seen.values(), key=lambda n: n.name)

    @property
    def users(self) -> int:
        return sum(u.users for s in self.systems for u in getattr(s, "active_uses", []))


def _in_use() -> Q:
    return Q(is_active=True) & ~Q(status=ProgrammeStatus.PHASED_OUT)


def duplicate_report(*, actor: Actor, cooperation: Cooperation) -> list[DuplicateRow]:
    """Capabilities covered by more than one system in use across the cooperation: the
    consolidation candidates, each with its systems (their uses, users and contract ends).
    Three queries whatever the size."""
    if not permissions.can(actor, actions.VIEW_SYSTEMS, cooperation.root):
        return []
    systems = list(
        System.objects.filter(_in_use(), cooperation=cooperation)
        .annotate(total_users=Sum("uses__users", filter=Q(uses__is_active=True)))
        .prefetch_related(_uses_prefetch())
        .prefetch_related(
            Prefetch("capabilities", queryset=Capability.objects.filter(is_active=True))
        )
        .order_by("name", "pk")
    )
    by_cap: dict[int, DuplicateRow] = {}
    coverage: dict[str, list[str]] = {}
    for s in systems:
        for cap in s.capabilities.all():
            by_cap.setdefault(cap.pk, DuplicateRow(cap)).systems.append(s)
            coverage.setdefault(str(cap.pk), []).append(str(s.pk))
    dup = rules.duplicates(coverage)
    rows = [by_cap[int(k)] for k in dup]
    return sorted(rows, key=lambda r: (-len(r.systems), r.capability.name))


@dataclass
class CoverageRow:
    system: System
    covered: list[Capability]
    share: float


def coverage_report(
    *, actor: Actor, cooperation: Cooperation, capabilities: list[Capability]
) -> list[CoverageRow]:
    """Before buying: the systems in use that already cover any of the planned capabilities,
    those covering most first."""
    if not capabilities or not permissions.can(actor, actions.VIEW_SYSTEMS, cooperation.root):
        return []
    wanted = {c.pk for c in capabilities}
    systems = (
        System.objects.filter(_in_use(), cooperation=cooperation, capabilities__in=wanted)
        .distinct()
        .prefetch_related(_uses_prefetch(), "capabilities")
        .order_by("name", "pk")
    )
    rows = []
    for s in systems:
        caps = [c for c in s.capabilities.all() if c.pk in wanted]
        _hit, share = rules.overlap({str(w) for w in wanted}, [str(c.pk) for c in caps])
        rows.append(CoverageRow(s, sorted(caps, key=lambda c: c.name), share))
    return sorted(rows, key=lambda r: (-r.share, r.system.name))


def data_centre_report(
    *, actor: Actor, cooperation: Cooperation
) -> list[tuple[OrgNode, list[SystemUse]]]:
    """What still runs in local data centres, per municipality (R30): active uses of systems
    hosted in an own data centre that are not phased out."""
    if not permissions.can(actor, actions.VIEW_SYSTEMS, cooperation.root):
        return []
    uses = (
        SystemUse.objects.filter(
            is_active=True,
            system__cooperation=cooperation,
            system__is_active=True,
            system__hosting=Hosting.OWN_DATA_CENTRE,
        )
        .exclude(system__status=ProgrammeStatus.PHASED_OUT)
        .select_related("system", "municipality")
        .order_by("municipality__name", "system__name", "pk")
    )
    out: dict[int, tuple[OrgNode, list[SystemUse]]] = {}
    for use in uses:
        out.setdefault(use.municipality_id, (use.municipality, []))[1].append(use)
    return list(out.values())


# --- KLASSA -------------------------------------------------------------------------------------


def requirement_list(
    *, actor: Actor, cooperation: Cooperation, active_only: bool = True
) -> QuerySet[Requirement]:
    if not may_view(actor):
        return Requirement.objects.none()
    qs = Requirement.objects.filter(cooperation=cooperation)
    if active_only:
        qs = qs.filter(is_active=True)
    return qs.order_by("aspect", "level", "code", "pk")


def requirement_get(*, actor: Actor, pk: Any) -> Requirement:
    qs = Requirement.objects.all()
    if not permissions.is_superuser(actor):
        if not may_view(actor):
            qs = qs.none()
        qs = qs.filter(cooperation_id__in=sorted(permissions.cooperation_ids(actor)))
    return get_or_not_found(qs, pk)


def applicable_requirement_list(*, system: System) -> list[tuple[Requirement, Assessment | None]]:
    """The active requirements that apply at the system's levels, each with its
    self-assessment (None: not assessed yet). Two queries."""
    levels = rules.effective_levels(system.levels(), system.personal_data)
    reqs = [
        r
        for r in Requirement.objects.filter(
            cooperation_id=system.cooperation_id, is_active=True
        ).order_by("aspect", "level", "code", "pk")
        if rules.applies(levels, r.aspect, r.level)
    ]
    done = {
        a.requirement_id: a
        for a in Assessment.objects.filter(system=system).select_related("action_owner")
    }
    return [(r, done.get(r.pk)) for r in reqs]


def gap_list(*, actor: Actor, cooperation: Cooperation) -> QuerySet[Assessment]:
    """Open actions: gaps (partly or not met) of systems the actor sees, not yet done."""
    return (
        Assessment.objects.filter(
            system__in=System.objects.filter(system_visible_q(actor), cooperation=cooperation),
            compliance__in=GAPS,
            action_done=False,
        )
        .select_related("system", "requirement", "action_owner")
        .order_by("action_due", "system__name", "pk")
    )


def asset_list(*, actor: Actor, cooperation: Cooperation) -> QuerySet[InformationAsset]:
    if not permissions.can(actor, actions.VIEW_SYSTEMS, cooperation.root):
        return InformationAsset.objects.none()
    return (
        InformationAsset.objects.filter(cooperation=cooperation, is_active=True)
        .select_related("system")
        .order_by("name", "pk")
    )


def asset_get(*, actor: Actor, pk: Any) -> InformationAsset:
    qs = InformationAsset.objects.filter(
        permissions.scope_q(actor, actions.VIEW_SYSTEMS, path_field="cooperation__root__path")
    ).select_related("system", "cooperation", "cooperation__root")
    return get_or_not_found(qs, pk)


def contract_ending_list(
    *, actor: Actor, cooperation: Cooperation, before: dt.date
) -> QuerySet[System]:
    return system_list(
        actor=actor, filters={"contract_end_before": before}, ordering="contract_end"
    ).filter(cooperation=cooperation, is_active=True)
