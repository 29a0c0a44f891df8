from django.db import models
from django.utils.translation import gettext_lazy as _


class DeviceKind(models.TextChoices):
    COMPUTER = "computer", _("Dator")
    TABLET = "tablet", _("Surfplatta")
    PHONE = "phone", _("Mobiltelefon")
    MONITOR = "monitor", _("Skärm")
    ACCESSORY = "accessory", _("Tillbehör")
    NETWORK = "network", _("Nätverksutrustning")
    SERVER = "server", _("Server")
    PRINTER = "printer", _("Skrivare")
    OTHER = "other", _("Övrigt")


class DeviceState(models.TextChoices):
    NEEDS_ANALYSIS = "needs_analysis", _("Behovsanalys")
    ORDERED = "ordered", _("Beställd")
    RECEIVED = "received", _("Mottagen")
    DEPLOYED = "deployed", _("I bruk")
    IN_REPAIR = "in_repair", _("På reparation")
    DECOMMISSIONING = "decommissioning", _("Avvecklas")
    RETURNED = "returned", _("Återlämnad till leasegivare")
    DISPOSED = "disposed", _("Skrotad")


class Ownership(models.TextChoices):
    LEASED = "leased", _("Leasad")
    PURCHASED = "purchased", _("Köpt")


class ReturnStatus(models.TextChoices):
    RUNNING = "running", _("Löper")
    RETURNING = "returning", _("Återlämning pågår")
    RETURNED = "returned", _("Återlämnad")
    BOUGHT_OUT = "bought_out", _("Utköpt")


class Rule(models.TextChoices):
    """The device policy (R26, R27): one value per check of the compliance page."""

    LEASE_MISSING = "lease_missing", _("Leasad enhetstyp utan leasingavtal")
    UNMANAGED = "unmanaged", _("Inte ansluten till enhetshantering")
    LOCAL_ADMIN = "local_admin", _("Lokal administratör finns")
    NO_LEVEL = "no_level", _("Säkerhetsnivå saknas")
    END_OF_SUPPORT = "end_of_support", _("Supporten har upphört")
    LEASE_ENDING = "lease_ending", _("Leasingen slutar inom 90 dagar")


class ImportStatus(models.TextChoices):
    CHECKED = "checked", _("Kontrollerad")
    INVALID = "invalid", _("Har fel")
    QUEUED = "queued", _("Köad")
    RUNNING = "running", _("Pågår")
    DONE = "done", _("Klar")
    FAILED = "failed", _("Misslyckades")


class RowAction(models.TextChoices):
    CREATE = "create", _("Ny")
    UPDATE = "update", _("Ändras")
    UNCHANGED = "unchanged", _("Oförändrad")
    ERROR = "error", _("Fel")
