from django.db import models
from django.utils.translation import gettext_lazy as _


class InitiativeState(models.TextChoices):
    """An initiative's lifecycle (R10); the allowed moves are in rules.TRANSITIONS."""

    IDEA = "idea", _("Idé")
    ASSESSMENT = "assessment", _("Bedömning")
    APPROVED = "approved", _("Beslutad")
    IN_PROGRESS = "in_progress", _("Pågår")
    DELIVERED = "delivered", _("Levererad")
    STOPPED = "stopped", _("Avbruten")


class StatusColour(models.TextChoices):
    GREEN = "green", _("Grön")
    YELLOW = "yellow", _("Gul")
    RED = "red", _("Röd")


class BenefitKind(models.TextChoices):
    """What a benefit is measured in: kronor, hours, or a quality measure with its own unit."""

    MONEY = "money", _("Pengar (kr)")
    HOURS = "hours", _("Timmar")
    QUALITY = "quality", _("Kvalitet")


class FundingKind(models.TextChoices):
    ALLOCATION = "allocation", _("Tilldelning")
    SPENDING = "spending", _("Utgift")
