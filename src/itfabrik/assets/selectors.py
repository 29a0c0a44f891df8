"""Reads of the device register: every one takes the actor and applies scope.

Devices, leases and exceptions are seen by those holding `view_devices` on the municipality;
a person sees the devices they use through `my_devices`. Anything else is NotFound.

The policy is evaluated in the database for the compliance page (`rule_q`: one expression per
rule, mirroring `rules.findings`, which the device card uses); a test holds the two together.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear, Least
from django.utils import timezone

from itfabrik.core import permissions
from itfabrik.core.actors import Actor
from itfabrik.core.errors import NotFound
from itfabrik.core.selectors import get_or_not_found
from itfabrik.tenancy.models import OrgNode

from . import permissions as actions
from . import rules
from .filters import DeviceFilter, LeaseFilter
from .models import (
    ChargeMapping,
    ComplianceException,
    Device,
    DeviceEvent,
    DeviceImport,
    DeviceModel,
    Lease,
)

ORDERINGS = {
    "lease_end": ("lease_end", "id"),
    "-lease_end": ("-lease_end", "-id"),
    "asset_tag": ("asset_tag", "id"),
    "-asset_tag": ("-asset_tag", "-id"),
}
# The default horizon of the refresh plan: three years of quarters.
HORIZON_QUARTERS = 12


def device_visible_q(actor: Actor, action: str = actions.VIEW_DEVICES) -> Q:
    return permissions.scope_q(actor, action, path_field="municipality__path")


def may_view_devices(actor: Actor) -> bool:
    return permissions.can_anywhere(actor, actions.VIEW_DEVICES)


def may_manage_devices(actor: Actor) -> bool:
    return permissions.can_anywhere(actor, actions.MANAGE_DEVICES)


def may_view_planning(actor: Actor) -> bool:
    return permissions.can_anywhere(actor, actions.VIEW_PLANNING)


def is_device_user(actor: Actor) -> bool:
    """Whether the actor uses a device of the register (the portal's menu entry)."""
    if not getattr(actor, "is_authenticated", False):
        return False
    return Device.objects.filter(current_user_id=actor.pk).exists()


def municipality_list(*, actor: Actor, action: str = actions.VIEW_DEVICES) -> QuerySet[OrgNode]:
    """The municipalities whose devices the actor may do `action` on (the pages' choices)."""
    return OrgNode.objects.filter(
        permissions.scope_q(actor, action, path_field="path"), kind="municipality", is_active=True
    ).order_by("name")


def municipality_get(*, actor: Actor, pk: Any, action: str = actions.VIEW_DEVICES) -> OrgNode:
    return get_or_not_found(municipality_list(actor=actor, action=action), pk)


def _ordered(qs: QuerySet[Device], ordering: str | None) -> QuerySet[Device]:
    fields = ORDERINGS.get(ordering or "lease_end", ORDERINGS["lease_end"])
    first, *rest = fields
    desc = first.startswith("-")
    expr = F(first.lstrip("-"))
    return qs.order_by(expr.desc(nulls_last=True) if desc else expr.asc(nulls_last=True), *rest)


def device_list(
    *, actor: Actor, filters: dict[str, Any] | None = None, ordering: str | None = None
) -> QuerySet[Device]:
    qs = Device.objects.filter(device_visible_q(actor)).select_related(
        "model", "municipality", "owner_unit", "current_user"
    )
    qs = DeviceFilter.apply(qs, **(filters or {}))
    return _ordered(qs, ordering)


def device_get(*, actor: Actor, pk: Any) -> Device:
    qs = Device.objects.filter(device_visible_q(actor)).select_related(
        "model", "municipality", "owner_unit", "current_user", "lease", "cooperation"
    )
    return get_or_not_found(qs, pk)


def device_event_list(*, actor: Actor, device: Device) -> QuerySet[DeviceEvent]:
    """The device's history (the caller has already fetched the device through a selector)."""
    return DeviceEvent.objects.filter(device=device).select_related("actor")


def my_device_list(*, actor: Actor) -> QuerySet[Device]:
    """The devices the actor uses, in use or being repaired first."""
    if not getattr(actor, "is_authenticated", False):
        return Device.objects.none()
    return (
        Device.objects.filter(current_user_id=actor.pk)
        .exclude(state__in=rules.FINAL_STATES)
        .select_related("model", "owner_unit")
        .order_by("kind", "asset_tag", "pk")
    )


def my_device_get(*, actor: Actor, pk: Any) -> Device:
    return get_or_not_found(my_device_list(actor=actor), pk)


def model_list(*, actor: Actor, include_inactive: bool = True) -> QuerySet[DeviceModel]:
    qs = DeviceModel.objects.filter(cooperation_id__in=permissions.cooperation_ids(actor))
    if permissions.is_superuser(actor):
        qs = DeviceModel.objects.all()
    if not include_inactive:
        qs = qs.filter(is_active=True)
    return qs.order_by("manufacturer", "name", "pk")


def model_get(*, actor: Actor, pk: Any) -> DeviceModel:
    if not may_view_devices(actor):
        raise NotFound()
    return get_or_not_found(model_list(actor=actor), pk)


def may_manage_charging(actor: Actor) -> bool:
    return permissions.can_anywhere(actor, actions.MANAGE_CHARGING)


def _charging_cooperation_ids(actor: Actor) -> list[int]:
    """Cooperations whose charging the actor may see: a cooperation-wide setting, like the price
    list, so anyone who sees devices or sets charging on any of its nodes (a municipal finance
    officer too); setting it needs `manage_charging` on the cooperation's root."""
    from itfabrik.tenancy.models import Cooperation

    if permissions.is_superuser(actor):
        return list(Cooperation.objects.values_list("pk", flat=True))
    grants = (
        *permissions.grants_for(actor, actions.MANAGE_CHARGING),
        *permissions.grants_for(actor, actions.VIEW_DEVICES),
    )
    return sorted({g.cooperation_id for g in grants})


def may_view_charging(actor: Actor, cooperation_id: int) -> bool:
    return cooperation_id in _charging_cooperation_ids(actor)


def charge_mapping_list(*, actor: Actor) -> QuerySet[ChargeMapping]:
    """The mappings in force (device kind or model → catalogue service, or not charged)."""
    return (
        ChargeMapping.objects.filter(
            cooperation_id__in=_charging_cooperation_ids(actor), is_active=True
        )
        .select_related("model", "service")
        .order_by("kind", "model__manufacturer", "model__name", "pk")
    )


def charge_mapping_get(*, actor: Actor, pk: Any) -> ChargeMapping:
    return get_or_not_found(charge_mapping_list(actor=actor), pk)


def unmapped_kind_list(*, cooperation_id: int) -> list[str]:
    """Device kinds of the cooperation with no mapping in force (their deployed devices are
    reported by the billing run instead of charged)."""
    from .choices import DeviceKind

    mapped = set(
        ChargeMapping.objects.filter(
            cooperation_id=cooperation_id, is_active=True, model__isnull=True
        ).values_list("kind", flat=True)
    )
    return [k for k in DeviceKind.values if k not in mapped]


def lease_list(*, actor: Actor, filters: dict[str, Any] | None = None) -> QuerySet[Lease]:
    qs = (
        Lease.objects.filter(device_visible_q(actor))
        .select_related("municipality")
        .annotate(device_count=Count("devices"))
    )
    return LeaseFilter.apply(qs, **(filters or {})).order_by("ends_on", "pk")


def lease_get(*, actor: Actor, pk: Any) -> Lease:
    qs = Lease.objects.filter(device_visible_q(actor)).select_related("municipality")
    return get_or_not_found(qs, pk)


def import_get(*, actor: Actor, pk: Any) -> DeviceImport:
    qs = DeviceImport.objects.filter(
        cooperation_id__in=permissions.cooperation_ids(actor)
    ).select_related("municipality", "started_by")
    if not may_manage_devices(actor):
        raise NotFound()
    return get_or_not_found(qs, pk)


# --- compliance -----------------------------------------------------------------------------


def rule_q(rule: str, today: dt.date) -> Q:
    """The devices the rule finds (before exceptions), as `rules.findings` would."""
    in_use = Q(state__in=rules.IN_USE_STATES)
    client = Q(kind__in=sorted(rules.CLIENT_KINDS))
    match rule:
        case rules.LEASE_MISSING:
            q = Q(kind__in=sorted(rules.LEASED_KINDS), lease__isnull=True)
        case rules.UNMANAGED:
            q = client & Q(managed=False)
        case rules.LOCAL_ADMIN:
            q = client & Q(local_admin=True)
        case rules.NO_LEVEL:
            q = client & Q(security_level__isnull=True)
        case rules.END_OF_SUPPORT:
            q = Q(model__end_of_support__lte=today)
        case rules.LEASE_ENDING:
            q = Q(lease_end__lte=today + dt.timedelta(days=rules.LEASE_WARNING_DAYS))
        case _:
            raise ValueError(rule)
    return in_use & q


def _excepted(rule: str, today: dt.date) -> Exists:
    return Exists(
        ComplianceException.objects.filter(
            device=OuterRef("pk"), rule=rule, is_active=True, valid_until__gte=today
        )
    )


def finding_q(rule: str, today: dt.date) -> Q:
    """The devices the rule finds that no exception in force covers."""
    return rule_q(rule, today) & ~Q(_excepted(rule, today))


def compliance_summary(
    *, actor: Actor, municipality: OrgNode, today: dt.date | None = None
) -> dict[str, Any]:
    """Devices in use and, per rule, how many it finds and how many are excepted: one query."""
    today = today or timezone.localdate()
    if not permissions.can(actor, actions.VIEW_DEVICES, municipality):
        raise NotFound()
    qs = Device.objects.filter(municipality=municipality)
    # The aliases must not be field names (local_admin is one).
    aggregates: dict[str, Any] = {"n_in_use": Count("pk", filter=Q(state__in=rules.IN_USE_STATES))}
    for rule in rules.RULES:
        aggregates[f"n_{rule}"] = Count("pk", filter=finding_q(rule, today))
        aggregates[f"n_{rule}__excepted"] = Count(
            "pk", filter=rule_q(rule, today) & Q(_excepted(rule, today))
        )
    return {k[2:]: v for k, v in qs.aggregate(**aggregates).items()}


def compliance_device_list(
    *, actor: Actor, municipality: OrgNode, rule: str, today: dt.date | None = None
) -> QuerySet[Device]:
    today = today or timezone.localdate()
    if rule not in rules.RULES:
        raise NotFound()
    return device_list(actor=actor, filters={"municipality": municipality.pk}).filter(
        finding_q(rule, today)
    )


def device_facts_get(device: Device) -> rules.DeviceFacts:
    return rules.DeviceFacts(
        kind=device.kind,
        state=device.state,
        ownership=device.ownership,
        has_lease=device.lease_id is not None,
        managed=device.managed,
        local_admin=device.local_admin,
        security_level=device.security_level,
        end_of_support=device.model.end_of_support,
        lease_end=device.lease_end,
    )


def device_finding_list(
    *, device: Device, today: dt.date | None = None
) -> list[tuple[str, ComplianceException | None]]:
    """The device's findings, each with the exception in force that covers it (or None)."""
    today = today or timezone.localdate()
    found = rules.findings(device_facts_get(device), today)
    exceptions = {
        e.rule: e
        for e in ComplianceException.objects.filter(
            device=device, is_active=True, valid_until__gte=today
        )
    }
    return [(rule, exceptions.get(rule)) for rule in rules.RULES if rule in found]


def exception_list(
    *, actor: Actor, municipality: OrgNode | None = None, device: Device | None = None
) -> QuerySet[ComplianceException]:
    qs = ComplianceException.objects.filter(
        permissions.scope_q(actor, actions.VIEW_DEVICES, path_field="device__municipality__path")
    ).select_related("device", "granted_by")
    if municipality is not None:
        qs = qs.filter(device__municipality=municipality)
    if device is not None:
        qs = qs.filter(device=device)
    return qs.order_by("-is_active", "valid_until", "pk")


def exception_get(*, actor: Actor, pk: Any) -> ComplianceException:
    return get_or_not_found(exception_list(actor=actor), pk)


# --- refresh planning -----------------------------------------------------------------------


def _due_expression() -> Any:
    # LEAST ignores NULLs on PostgreSQL but not on SQLite: give each side the other as fallback.
    return Least(
        Coalesce("lease_end", "model__end_of_support"),
        Coalesce("model__end_of_support", "lease_end"),
    )


def forecast_report(
    *,
    actor: Actor,
    municipality: OrgNode,
    first: rules.Quarter | None = None,
    horizon: int = HORIZON_QUARTERS,
    tolerance: Decimal = Decimal("0.15"),
) -> dict[str, Any]:
    """Per quarter of the horizon: the devices due for replacement (lease end or end of
    support, whichever first; overdue ones in the first quarter) and their cost at catalogue
    prices, beside the plan that keeps each quarter within the band.

    One query grouped by due month and price, so that the size of the register does not matter.
    """
    if not permissions.can(actor, actions.VIEW_PLANNING, municipality):
        raise NotFound()
    first = first or rules.Quarter.of(timezone.localdate())
    quarters = rules.quarters(first, horizon)
    end = quarters[-1].next().first_day
    grouped = (
        Device.objects.filter(municipality=municipality, state__in=rules.PLANNED_STATES)
        .annotate(due=_due_expression())
        .filter(due__lt=end)
        .annotate(y=ExtractYear("due"), m=ExtractMonth("due"))
        .values("y", "m", "model__price")
        .annotate(n=Count("pk"))
        .order_by()
    )
    index = {q: i for i, q in enumerate(quarters)}
    demand: list[list[Decimal]] = [[] for _ in quarters]
    counts: dict[int, int] = defaultdict(int)
    for row in grouped:
        quarter = max(rules.Quarter(row["y"], (row["m"] - 1) // 3 + 1), first)
        i = index[quarter]
        counts[i] += row["n"]
        demand[i].extend([Decimal(row["model__price"])] * row["n"])
    cap = rules.band_cap(demand, tolerance)
    unplanned = rules.summarise(demand)
    planned = rules.summarise(rules.spread(demand, cap))
    rows = [
        {
            "quarter": str(q),
            "year": q.year,
            "count": unplanned[i].count,
            "cost": unplanned[i].cost,
            "planned_count": planned[i].count,
            "planned_cost": planned[i].cost,
        }
        for i, q in enumerate(quarters)
    ]
    return {"rows": rows, "cap": cap, "municipality": municipality}


def device_ticket_list(*, actor: Actor, device: Device, limit: int = 10) -> list[Any]:
    """Tickets that name the device (its asset tag or serial number in the title), as far as
    the actor may see them: the portal's "report a problem with this device" puts the tag in
    the title."""
    from itfabrik.servicedesk import selectors as sd_selectors

    keys = [k for k in (device.asset_tag, device.serial_number) if k]
    if not keys:
        return []
    q = Q()
    for key in keys:
        q |= Q(title__icontains=key)
    qs = sd_selectors.ticket_list(actor=actor).filter(q, municipality_id=device.municipality_id)
    return list(qs.order_by("-reported_at", "-pk")[:limit])


def lease_summary(*, lease: Lease) -> dict[str, Any]:
    return Device.objects.filter(lease=lease).aggregate(
        devices=Count("pk"),
        returned=Count("pk", filter=Q(state="returned")),
        in_use=Count("pk", filter=Q(state__in=rules.IN_USE_STATES)),
        value=Coalesce(Sum("model__price"), Decimal(0)),
    )
