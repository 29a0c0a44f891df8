from django.db import models
from django.utils.translation import gettext_lazy as _


class Hosting(models.TextChoices):
    CLOUD = "cloud", _("Molntjänst")
    OWN_DATA_CENTRE = "own_dc", _("Egen serverhall")
    SUPPLIER = "supplier", _("Driftas hos leverantören")


class ProgrammeStatus(models.TextChoices):
    """Where the system is in the programme (R33): phase 1 maps, phase 2 migrates."""

    MAPPED = "mapped", _("Fas 1: kartlagt")
    MIGRATED = "migrated", _("Fas 2: migrerat")
    TO_PHASE_OUT = "to_phase_out", _("Fas 2: ska avvecklas")
    PHASED_OUT = "phased_out", _("Fas 2: avvecklat")


class Compliance(models.TextChoices):
    MET = "met", _("Uppfyllt")
    PARTLY = "partly", _("Delvis uppfyllt")
    NOT_MET = "not_met", _("Ej uppfyllt")


GAPS = (Compliance.PARTLY, Compliance.NOT_MET)
