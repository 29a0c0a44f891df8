from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class FigureBasis(models.TextChoices):
    """Where a timeline figure comes from: a reader must tell the pre-study's figures from an
    assumption or a later budget or outcome."""

    PRE_STUDY = "pre_study", _("Förstudien")
    ASSUMPTION = "assumption", _("Antagande")
    BUDGET = "budget", _("Budget")
    OUTCOME = "outcome", _("Utfall")
