from django.db import models
from django.utils.translation import gettext_lazy as _


class BlockPart(models.TextChoices):
    """The two halves of a working day that visits are booked in (R20)."""

    MORNING = "morning", _("Förmiddag")
    AFTERNOON = "afternoon", _("Eftermiddag")


class BookingStatus(models.TextChoices):
    ACTIVE = "active", _("Bokad")
    CANCELLED = "cancelled", _("Avbokad")


class VisitRequestSource(models.TextChoices):
    AGENT = "agent", _("Handläggare")
    REQUESTER = "requester", _("Anmälare")
