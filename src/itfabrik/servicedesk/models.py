"""The service desk: assignment groups, the priority matrix, business calendars, SLA policies,
the VIP list, tickets with their entries and links, and the SLA warnings sent.

Everything belongs to a cooperation; a ticket also to the affected unit (an `OrgNode`), whose
path scopes it. Nothing is hard-deleted: groups, calendars, policies and VIP rows are retired
with `is_active=False`, tickets are closed. Every change is audited by the services.

The SLA clock (docs/adr/0019): `accrued_seconds` is the business time the resolution clock ran
before `clock_started_at`, the start of the current running period (NULL while paused or
stopped); `resolution_due` = the calendar's business time after `clock_started_at` that is
still left of the target. A pause folds the running period into `accrued_seconds`; a resume
starts a new period. So a change of priority, policy or calendar keeps what has already run.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from itfabrik.catalog.choices import ServiceTier
from itfabrik.catalog.models import Service
from itfabrik.core.models import TimestampedModel, VersionedModel
from itfabrik.knowledge.models import Article
from itfabrik.tenancy.models import Cooperation, OrgNode

from .choices import (
    OPEN_STATUSES,
    Channel,
    EntryKind,
    EscalationTrigger,
    GroupKind,
    JobStatus,
    Level,
    Priority,
    SlaClock,
    TicketStatus,
    TicketType,
)


class AssignmentGroup(VersionedModel):
    """A group that tickets are assigned to (1st line, 2nd line network, …), with a team lead."""

    cooperation = models.ForeignKey(
        Cooperation, verbose_name=_("samverkan"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("namn"), max_length=100)
    kind = models.CharField(_("typ"), max_length=20, choices=GroupKind.choices)
    team = models.ForeignKey(
        OrgNode,
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("teamledare"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    email = models.EmailField(_("e-post"), blank=True)
    is_active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        verbose_name = _("handläggargrupp")
        verbose_name_plural = _("handläggargrupper")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["cooperation", "name"], name="servicedesk_unique_group_name"
            )
        ]

    def __str__(self) -> str:
        return self.name


class GroupMember(TimestampedModel):
    group = models.ForeignKey(
        AssignmentGroup,
        verbose_name=_("grupp"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("medlem"),
        on_delete=models.PROTECT,
        related_name="servicedesk_groups",
    )

    class Meta:
        verbose_name = _("gruppmedlem")
        verbose_name_plural = _("gruppmedlemmar")
        constraints = [
            models.UniqueConstraint(fields=["group", "user"], name="servicedesk_unique_member")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.group}"


class PriorityRule(VersionedModel):
    """One cell of a cooperation's priority matrix: impact × urgency → priority. A cooperation
    without rows uses the default matrix (`rules.DEFAULT_MATRIX`)."""

    cooperation = models.ForeignKey(
        Cooperation, verbose_name=_("samverkan"), on_delete=models.PROTECT, related_name="+"
    )
    impact = models.CharField(_("påverkan"), max_length=10, choices=Level.choices)
    urgency = models.CharField(_("brådska"), max_length=10, choices=Level.choices)
    priority = models.CharField(_("prioritet"), max_length=2, choices=Priority.choices)

    class Meta:
        verbose_name = _("prioritetsregel")
        verbose_name_plural = _("prioritetsregler")
        constraints = [
            models.UniqueConstraint(
                fields=["cooperation", "impact", "urgency"], name="servicedesk_unique_matrix_cell"
            )
        ]

    def __str__(self) -> str:
        return f"{self.impact} × {self.urgency} → {self.priority}"


class BusinessCalendar(VersionedModel):
    """Opening hours as data, turned into a `businesstime.Calendar` by `calendars.to_calendar`.

    `week` is seven lists (Monday first) of ["HH:MM", "HH:MM"] periods; an empty list is a closed
    day. `swedish_holidays` closes the Swedish public holidays; `eves` names the eves that are
    closed too (midsommarafton, julafton, nyårsafton). Extra closed and shortened days are
    `CalendarDay` rows.
    """

    cooperation = models.ForeignKey(
        Cooperation, verbose_name=_("samverkan"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("namn"), max_length=100)
    timezone = models.CharField(_("tidszon"), max_length=64, default="Europe/Stockholm")
    week = models.JSONField(_("öppettider per veckodag"), default=list)
    swedish_holidays = models.BooleanField(_("stängt på helgdagar"), default=True)
    eves = models.JSONField(_("stängda aftnar"), default=list, blank=True)
    is_active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        verbose_name = _("kalender")
        verbose_name_plural = _("kalendrar")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["cooperation", "name"], name="servicedesk_unique_calendar_name"
            )
        ]

    def __str__(self) -> str:
        return self.name


class CalendarDay(TimestampedModel):
    """An exception to a calendar's week: closed (no hours) or shortened (other hours)."""

    calendar = models.ForeignKey(
        BusinessCalendar, verbose_name=_("kalender"), on_delete=models.CASCADE, related_name="days"
    )
    date = models.DateField(_("datum"))
    hours = models.JSONField(_("öppettider"), default=list, blank=True)
    note = models.CharField(_("anteckning"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("avvikande dag")
        verbose_name_plural = _("avvikande dagar")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["calendar", "date"], name="servicedesk_unique_day")
        ]

    def __str__(self) -> str:
        return f"{self.calendar} {self.date}"


