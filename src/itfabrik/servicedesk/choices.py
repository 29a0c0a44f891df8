from django.db import models
from django.utils.translation import gettext_lazy as _


class TicketType(models.TextChoices):
    INCIDENT = "incident", _("Incident")
    SERVICE_REQUEST = "service_request", _("Tjänstebegäran")
    PROBLEM = "problem", _("Problem")


class Channel(models.TextChoices):
    PORTAL = "portal", _("Portalen")
    EMAIL = "email", _("E-post")
    PHONE = "phone", _("Telefon")
    WALK_IN = "walk_in", _("Besök")


class Level(models.TextChoices):
    """The three steps of impact and of urgency (DOMAIN.md, "Priority and SLA conventions")."""

    HIGH = "high", _("Hög")
    MEDIUM = "medium", _("Medel")
    LOW = "low", _("Låg")


class Priority(models.TextChoices):
    P1 = "P1", _("P1 – kritisk")
    P2 = "P2", _("P2 – hög")
    P3 = "P3", _("P3 – normal")
    P4 = "P4", _("P4 – låg")
    P5 = "P5", _("P5 – planerad")


class TicketStatus(models.TextChoices):
    NEW = "new", _("Ny")
    ASSIGNED = "assigned", _("Tilldelad")
    IN_PROGRESS = "in_progress", _("Pågår")
    WAITING_REQUESTER = "waiting_requester", _("Väntar på anmälaren")
    WAITING_SUPPLIER = "waiting_supplier", _("Väntar på leverantör")
    RESOLVED = "resolved", _("Löst")
    CLOSED = "closed", _("Stängd")


# Statuses in which the ticket is still being worked on (the agent queue, the SLA sweep).
OPEN_STATUSES = (
    TicketStatus.NEW,
    TicketStatus.ASSIGNED,
    TicketStatus.IN_PROGRESS,
    TicketStatus.WAITING_REQUESTER,
    TicketStatus.WAITING_SUPPLIER,
)
# Statuses in which the resolution clock stands still.
PAUSED_STATUSES = (TicketStatus.WAITING_REQUESTER, TicketStatus.WAITING_SUPPLIER)


class GroupKind(models.TextChoices):
    FIRST_LINE = "first_line", _("1:a linjen")
    NETWORK = "network", _("2:a linjen nätverk")
    IDENTITY = "identity", _("2:a linjen identitet")
    BUSINESS_SYSTEMS = "business_systems", _("2:a linjen verksamhetssystem")
    TELEPHONY = "telephony", _("2:a linjen telefoni")
    SPECIALISTS = "specialists", _("3:e linjen specialister")
    O365 = "o365", _("Microsoft 365")


class EntryKind(models.TextChoices):
    PUBLIC = "public", _("Svar")
    INTERNAL = "internal", _("Intern anteckning")


class SlaClock(models.TextChoices):
    RESPONSE = "response", _("Första svar")
    RESOLUTION = "resolution", _("Lösning")
    NIS2_EARLY = "nis2_24h", _("NIS2 tidig varning (24 h)")
    NIS2_NOTIFY = "nis2_72h", _("NIS2 incidentanmälan (72 h)")
    NIS2_FINAL = "nis2_final", _("NIS2 slutrapport (en månad)")


class Nis2Step(models.TextChoices):
    """The three reports of a significant incident (NIS2 art. 23), in calendar time from the
    moment of awareness."""

    EARLY_WARNING = "early_warning", _("Tidig varning")
    NOTIFICATION = "notification", _("Incidentanmälan")
    FINAL_REPORT = "final_report", _("Slutrapport")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Köad")
    RUNNING = "running", _("Pågår")
    DONE = "done", _("Klar")
    FAILED = "failed", _("Misslyckades")


class EscalationTrigger(models.TextChoices):
    """When an escalation rule applies: the first SLA warning (either clock), or a breach of the
    first-response or the resolution target."""

    WARNING = "warning", _("SLA-varning")
    RESPONSE_BREACH = "response_breach", _("Första svar försenat")
    RESOLUTION_BREACH = "resolution_breach", _("Lösning försenad")
