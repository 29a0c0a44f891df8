"""The network standard (R29): one naming pattern per cooperation, the network codes of its
municipalities, sites and device types; the standard VLAN plan and SSIDs; and the register of
the devices and VLANs that really are at each site.

Devices and VLANs are scoped by their municipality (an `OrgNode`), copied from the site so that
a list filters on one indexed path without a join through the site. Nothing is deleted: a site,
device type, plan entry or SSID is closed (`is_active=False`), a device gets status
"decommissioning"/"offline", a VLAN "deprecated". Device names are unique within the
cooperation regardless of case: the database refuses a second device with the same name, which
is what makes the name generator safe when two people name a device at once (ADR 0036).
"""

from __future__ import annotations

from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from itfabrik.core.models import VersionedModel
from itfabrik.tenancy.models import Cooperation, OrgNode

from . import rules
from .choices import DeviceStatus, SsidSecurity, VlanStatus

DEFAULT_PATTERN = "{municipality}-{site}-{type}-{number:02}"


class NamingStandard(VersionedModel):
    cooperation = models.OneToOneField(
        Cooperation,
        verbose_name=_("samverkan"),
        on_delete=models.PROTECT,
        related_name="network_naming",
    )
    pattern = models.CharField(_("namnmönster"), max_length=120, default=DEFAULT_PATTERN)

    class Meta:
        verbose_name = _("namnstandard")
        verbose_name_plural = _("namnstandarder")

    def __str__(self) -> str:
        return self.pattern


class MunicipalityCode(VersionedModel):
    """A municipality's code in network names (e.g. BEN), not its four-digit SCB code."""

    cooperation = models.ForeignKey(
        Cooperation, verbose_name=_("samverkan"), on_delete=models.PROTECT, related_name="+"
    )
    municipality = models.OneToOneField(
        OrgNode,
        verbose_name=_("kommun"),
        on_delete=models.PROTECT,
        related_name="network_code",
    )
    code = models.CharField(_("nätverkskod"), max_length=12)

    class Meta:
        verbose_name = _("kommunkod i nätverksnamn")
        verbose_name_plural = _("kommunkoder i nätverksnamn")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                Lower("code"), "cooperation", name="network_unique_municipality_code"
            ),
        ]

    def __str__(self) -> str:
        return self.code


class Site(VersionedModel):
    cooperation = models.ForeignKey(
        Cooperation, verbose_name=_("samverkan"), on_delete=models.PROTECT, related_name="+"
    )
    municipality = models.ForeignKey(
        OrgNode, verbose_name=_("kommun"), on_delete=models.PROTECT, related_name="+"
    )
    code = models.CharField(_("platskod"), max_length=12)
    # NetBox's files name a site by its name: it is unique in the cooperation.
    name = models.CharField(_("namn"), max_length=100)
    address = models.CharField(_("adress"), max_length=200, blank=True)
    is_active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        verbose_name = _("plats")
        verbose_name_plural = _("platser")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(Lower("code"), "municipality", name="network_unique_site_code"),
            models.UniqueConstraint(Lower("name"), "cooperation", name="network_unique_site_name"),
        ]
        indexes = [models.Index(fields=["municipality", "name"], name="network_site_muni_idx")]

    def __str__(self) -> str:
        return self.name


class DeviceType(VersionedModel):
    """A kind of network device in names (SW switch, AP access point, ...): NetBox's role."""

    cooperation = models.ForeignKey(
        Cooperation, verbose_name=_("samverkan"), on_delete=models.PROTECT, related_name="+"
    )
    code = models.CharField(_("typkod"), max_length=12)
    name = models.CharField(_("namn"), max_length=100)
    is_active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        verbose_name = _("enhetstyp")
        verbose_name_plural = _("enhetstyper")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(Lower("code"), "cooperation", name="network_unique_type_code"),
            models.UniqueConstraint(Lower("name"), "cooperation", name="network_unique_type_name"),
        ]

    def __str__(self) -> str:
        return self.name


def _vid_field(label: Any) -> models.PositiveSmallIntegerField[Any, Any]:
    return models.PositiveSmallIntegerField(
        label,
        validators=[MinValueValidator(rules.VLAN_MIN), MaxValueValidator(rules.VLAN_MAX)],
    )