class SlaPolicy(VersionedModel):
    """Targets for one priority (and optionally one service tier), in business minutes of a
    calendar. An empty tier is the policy for every tier that has none of its own."""

    cooperation = models.ForeignKey(
        Cooperation, verbose_name=_("samverkan"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("namn"), max_length=100)
    priority = models.CharField(_("prioritet"), max_length=2, choices=Priority.choices)
    service_tier = models.CharField(
        _("servicenivå"), max_length=20, choices=ServiceTier.choices, blank=True
    )
    response_minutes = models.PositiveIntegerField(
        _("första svar (arbetsminuter)"), validators=[MinValueValidator(1)]
    )
    resolution_minutes = models.PositiveIntegerField(
        _("lösning (arbetsminuter)"), validators=[MinValueValidator(1)]
    )
    calendar = models.ForeignKey(
        BusinessCalendar, verbose_name=_("kalender"), on_delete=models.PROTECT, related_name="+"
    )
    is_active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        verbose_name = _("SLA-policy")
        verbose_name_plural = _("SLA-policyer")
        ordering = ["priority", "service_tier"]
        constraints = [
            models.UniqueConstraint(
                fields=["cooperation", "priority", "service_tier"],
                condition=Q(is_active=True),
                name="servicedesk_unique_active_policy",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def response_target(self) -> dt.timedelta:
        return dt.timedelta(minutes=self.response_minutes)

    @property
    def resolution_target(self) -> dt.timedelta:
        return dt.timedelta(minutes=self.resolution_minutes)


class VipPerson(TimestampedModel):
    """A priority person of a cooperation: their tickets are marked and raised one step."""

    cooperation = models.ForeignKey(
        Cooperation, verbose_name=_("samverkan"), on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.CharField(_("skäl"), max_length=200, blank=True)
    is_active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        verbose_name = _("prioriterad person")
        verbose_name_plural = _("prioriterade personer")
        constraints = [
            models.UniqueConstraint(fields=["cooperation", "user"], name="servicedesk_unique_vip")
        ]

    def __str__(self) -> str:
        return str(self.user)


# The tables of a cooperation's desk settings: what `selectors.desk_settings_get` reads. A write to
# any of them changes `DeskSettingsToken.token`, by the triggers of migration 0008.
SETTINGS_TABLES = (
    "servicedesk_assignmentgroup",
    "servicedesk_priorityrule",
    "servicedesk_businesscalendar",
    "servicedesk_calendarday",
    "servicedesk_slapolicy",
    "servicedesk_vipperson",
    "servicedesk_routingsettings",
)


class DeskSettingsToken(models.Model):
    """One row whose token changes with every write to the desk settings' tables (groups, the
    priority matrix, calendars and their days, SLA policies, the VIP list, routing). A process
    keeps the settings it has read under the token it read them at, and reads the token once
    per ticket to know they still hold (ADR 0050).

    Database triggers change the token, so no write path can forget to: not a service, the
    admin, a `QuerySet.update`, an import or a migration. The new token is random, not a
    counter: a rolled-back change must not leave a value behind that a later change could
    produce again. On SQLite a migration that rebuilds one of these tables drops its triggers;
    `test_desk_settings` checks that every table still has them."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    token = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return str(self.token)


class TicketCounter(models.Model):
    """The last reference number used per year (SD-2026-000123), taken under a row lock."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Ticket(VersionedModel):
    # No index of their own on cooperation, requester, unit, group and assignee: each leads a
    # composite index below, which serves the same lookups, and every index costs each write.
    cooperation = models.ForeignKey(
        Cooperation,
        verbose_name=_("samverkan"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    reference = models.CharField(_("ärendenummer"), max_length=20, unique=True)
    type = models.CharField(
        _("typ"), max_length=20, choices=TicketType.choices, default=TicketType.INCIDENT
    )
    title = models.CharField(_("rubrik"), max_length=200)
    description = models.TextField(_("beskrivning"), max_length=10000, blank=True)
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("anmälare"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    municipality = models.ForeignKey(
        OrgNode,
        verbose_name=_("kommun"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit = models.ForeignKey(
        OrgNode,
        verbose_name=_("berörd enhet"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    service = models.ForeignKey(
        Service,
        verbose_name=_("tjänst"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    channel = models.CharField(
        _("kanal"), max_length=10, choices=Channel.choices, default=Channel.PORTAL
    )
    impact = models.CharField(_("påverkan"), max_length=10, choices=Level.choices)
    urgency = models.CharField(_("brådska"), max_length=10, choices=Level.choices)
    priority = models.CharField(_("prioritet"), max_length=2, choices=Priority.choices)
    is_vip = models.BooleanField(_("prioriterad person"), default=False)
    group = models.ForeignKey(
        AssignmentGroup,
        verbose_name=_("grupp"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handläggare"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    status = models.CharField(
        _("status"), max_length=20, choices=TicketStatus.choices, default=TicketStatus.NEW
    )
    problem = models.ForeignKey(
        "self",
        verbose_name=_("problem"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incidents",
    )
    related = models.ManyToManyField(
        "self", verbose_name=_("relaterade ärenden"), symmetrical=True, blank=True
    )
    # --- problem management (docs/adr/0039): problems only ---
    root_cause = models.TextField(_("grundorsak"), max_length=10000, blank=True)
    workaround = models.TextField(_("tillfällig lösning"), max_length=10000, blank=True)
    # When the problem was marked a known error ("känt fel"); NULL: it is not one.
    known_error_at = models.DateTimeField(_("känt fel sedan"), null=True, blank=True)
    # The knowledge-base article the known error is published as (one article per problem).
    knowledge_article = models.OneToOneField(
        Article,
        verbose_name=_("kunskapsartikel"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reported_at = models.DateTimeField(_("anmäld"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registrerad av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # --- the SLA clock (see the module docstring and ADR 0020) ---
    policy = models.ForeignKey(
        SlaPolicy,
        verbose_name=_("SLA-policy"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    response_due = models.DateTimeField(_("svar senast"), null=True, blank=True)
    resolution_due = models.DateTimeField(_("löst senast"), null=True, blank=True)
    # Whole seconds, not a DurationField: the audit trail stores plain JSON values.
    accrued_seconds = models.PositiveBigIntegerField(_("förbrukad arbetstid (s)"), default=0)
    clock_started_at = models.DateTimeField(_("klockan går sedan"), null=True, blank=True)
    paused_since = models.DateTimeField(_("pausad sedan"), null=True, blank=True)
    paused_seconds = models.PositiveBigIntegerField(_("total paustid (s)"), default=0)
    first_response_at = models.DateTimeField(_("första svar"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("löst"), null=True, blank=True)
    closed_at = models.DateTimeField(_("stängd"), null=True, blank=True)
    # --- NIS2 (a significant incident): calendar-time reporting deadlines from awareness ---
    nis2_aware_at = models.DateTimeField(_("NIS2: känt sedan"), null=True, blank=True)
    nis2_early_warning_at = models.DateTimeField(
        _("NIS2: tidig varning lämnad"), null=True, blank=True
    )
    nis2_notification_at = models.DateTimeField(
        _("NIS2: incidentanmälan lämnad"), null=True, blank=True
    )
    nis2_final_report_at = models.DateTimeField(
        _("NIS2: slutrapport lämnad"), null=True, blank=True
    )
    # The earliest deadline not yet met (NULL: none open), for the queue filter and the sweep.
    nis2_next_due = models.DateTimeField(_("NIS2: nästa frist"), null=True, blank=True)
    # --- routing rules (docs/adr/0037) ---
    # A training or competence question, answered with the learning platform's address by the
    # routing rule and counted apart in the reports.
    is_training = models.BooleanField(_("utbildningsfråga"), default=False)
    # The device concerned (its asset tag or serial), as written: the assets app links it.
    device_reference = models.CharField(
        _("enhet (inventarie- eller serienummer)"), max_length=100, blank=True
    )

    class Meta:
        verbose_name = _("ärende")
        verbose_name_plural = _("ärenden")
        ordering = ["-reported_at", "-pk"]
        indexes = [
            # The agent queue: a group's open tickets by resolution due.
            models.Index(
                fields=["group", "status", "resolution_due"], name="servicedesk_queue_idx"
            ),
            models.Index(fields=["requester", "-reported_at"], name="servicedesk_mine_idx"),
            models.Index(fields=["unit", "-reported_at"], name="servicedesk_unit_idx"),
            models.Index(fields=["status", "resolution_due"], name="servicedesk_sweep_idx"),
            # The open tickets only (about one in eight), in the order the queue shows them: a
            # group's queue reads its first page off the index instead of sorting the group's
            # open tickets, and everything an agent sees of their cooperation starts from the
            # cooperation's open tickets, not the country's (see selectors._scoped).
            models.Index(
                fields=["group", "resolution_due"],
                name="servicedesk_group_open_idx",
                condition=Q(status__in=OPEN_STATUSES),
            ),
            models.Index(
                fields=["cooperation", "resolution_due"],
                name="servicedesk_coop_open_idx",
                condition=Q(status__in=OPEN_STATUSES),
            ),
            models.Index(fields=["assignee", "status"], name="servicedesk_assignee_idx"),
            models.Index(fields=["nis2_next_due"], name="servicedesk_nis2_idx"),
            # The reports (satisfaction, deskreports) select tickets by when they were resolved
            # or reported within a cooperation.
            models.Index(fields=["cooperation", "resolved_at"], name="servicedesk_resolved_idx"),
            models.Index(fields=["cooperation", "reported_at"], name="servicedesk_reported_idx"),
            # "N incidents in M days for the same device" (the replace-device suggestion).
            models.Index(
                fields=["cooperation", "device_reference", "reported_at"],
                name="servicedesk_device_idx",
                condition=~Q(device_reference=""),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(type=TicketType.PROBLEM)
                | (Q(known_error_at__isnull=True) & Q(knowledge_article__isnull=True)),
                name="servicedesk_known_error_is_problem",
                violation_error_message=_("Bara problem kan vara kända fel."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def is_known_error(self) -> bool:
        return self.known_error_at is not None

    @property
    def is_paused(self) -> bool:
        return self.paused_since is not None

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("servicedesk:ticket_detail", args=[self.pk])


class TicketEntry(TimestampedModel):
    """A public reply (the requester sees it) or an internal note (staff only)."""

    ticket = models.ForeignKey(
        Ticket, verbose_name=_("ärende"), on_delete=models.PROTECT, related_name="entries"
    )
    kind = models.CharField(_("typ"), max_length=10, choices=EntryKind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("skribent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    body = models.TextField(_("text"), max_length=20000)

    class Meta:
        verbose_name = _("ärendepost")
        verbose_name_plural = _("ärendeposter")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["ticket", "created_at"])]

    def __str__(self) -> str:
        return f"{self.ticket.reference} {self.kind} {self.created_at:%Y-%m-%d %H:%M}"


def attachment_path() -> str:
    """A name nobody can guess; the original name is kept in the row, never in the path."""
    import secrets

    return f"servicedesk/{dt.date.today():%Y/%m}/{secrets.token_urlsafe(24)}"


class TicketAttachment(TimestampedModel):
    """A file on a ticket. `internal` files belong to an internal note: staff only. Removing
    one sets `is_active=False` (the file stays for the record)."""

    ticket = models.ForeignKey(
        Ticket, verbose_name=_("ärende"), on_delete=models.PROTECT, related_name="attachments"
    )
    entry = models.ForeignKey(
        TicketEntry,
        verbose_name=_("inlägg"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="attachments",
    )
    internal = models.BooleanField(_("intern"), default=False)
    # The storage name (default storage, under ITFABRIK_DATA_DIR), not a FileField: the audit
    # trail stores plain values, and the name is never shown or served as a URL.
    path = models.CharField(_("lagrad som"), max_length=200, unique=True)
    name = models.CharField(_("filnamn"), max_length=200)
    content_type = models.CharField(_("filtyp"), max_length=100)
    size = models.PositiveBigIntegerField(_("storlek (byte)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uppladdad av"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        verbose_name = _("bilaga")
        verbose_name_plural = _("bilagor")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["ticket", "created_at"], name="servicedesk_attach_idx")]

    def __str__(self) -> str:
        return self.name


class SavedView(VersionedModel):
    """A named set of queue filters of one agent, optionally shared with one of their groups."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ägare"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("namn"), max_length=80)
    filters = models.JSONField(_("filter"), default=dict)
    shared_with = models.ForeignKey(
        AssignmentGroup,
        verbose_name=_("delad med gruppen"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        verbose_name = _("sparad vy")
        verbose_name_plural = _("sparade vyer")
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["owner", "name"], name="servicedesk_view_owner_idx")]

    def __str__(self) -> str:
        return self.name


class RecomputeJob(models.Model):
    """Recomputing the due times of a policy's open tickets after the policy changed, in the
    worker, with its progress visible on the policy page."""

    policy = models.ForeignKey(
        SlaPolicy, verbose_name=_("SLA-policy"), on_delete=models.PROTECT, related_name="jobs"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    total = models.PositiveIntegerField(_("ärenden"), default=0)
    done = models.PositiveIntegerField(_("klara"), default=0)
    changed = models.PositiveIntegerField(_("ändrade"), default=0)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("startad av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The calendar in force until the edit and when the edit happened: time that ran before it
    # is measured on that calendar (ADR 0020), not on the new one.
    old_calendar = models.ForeignKey(
        BusinessCalendar,
        verbose_name=_("tidigare kalender"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    edited_at = models.DateTimeField(_("policyn ändrad"))
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    finished_at = models.DateTimeField(_("klar"), null=True, blank=True)

    class Meta:
        verbose_name = _("omräkningsjobb")
        verbose_name_plural = _("omräkningsjobb")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.policy} {self.done}/{self.total}"


class SlaWarning(models.Model):
    """A warning sent for a ticket: once per clock and threshold (75 % and breach, 100 %)."""

    ticket = models.ForeignKey(
        Ticket, verbose_name=_("ärende"), on_delete=models.PROTECT, related_name="sla_warnings"
    )
    clock = models.CharField(_("klocka"), max_length=10, choices=SlaClock.choices)
    threshold = models.PositiveSmallIntegerField(
        _("tröskel (%)"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    due = models.DateTimeField(_("förfallotid"))
    sent_at = models.DateTimeField(_("skickad"), auto_now_add=True)
    recipients = models.JSONField(_("mottagare"), default=list)

    class Meta:
        verbose_name = _("SLA-varning")
        verbose_name_plural = _("SLA-varningar")
        constraints = [
            models.UniqueConstraint(
                fields=["ticket", "clock", "threshold"], name="servicedesk_unique_warning"
            )
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.clock} {self.threshold}%"


class RoutingSettings(VersionedModel):
    """A cooperation's routing rules (issue 8 point 10), one row per cooperation.

    Training questions (R24): a ticket on one of `training_service_ids`, or whose title holds
    one of `training_keywords`, is marked and answered with a public reply pointing to
    `learning_url`. Replace, don't repair (R23): a device with `replace_incidents` incidents
    within `replace_days` days gets a "replace the whole device" suggestion."""

    cooperation = models.OneToOneField(
        Cooperation, verbose_name=_("samverkan"), on_delete=models.PROTECT, related_name="+"
    )
    learning_url = models.URLField(_("lärplattformens adress"), blank=True)
    training_keywords = models.JSONField(
        _("nyckelord för utbildningsfrågor"), default=list, blank=True
    )
    training_service_ids = models.JSONField(
        _("tjänster för utbildningsfrågor"), default=list, blank=True
    )
    training_reply = models.TextField(_("svar på utbildningsfrågor"), max_length=2000, blank=True)
    replace_incidents = models.PositiveSmallIntegerField(
        _("incidenter före förslag om utbyte"),
        null=True,
        blank=True,
        validators=[MinValueValidator(2)],
    )
    replace_days = models.PositiveSmallIntegerField(
        _("inom antal dagar"), default=90, validators=[MinValueValidator(1)]
    )

    class Meta:
        verbose_name = _("routningsregler")
        verbose_name_plural = _("routningsregler")

    def __str__(self) -> str:
        return str(self.cooperation_id)


class EscalationRule(VersionedModel):
    """When an SLA warning or breach happens (`trigger`) on a ticket of the given priorities and
    groups (empty: all), do what: notify the assignee and the group's team lead, raise the
    priority one step, reassign to a group. Applied by the SLA sweep, once per ticket and
    trigger (`Escalation`)."""

    cooperation = models.ForeignKey(
        Cooperation, verbose_name=_("samverkan"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("namn"), max_length=100)
    trigger = models.CharField(_("när"), max_length=20, choices=EscalationTrigger.choices)
    # Plain lists (not many-to-many): the audit trail stores them as they are.
    priorities = models.JSONField(_("prioriteter"), default=list, blank=True)
    group_ids = models.JSONField(_("grupper"), default=list, blank=True)
    notify = models.BooleanField(_("meddela handläggare och teamledare"), default=True)
    raise_priority = models.BooleanField(_("höj prioriteten ett steg"), default=False)
    reassign_to = models.ForeignKey(
        AssignmentGroup,
        verbose_name=_("flytta till gruppen"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        verbose_name = _("eskaleringsregel")
        verbose_name_plural = _("eskaleringsregler")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cooperation", "name"], name="servicedesk_unique_escalation_name"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Escalation(models.Model):
    """An escalation done: at most one per ticket and trigger (the constraint makes a rerun of
    the sweep, or two sweeps at once, escalate once)."""

    ticket = models.ForeignKey(
        Ticket, verbose_name=_("ärende"), on_delete=models.PROTECT, related_name="escalations"
    )
    trigger = models.CharField(_("när"), max_length=20, choices=EscalationTrigger.choices)
    rule_ids = models.JSONField(_("regler"), default=list, blank=True)
    actions = models.JSONField(_("åtgärder"), default=dict, blank=True)
    created_at = models.DateTimeField(_("eskalerad"), auto_now_add=True)

    class Meta:
        verbose_name = _("eskalering")
        verbose_name_plural = _("eskaleringar")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["ticket", "trigger"], name="servicedesk_unique_escalation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.trigger}"


def municipality_of(node: Any) -> Any:
    """The municipality node of a unit (the node itself when it is one)."""
    if node is None:
        return None
    if getattr(node, "kind", None) == "municipality":
        return node
    return node.municipality
