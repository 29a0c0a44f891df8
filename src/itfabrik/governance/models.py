"""Governance (R4–R6): forums with members, meetings with agenda items and minutes, matters that
local councils register and prepare, numbered decisions with links to what they govern, and the
cooperation agreement with its parties, amendments and evaluation dates."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from itfabrik.core.models import TimestampedModel, VersionedModel
from itfabrik.tenancy.models import Cooperation, OrgNode

from .choices import (
    AmendmentKind,
    DecisionScope,
    DecisionStatus,
    ForumKind,
    MatterKind,
    MatterStatus,
    MeetingStatus,
    MemberRole,
    NeedKind,
    PartyRole,
)


class Forum(VersionedModel):
    """A council or group of the governance model. `node` places it in the organisation: the
    municipality of a local IT council, the cooperation's root for the others."""

    cooperation = models.ForeignKey(
        Cooperation, verbose_name=_("samverkan"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("typ"), max_length=20, choices=ForumKind.choices)
    name = models.CharField(_("namn"), max_length=150)
    node = models.ForeignKey(
        OrgNode, verbose_name=_("hör till"), on_delete=models.PROTECT, related_name="+"
    )
    municipality = models.ForeignKey(
        OrgNode,
        verbose_name=_("kommun"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Decision numbers are "<prefix>-<year>-<nnn>", e.g. ITR-2026-014.
    prefix = models.CharField(_("prefix för beslutsnummer"), max_length=12)
    description = models.TextField(_("uppdrag"), blank=True)
    is_active = models.BooleanField(_("aktivt"), default=True)

    class Meta:
        verbose_name = _("forum")
        verbose_name_plural = _("forum")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["cooperation", "prefix"], name="governance_unique_forum_prefix"
            ),
            models.UniqueConstraint(
                fields=["cooperation", "name"], name="governance_unique_forum_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ForumMember(VersionedModel):
    """A person's seat in a forum, by role, over a period."""

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    role = models.CharField(_("roll"), max_length=12, choices=MemberRole.choices)
    represents = models.CharField(_("representerar"), max_length=150, blank=True)
    valid_from = models.DateField(_("från"))
    valid_to = models.DateField(_("till"), null=True, blank=True)

    class Meta:
        verbose_name = _("ledamot")
        verbose_name_plural = _("ledamöter")
        ordering = ["forum", "role", "user__last_name"]
        indexes = [models.Index(fields=["forum", "valid_to"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="governance_member_to_after_from",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class Meeting(VersionedModel):
    """A meeting of a forum. Once its minutes are approved ("justerat") they and every decision
    taken at it are final."""

    forum = models.ForeignKey(
        Forum, verbose_name=_("forum"), on_delete=models.PROTECT, related_name="meetings"
    )
    held_on = models.DateField(_("datum"))
    location = models.CharField(_("plats"), max_length=150, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    attendees = models.TextField(_("närvarande"), blank=True)
    minutes = models.TextField(_("protokoll, allmänt"), blank=True)
    approved_on = models.DateField(_("justerat"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("justerat av"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("möte")
        verbose_name_plural = _("möten")
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["forum", "held_on"])]

    def __str__(self) -> str:
        return f"{self.forum} {self.held_on.isoformat()}"

    @property
    def is_locked(self) -> bool:
        return self.status == MeetingStatus.APPROVED


class Matter(VersionedModel):
    """Something a local council registers: a local need, a proposal it prepares for IT-råd, or a
    matter for its own municipality (R5)."""

    forum = models.ForeignKey(
        Forum, verbose_name=_("registrerat i"), on_delete=models.PROTECT, related_name="matters"
    )
    kind = models.CharField(_("typ"), max_length=10, choices=MatterKind.choices)
    need_kind = models.CharField(
        _("gäller"), max_length=15, choices=NeedKind.choices, default=NeedKind.OTHER
    )
    title = models.CharField(_("rubrik"), max_length=200)
    description = models.TextField(_("beskrivning"))
    proposal_text = models.TextField(_("förslag till beslut"), blank=True)
    target_forum = models.ForeignKey(
        Forum,
        verbose_name=_("för beslut i"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incoming_matters",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=MatterStatus.choices, default=MatterStatus.REGISTERED
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registrerat av"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    prepared_on = models.DateField(_("berett"), null=True, blank=True)

    class Meta:
        verbose_name = _("ärende")
        verbose_name_plural = _("ärenden")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["forum", "status"]),
            models.Index(fields=["target_forum", "status"]),
        ]

    def __str__(self) -> str:
        return self.title


class AgendaItem(VersionedModel):
    """One item of a meeting's agenda, with its part of the minutes."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(_("punkt"))
    title = models.CharField(_("rubrik"), max_length=200)
    description = models.TextField(_("underlag"), blank=True)
    minutes = models.TextField(_("protokollstext"), blank=True)
    matter = models.ForeignKey(
        Matter,
        verbose_name=_("ärende"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agenda_items",
    )

    class Meta:
        verbose_name = _("dagordningspunkt")
        verbose_name_plural = _("dagordningspunkter")
        ordering = ["meeting", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "position"], name="governance_unique_item_position"
            )
        ]

    def __str__(self) -> str:
        return f"§{self.position} {self.title}"


class DecisionCounter(models.Model):
    """The last decision number used per forum and year, taken under a row lock: numbers come
    without gaps (a rolled-back decision rolls its number back too)."""

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["forum", "year"], name="governance_one_counter")
        ]

    def __str__(self) -> str:
        return f"{self.forum_id} {self.year}: {self.last}"


class Decision(VersionedModel):
    """A numbered decision of a forum, taken at a meeting. Final once the meeting's minutes are
    approved: only its follow-up status moves on; a correction is a new decision (`corrects`)."""

    forum = models.ForeignKey(
        Forum, verbose_name=_("forum"), on_delete=models.PROTECT, related_name="decisions"
    )
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("möte"), on_delete=models.PROTECT, related_name="decisions"
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("dagordningspunkt"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    matter = models.ForeignKey(
        Matter,
        verbose_name=_("ärende"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    number = models.CharField(_("beslutsnummer"), max_length=30)
    year = models.PositiveSmallIntegerField(_("år"))
    sequence = models.PositiveIntegerField(_("löpnummer"))
    decided_on = models.DateField(_("beslutsdatum"))
    scope = models.CharField(_("omfattning"), max_length=12, choices=DecisionScope.choices)
    municipality = models.ForeignKey(
        OrgNode,
        verbose_name=_("kommun"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(_("rubrik"), max_length=200)
    text = models.TextField(_("beslutstext"))
    status = models.CharField(
        _("status"), max_length=12, choices=DecisionStatus.choices, default=DecisionStatus.DECIDED
    )
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("rättar beslut"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registrerat av"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("beslut")
        verbose_name_plural = _("beslut")
        ordering = ["-decided_on", "-pk"]
        indexes = [
            models.Index(fields=["forum", "-decided_on"]),
            models.Index(fields=["status", "-decided_on"]),
            models.Index(fields=["scope", "-decided_on"]),
            models.Index(fields=["-decided_on", "-id"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["forum", "number"], name="governance_unique_number"),
            models.UniqueConstraint(
                fields=["forum", "year", "sequence"], name="governance_unique_sequence"
            ),
            models.CheckConstraint(
                condition=(Q(scope="municipality") & Q(municipality__isnull=False))
                | (Q(scope="cooperation") & Q(municipality__isnull=True)),
                name="governance_scope_matches_municipality",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class GovernedLink(TimestampedModel):
    """What a decision governs: any object of a registered kind (`governed.register_governed_kind`),
    by content type and id. `label` keeps the object's name as it was when linked."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="links")
    kind = models.CharField(_("typ"), max_length=40)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    label = models.CharField(_("benämning"), max_length=300)

    class Meta:
        verbose_name = _("styrt objekt")
        verbose_name_plural = _("styrda objekt")
        ordering = ["decision", "kind", "label"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "content_type", "object_id"], name="governance_unique_link"
            )
        ]

    def __str__(self) -> str:
        return self.label


class Agreement(VersionedModel):
    """The cooperation agreement (R6) with the sections the pre-study lists."""

    cooperation = models.OneToOneField(
        Cooperation, verbose_name=_("samverkan"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("rubrik"), max_length=200)
    background = models.TextField(_("bakgrund"), blank=True)
    purpose = models.TextField(_("syfte och gemensam målbild"), blank=True)
    starts_on = models.DateField(_("gäller från"))
    ends_on = models.DateField(_("gäller till"), null=True, blank=True)
    extension_terms = models.TextField(_("villkor för förlängning"), blank=True)
    commitments = models.TextField(_("åtaganden"), blank=True)
    scope_and_documents = models.TextField(_("omfattning och handlingar"), blank=True)
    compensation = models.TextField(_("ersättning"), blank=True)
    payment_terms = models.TextField(_("betalning och fakturering"), blank=True)
    disputes = models.TextField(_("tvistlösning"), blank=True)
    amendment_procedure = models.TextField(_("ändringar och tillägg till avtal"), blank=True)
    notice_months = models.PositiveSmallIntegerField(_("uppsägningstid (månader)"))
    exit_process = models.TextField(_("uppsägning och avveckling"), blank=True)
    exit_fee = models.TextField(_("avgifter vid utträde"), blank=True)
    veto = models.TextField(_("vetorätt"), blank=True)
    governance = models.TextField(_("styrning och ledning"), blank=True)
    budget = models.TextField(_("verksamhetsstyrning och budget"), blank=True)
    cost_distribution = models.TextField(_("fördelning av kostnader"), blank=True)
    allocation_keys = models.ManyToManyField(
        "billing.AllocationKey",
        verbose_name=_("fördelningsnycklar"),
        blank=True,
        related_name="+",
    )
    investments = models.TextField(_("investeringar och fastigheter"), blank=True)
    insight = models.TextField(_("insyn i förvaltningen"), blank=True)
    archiving = models.TextField(_("arkivhantering"), blank=True)
    insurance = models.TextField(_("försäkringar"), blank=True)
    evaluation = models.TextField(_("utvärdering av samarbetet"), blank=True)
    appendices = models.TextField(_("bilagor"), blank=True)

    class Meta:
        verbose_name = _("samverkansavtal")
        verbose_name_plural = _("samverkansavtal")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gt=models.F("starts_on")),
                name="governance_agreement_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title


class AgreementParty(VersionedModel):
    """A municipality party to the agreement, with its organisation number and role."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="parties")
    municipality = models.ForeignKey(
        OrgNode, verbose_name=_("kommun"), on_delete=models.PROTECT, related_name="+"
    )
    organisation_number = models.CharField(_("organisationsnummer"), max_length=11, blank=True)
    role = models.CharField(_("roll"), max_length=10, choices=PartyRole.choices)
    joined_on = models.DateField(_("part från"))
    left_on = models.DateField(_("part till"), null=True, blank=True)

    class Meta:
        verbose_name = _("avtalspart")
        verbose_name_plural = _("avtalsparter")
        ordering = ["agreement", "-role", "municipality__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "municipality", "joined_on"],
                name="governance_unique_party_period",
            )
        ]

    def __str__(self) -> str:
        return f"{self.municipality} ({self.get_role_display()})"


class Amendment(VersionedModel):
    """A numbered amendment of the agreement. A join or a leave changes the parties and the
    cooperation's membership from `effective_on`."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="amendments")
    number = models.PositiveSmallIntegerField(_("nummer"))
    kind = models.CharField(_("typ"), max_length=10, choices=AmendmentKind.choices)
    effective_on = models.DateField(_("gäller från"))
    municipality = models.ForeignKey(
        OrgNode,
        verbose_name=_("kommun"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decision = models.ForeignKey(
        Decision,
        verbose_name=_("beslut"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    description = models.TextField(_("beskrivning"))
    # When the amendment took effect in the register: a join or a leave changes the parties and
    # the membership then. Empty: proposed, waiting for its decision.
    applied_at = models.DateTimeField(_("verkställd"), null=True, blank=True)

    class Meta:
        verbose_name = _("avtalsändring")
        verbose_name_plural = _("avtalsändringar")
        ordering = ["agreement", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "number"], name="governance_unique_amendment_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.get_kind_display()}"


class Evaluation(VersionedModel):
    """A planned evaluation of the cooperation; the worker sends a reminder ahead of it."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="evaluations")
    due_on = models.DateField(_("datum"))
    description = models.CharField(_("vad utvärderas"), max_length=300)
    reminded_at = models.DateTimeField(_("påminnelse skickad"), null=True, blank=True)
    done_on = models.DateField(_("genomförd"), null=True, blank=True)
    outcome = models.TextField(_("resultat"), blank=True)

    class Meta:
        verbose_name = _("utvärdering")
        verbose_name_plural = _("utvärderingar")
        ordering = ["agreement", "due_on"]
        indexes = [models.Index(fields=["done_on", "reminded_at", "due_on"])]

    def __str__(self) -> str:
        return f"{self.due_on.isoformat()} {self.description}"
