from django.db import models
from django.utils.translation import gettext_lazy as _


class DeviceStatus(models.TextChoices):
    """NetBox's device statuses, so that an exported file imports into NetBox as it is."""

    ACTIVE = "active", _("I drift")
    PLANNED = "planned", _("Planerad")
    STAGED = "staged", _("Förberedd")
    OFFLINE = "offline", _("Ur drift")
    FAILED = "failed", _("Trasig")
    INVENTORY = "inventory", _("I lager")
    DECOMMISSIONING = "decommissioning", _("Avvecklas")


class VlanStatus(models.TextChoices):
    """NetBox's VLAN statuses."""

    ACTIVE = "active", _("Aktivt")
    RESERVED = "reserved", _("Reserverat")
    DEPRECATED = "deprecated", _("Utfasat")


class SsidSecurity(models.TextChoices):
    WPA3_ENTERPRISE = "wpa3-enterprise", _("WPA3-Enterprise")
    WPA2_ENTERPRISE = "wpa2-enterprise", _("WPA2-Enterprise")
    WPA3_PERSONAL = "wpa3-personal", _("WPA3-Personal")
    OPEN_PORTAL = "open-portal", _("Öppet med inloggningssida")


class ImportKind(models.TextChoices):
    DEVICES = "devices", _("Nätverksenheter")
    VLANS = "vlans", _("VLAN")
