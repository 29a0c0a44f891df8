from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PoolKind(models.TextChoices):
    SHARED = "shared", _("Gemensam kostnad")
    FUND = "fund", _("Digitaliseringsfond")


class KeyMethod(models.TextChoices):
    EQUAL = "equal", _("Lika delar")
    INHABITANTS = "inhabitants", _("Invånarantal")
    USERS = "users", _("Antal användare")
    DEVICES = "devices", _("Antal enheter (datorer, telefoner)")
    PERCENTAGES = "percentages", _("Fasta procentsatser")


class LineKind(models.TextChoices):
    SHARED = "shared", _("Gemensam kostnad")
    CONSUMPTION = "consumption", _("Förbrukning")
    FUND = "fund", _("Digitaliseringsfond")
    CORRECTION = "correction", _("Rättelse")


class InvoiceStatus(models.TextChoices):
    DRAFT = "draft", _("Utkast")
    APPROVED = "approved", _("Godkänd")
    EXPORTED = "exported", _("Exporterad")


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Köad")
    RUNNING = "running", _("Pågår")
    DONE = "done", _("Klar")
    FAILED = "failed", _("Misslyckades")


class ImportStatus(models.TextChoices):
    INVALID = "invalid", _("Har fel")
    CHECKED = "checked", _("Kontrollerad")
    QUEUED = "queued", _("Köad")
    RUNNING = "running", _("Pågår")
    DONE = "done", _("Klar")
    FAILED = "failed", _("Misslyckades")


CLOSED_STATUSES = (InvoiceStatus.APPROVED, InvoiceStatus.EXPORTED)
