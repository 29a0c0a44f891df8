"""Reads of the network standard and register: every one takes the actor and applies scope.

Sites, devices and VLANs are seen by those holding `view_network` on their municipality; the
standard (pattern, codes, device types, VLAN plan, SSIDs) by anyone who may see any network of
the cooperation. Anything else is NotFound.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet

from itfabrik.core import permissions
from itfabrik.core.actors import Actor
from itfabrik.core.errors import NotFound
from itfabrik.core.selectors import get_or_not_found
from itfabrik.tenancy.choices import NodeKind
from itfabrik.tenancy.models import Cooperation, OrgNode

from . import permissions as actions
from . import rules
from .filters import DeviceFilter, SiteFilter, VlanFilter
from .models import (
    DEFAULT_PATTERN,
    Device,
    DeviceType,
    MunicipalityCode,
    NamingStandard,
    Site,
    Ssid,
    StandardVlan,
    Vlan,
)

DEVICE_ORDERINGS = {
    "name": ("name", "pk"),
    "-name": ("-name", "-pk"),
    "site": ("site__name", "name", "pk"),
    "status": ("status", "name", "pk"),
    "-updated_at": ("-updated_at", "-pk"),
}
VLAN_ORDERINGS = {
    "site": ("site__name", "vid", "pk"),
    "vid": ("vid", "site__name", "pk"),
    "name": ("name", "pk"),
}
SITE_ORDERINGS = {
    "name": ("name", "pk"),
    "code": ("code", "pk"),
    "municipality": ("municipality__name", "name", "pk"),
}


def network_visible_q(actor: Actor, prefix: str = "") -> Q:
    return permissions.scope_q(
        actor, actions.VIEW_NETWORK, path_field=f"{prefix}municipality__path"
    )


def may_view_network(actor: Actor) -> bool:
    return permissions.can_anywhere(actor, actions.VIEW_NETWORK)


def may_manage_network(actor: Actor) -> bool:
    return permissions.can_anywhere(actor, actions.MANAGE_NETWORK)


def may_manage_standard(actor: Actor, cooperation: Cooperation) -> bool:
    return cooperation.root is not None and permissions.can(
        actor, actions.MANAGE_STANDARD, cooperation.root
    )


def _in_cooperation(actor: Actor, cooperation: Cooperation) -> None:
    """The standard is read by anyone who may see a network of the cooperation."""
    if permissions.is_superuser(actor):
        return
    if not any(
        g.cooperation_id == cooperation.pk
        for g in permissions.grants_for(actor, actions.VIEW_NETWORK)
    ):
        raise NotFound()


# --- the standard -----------------------------------------------------------------------------


def naming_standard_get(*, actor: Actor, cooperation: Cooperation) -> NamingStandard:
    """The cooperation's naming standard (the default pattern, unsaved, if none is set)."""
    _in_cooperation(actor, cooperation)
    found = NamingStandard.objects.filter(cooperation=cooperation).first()
    return found or NamingStandard(cooperation=cooperation, pattern=DEFAULT_PATTERN, version=0)


def municipality_code_list(*, actor: Actor, cooperation: Cooperation) -> list[dict[str, Any]]:
    """Each municipality of the cooperation with its network code ('' when not set)."""
    _in_cooperation(actor, cooperation)
    codes = {m.municipality_id: m for m in MunicipalityCode.objects.filter(cooperation=cooperation)}
    munis = OrgNode.objects.filter(cooperation=cooperation, kind=NodeKind.MUNICIPALITY).order_by(
        "name"
    )
    return [{"municipality": m, "code": codes[m.pk].code if m.pk in codes else ""} for m in munis]


def device_type_list(
    *, actor: Actor, cooperation: Cooperation, active_only: bool = False
) -> QuerySet[DeviceType]:
    _in_cooperation(actor, cooperation)
    qs = DeviceType.objects.filter(cooperation=cooperation)
    if active_only:
        qs = qs.filter(is_active=True)
    return qs.order_by("code", "pk")


