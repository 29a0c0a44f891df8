from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    SECURITY = "security", _("Informations- och cybersäkerhet")
    STAFF = "staff", _("Personal och kompetens")
    OPERATIONS = "operations", _("Drift och leverans")
    STRATEGY = "strategy", _("Strategi och styrning")
    ECONOMY = "economy", _("Ekonomi")
    LEGAL = "legal", _("Juridik och avtal")


class Treatment(models.TextChoices):
    UNDECIDED = "undecided", _("Ej beslutad")
    ACCEPT = "accept", _("Acceptera")
    MITIGATE = "mitigate", _("Reducera")
    TRANSFER = "transfer", _("Överföra")
    AVOID = "avoid", _("Undvika")


class ScoreKind(models.TextChoices):
    INHERENT = "inherent", _("Inneboende")
    RESIDUAL = "residual", _("Kvarvarande")
