from django.db import models
from django.utils.translation import gettext_lazy as _


class ServiceTier(models.TextChoices):
    BASE = "base", _("Bas")
    STANDARD = "standard", _("Standard")
    EXTENDED = "extended", _("Utökad")


class PriceModel(models.TextChoices):
    PER_UNIT_MONTH = "per_unit_month", _("Per enhet och månad")
    PER_USE = "per_use", _("Per användning")
    FIXED_FEE = "fixed_fee", _("Fast avgift")


class OrderableBy(models.TextChoices):
    ORDERERS = "orderers", _("Beställare på enheten")
    IT_ONLY = "it_only", _("Endast IT-organisationen")


class Approval(models.TextChoices):
    """Who must approve an order line before it is delivered, from least to most."""

    NONE = "none", _("Inget godkännande")
    UNIT_MANAGER = "unit_manager", _("Enhetschef")
    IT = "it", _("IT")


class UserKind(models.TextChoices):
    OFFICE = "office", _("Kontorsarbetsplats")
    CARE_SHARED = "care_shared", _("Delad arbetsplats inom vård och omsorg")
    PUPIL = "pupil", _("Elevenhet")
    OTHER = "other", _("Övrigt")


class OrderKind(models.TextChoices):
    NEW = "new", _("Ny beställning")
    CHANGE = "change", _("Ändring av antal")
    CANCEL = "cancel", _("Uppsägning")


class OrderStatus(models.TextChoices):
    DRAFT = "draft", _("Utkast")
    SUBMITTED = "submitted", _("Skickad")
    APPROVED = "approved", _("Godkänd")
    REJECTED = "rejected", _("Avslagen")
    DELIVERING = "delivering", _("Under leverans")
    DELIVERED = "delivered", _("Levererad")
    CANCELLED = "cancelled", _("Makulerad")


class LineDecision(models.TextChoices):
    PENDING = "pending", _("Väntar på godkännande")
    AUTO = "auto", _("Godkänd automatiskt")
    APPROVED = "approved", _("Godkänd")
    REJECTED = "rejected", _("Avslagen")