def device_type_get(*, actor: Actor, cooperation: Cooperation, pk: Any) -> DeviceType:
    return get_or_not_found(device_type_list(actor=actor, cooperation=cooperation), pk)


def standard_vlan_list(
    *, actor: Actor, cooperation: Cooperation, active_only: bool = False
) -> QuerySet[StandardVlan]:
    _in_cooperation(actor, cooperation)
    qs = StandardVlan.objects.filter(cooperation=cooperation)
    if active_only:
        qs = qs.filter(is_active=True)
    return qs.order_by("vid", "pk")


def standard_vlan_get(*, actor: Actor, cooperation: Cooperation, pk: Any) -> StandardVlan:
    return get_or_not_found(standard_vlan_list(actor=actor, cooperation=cooperation), pk)


def ssid_list(*, actor: Actor, cooperation: Cooperation) -> QuerySet[Ssid]:
    _in_cooperation(actor, cooperation)
    return (
        Ssid.objects.filter(cooperation=cooperation).select_related("vlan").order_by("name", "pk")
    )


def ssid_get(*, actor: Actor, cooperation: Cooperation, pk: Any) -> Ssid:
    return get_or_not_found(ssid_list(actor=actor, cooperation=cooperation), pk)


# --- sites, devices, VLANs --------------------------------------------------------------------


def municipality_list(*, actor: Actor, cooperation: Cooperation) -> QuerySet[OrgNode]:
    """The municipalities whose network the actor may see."""
    return OrgNode.objects.filter(
        permissions.scope_q(actor, actions.VIEW_NETWORK),
        cooperation=cooperation,
        kind=NodeKind.MUNICIPALITY,
    ).order_by("name")


def managed_municipality_list(*, actor: Actor, cooperation: Cooperation) -> QuerySet[OrgNode]:
    return OrgNode.objects.filter(
        permissions.scope_q(actor, actions.MANAGE_NETWORK),
        cooperation=cooperation,
        kind=NodeKind.MUNICIPALITY,
    ).order_by("name")


def site_list(
    *,
    actor: Actor,
    cooperation: Cooperation | None = None,
    filters: dict[str, Any] | None = None,
    ordering: str | None = None,
) -> QuerySet[Site]:
    qs = Site.objects.filter(network_visible_q(actor)).select_related("municipality")
    if cooperation is not None:
        qs = qs.filter(cooperation=cooperation)
    qs = SiteFilter.apply(qs, **(filters or {}))
    return qs.order_by(*SITE_ORDERINGS.get(ordering or "name", SITE_ORDERINGS["name"]))


def site_get(*, actor: Actor, pk: Any) -> Site:
    qs = Site.objects.filter(network_visible_q(actor)).select_related("municipality", "cooperation")
    return get_or_not_found(qs, pk)


def device_list(
    *,
    actor: Actor,
    cooperation: Cooperation | None = None,
    filters: dict[str, Any] | None = None,
    ordering: str | None = None,
) -> QuerySet[Device]:
    qs = Device.objects.filter(network_visible_q(actor)).select_related(
        "site", "device_type", "municipality"
    )
    if cooperation is not None:
        qs = qs.filter(cooperation=cooperation)
    qs = DeviceFilter.apply(qs, **(filters or {}))
    return qs.order_by(*DEVICE_ORDERINGS.get(ordering or "name", DEVICE_ORDERINGS["name"]))


def device_get(*, actor: Actor, pk: Any) -> Device:
    qs = Device.objects.filter(network_visible_q(actor)).select_related(
        "site", "device_type", "municipality", "cooperation"
    )
    return get_or_not_found(qs, pk)