class StandardVlan(VersionedModel):
    """One VLAN of the standard plan: the same ID and purpose in every municipality."""

    cooperation = models.ForeignKey(
        Cooperation, verbose_name=_("samverkan"), on_delete=models.PROTECT, related_name="+"
    )
    vid = _vid_field(_("VLAN-ID"))
    name = models.CharField(_("namn"), max_length=64)
    purpose = models.CharField(_("syfte"), max_length=200)
    is_active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        verbose_name = _("standard-VLAN")
        verbose_name_plural = _("standard-VLAN")
        ordering = ["vid"]
        constraints = [
            models.UniqueConstraint(
                fields=["cooperation", "vid"],
                condition=Q(is_active=True),
                name="network_unique_standard_vid",
            ),
            models.CheckConstraint(
                condition=Q(vid__gte=rules.VLAN_MIN, vid__lte=rules.VLAN_MAX),
                name="network_standard_vid_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.vid} {self.name}"


class Ssid(VersionedModel):
    cooperation = models.ForeignKey(
        Cooperation, verbose_name=_("samverkan"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("SSID"), max_length=32)
    purpose = models.CharField(_("syfte"), max_length=200)
    security = models.CharField(_("säkerhet"), max_length=20, choices=SsidSecurity.choices)
    vlan = models.ForeignKey(
        StandardVlan,
        verbose_name=_("VLAN"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ssids",
    )
    is_active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        verbose_name = _("standard-SSID")
        verbose_name_plural = _("standard-SSID")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["cooperation", "name"],
                condition=Q(is_active=True),
                name="network_unique_ssid",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Device(VersionedModel):
    cooperation = models.ForeignKey(
        Cooperation, verbose_name=_("samverkan"), on_delete=models.PROTECT, related_name="+"
    )
    municipality = models.ForeignKey(
        OrgNode, verbose_name=_("kommun"), on_delete=models.PROTECT, related_name="+"
    )
    site = models.ForeignKey(
        Site, verbose_name=_("plats"), on_delete=models.PROTECT, related_name="devices"
    )
    device_type = models.ForeignKey(
        DeviceType, verbose_name=_("enhetstyp"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("namn"), max_length=64)
    manufacturer = models.CharField(_("tillverkare"), max_length=100, blank=True)
    model = models.CharField(_("modell"), max_length=100, blank=True)
    serial = models.CharField(_("serienummer"), max_length=50, blank=True)
    asset_tag = models.CharField(_("inventarienummer"), max_length=50, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=DeviceStatus.choices, default=DeviceStatus.ACTIVE
    )
    description = models.CharField(_("beskrivning"), max_length=200, blank=True)
    comments = models.TextField(_("kommentarer"), blank=True)
    # Kept by the services: does the name follow the standard and fit the device's own site
    # and type? The conformance report counts on it without re-checking every name.
    name_conforms = models.BooleanField(_("namnet följer standarden"), default=False)

    class Meta:
        verbose_name = _("nätverksenhet")
        verbose_name_plural = _("nätverksenheter")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"), "cooperation", name="network_unique_device_name"
            ),
        ]
        indexes = [
            models.Index(fields=["municipality", "name"], name="network_device_muni_idx"),
            models.Index(fields=["site", "name"], name="network_device_site_idx"),
            models.Index(fields=["municipality", "name_conforms"], name="network_device_conf_idx"),
        ]

    def __str__(self) -> str:
        return self.name


class Vlan(VersionedModel):
    """A VLAN as it really is configured at a site."""

    cooperation = models.ForeignKey(
        Cooperation, verbose_name=_("samverkan"), on_delete=models.PROTECT, related_name="+"
    )
    municipality = models.ForeignKey(
        OrgNode, verbose_name=_("kommun"), on_delete=models.PROTECT, related_name="+"
    )
    site = models.ForeignKey(
        Site, verbose_name=_("plats"), on_delete=models.PROTECT, related_name="vlans"
    )
    vid = _vid_field(_("VLAN-ID"))
    name = models.CharField(_("namn"), max_length=64)
    group = models.CharField(_("VLAN-grupp"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=VlanStatus.choices, default=VlanStatus.ACTIVE
    )
    role = models.CharField(_("roll"), max_length=100, blank=True)
    description = models.CharField(_("beskrivning"), max_length=200, blank=True)
    comments = models.TextField(_("kommentarer"), blank=True)

    class Meta:
        verbose_name = _("VLAN")
        verbose_name_plural = _("VLAN")
        ordering = ["site__name", "vid", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["site", "vid"], name="network_unique_site_vid"),
            models.CheckConstraint(
                condition=Q(vid__gte=rules.VLAN_MIN, vid__lte=rules.VLAN_MAX),
                name="network_vid_range",
            ),
        ]
        indexes = [
            models.Index(fields=["municipality", "site", "vid"], name="network_vlan_muni_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.vid} {self.name}"


def _register_constraint_messages() -> None:
    from itfabrik.core.constraints import register

    register(
        "network_unique_municipality_code",
        field="code",
        message=lambda obj, other: _("Koden används redan av en annan kommun."),
    )
    register(
        "network_unique_site_code",
        field="code",
        message=lambda obj, other: _("Kommunen har redan en plats med den koden."),
    )
    register(
        "network_unique_site_name",
        field="name",
        message=lambda obj, other: _("Det finns redan en plats med det namnet."),
    )
    register(
        "network_unique_type_code",
        field="code",
        message=lambda obj, other: _("Det finns redan en enhetstyp med den koden."),
    )
    register(
        "network_unique_type_name",
        field="name",
        message=lambda obj, other: _("Det finns redan en enhetstyp med det namnet."),
    )
    register(
        "network_unique_standard_vid",
        field="vid",
        message=lambda obj, other: _("VLAN-ID:t finns redan i standardplanen."),
    )
    register(
        "network_standard_vid_range",
        field="vid",
        message=lambda obj: _("VLAN-ID ska vara mellan 1 och 4094."),
    )
    register(
        "network_unique_ssid",
        field="name",
        message=lambda obj, other: _("SSID:t finns redan."),
    )
    register(
        "network_unique_device_name",
        field="name",
        message=lambda obj, other: _("Namnet används redan av en annan enhet."),
    )
    register(
        "network_unique_site_vid",
        field="vid",
        message=lambda obj, other: _("Platsen har redan ett VLAN med det ID:t."),
    )
    register(
        "network_vid_range",
        field="vid",
        message=lambda obj: _("VLAN-ID ska vara mellan 1 och 4094."),
    )


_register_constraint_messages()