def vlan_list(
    *,
    actor: Actor,
    cooperation: Cooperation | None = None,
    filters: dict[str, Any] | None = None,
    ordering: str | None = None,
) -> QuerySet[Vlan]:
    qs = Vlan.objects.filter(network_visible_q(actor)).select_related("site", "municipality")
    if cooperation is not None:
        qs = qs.filter(cooperation=cooperation)
    qs = VlanFilter.apply(qs, **(filters or {}))
    return qs.order_by(*VLAN_ORDERINGS.get(ordering or "site", VLAN_ORDERINGS["site"]))


def vlan_get(*, actor: Actor, pk: Any) -> Vlan:
    qs = Vlan.objects.filter(network_visible_q(actor)).select_related(
        "site", "municipality", "cooperation"
    )
    return get_or_not_found(qs, pk)


# --- conformance ------------------------------------------------------------------------------


@dataclass
class SiteVlans:
    site: Site
    findings: list[rules.VlanFinding] = field(default_factory=list)

    @property
    def missing(self) -> list[rules.VlanFinding]:
        return [f for f in self.findings if f.kind == rules.MISSING]

    @property
    def wrong_name(self) -> list[rules.VlanFinding]:
        return [f for f in self.findings if f.kind == rules.WRONG_NAME]

    @property
    def extra(self) -> list[rules.VlanFinding]:
        return [f for f in self.findings if f.kind == rules.EXTRA]


@dataclass
class MunicipalityConformance:
    municipality: OrgNode
    code: str = ""
    sites: int = 0
    devices: int = 0
    nonconforming: int = 0
    vlans: int = 0
    vlans_missing: int = 0
    vlans_wrong_name: int = 0
    vlans_extra: int = 0
    site_vlans: list[SiteVlans] = field(default_factory=list)

    @property
    def conforming_share(self) -> int | None:
        if not self.devices:
            return None
        return round(100 * (self.devices - self.nonconforming) / self.devices)

    @property
    def deviating_sites(self) -> list[SiteVlans]:
        return [s for s in self.site_vlans if s.findings]


def conformance_report(
    *, actor: Actor, cooperation: Cooperation, municipality: OrgNode | None = None
) -> list[MunicipalityConformance]:
    """Per municipality the actor may see: sites, devices and how many have a name outside the
    standard, and per active site its VLANs against the standard plan (missing, another name
    under a plan ID, IDs outside the plan). Six queries whatever the size."""
    munis = municipality_list(actor=actor, cooperation=cooperation)
    if municipality is not None:
        munis = munis.filter(pk=municipality.pk)
    out = {m.pk: MunicipalityConformance(municipality=m) for m in munis}
    if not out:
        return []
    for code in MunicipalityCode.objects.filter(municipality_id__in=list(out)):
        out[code.municipality_id].code = code.code
    plan = dict(
        StandardVlan.objects.filter(cooperation=cooperation, is_active=True).values_list(
            "vid", "name"
        )
    )
    for row in (
        Device.objects.filter(municipality_id__in=list(out))
        .values("municipality_id")
        .annotate(total=Count("pk"), bad=Count("pk", filter=Q(name_conforms=False)))
    ):
        entry = out[row["municipality_id"]]
        entry.devices, entry.nonconforming = row["total"], row["bad"]
    sites = {
        s.pk: SiteVlans(site=s)
        for s in Site.objects.filter(municipality_id__in=list(out), is_active=True).order_by(
            "name", "pk"
        )
    }
    actual: dict[int, dict[int, str]] = {pk: {} for pk in sites}
    for site_id, vid, name in (
        Vlan.objects.filter(site_id__in=list(sites))
        .exclude(status="deprecated")
        .values_list("site_id", "vid", "name")
    ):
        actual[site_id][vid] = name
    for pk, sv in sites.items():
        sv.findings = rules.compare_vlans(plan, actual[pk])
        entry = out[sv.site.municipality_id]
        entry.sites += 1
        entry.vlans += len(actual[pk])
        entry.vlans_missing += len(sv.missing)
        entry.vlans_wrong_name += len(sv.wrong_name)
        entry.vlans_extra += len(sv.extra)
        entry.site_vlans.append(sv)
    return list(out.values())
