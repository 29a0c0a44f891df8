"""On-site visits (R20): a technician's time blocks per municipality and the bookings in them.

A `Block` is one half-day (förmiddag or eftermiddag) that a technician spends in one municipality,
with room for `capacity` visits. `booked` counts the active bookings; it is only ever changed by
a conditional UPDATE (`booked < capacity`) and guarded by a check constraint, so two people can
never both take the last place (ADR 0026). Nothing is deleted: a block is closed
(`is_open=False`), a booking cancelled, a visit request closed. Every change is audited by the
services.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from itfabrik.core.models import TimestampedModel, VersionedModel
from itfabrik.servicedesk.models import Ticket
from itfabrik.tenancy.models import Cooperation, OrgNode

from .choices import BlockPart, BookingStatus, VisitRequestSource

MAX_CAPACITY = 20


class Block(VersionedModel):
    cooperation = models.ForeignKey(
        Cooperation, verbose_name=_("samverkan"), on_delete=models.PROTECT, related_name="+"
    )
    municipality = models.ForeignKey(
        OrgNode, verbose_name=_("kommun"), on_delete=models.PROTECT, related_name="+"
    )
    technician = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tekniker"),
        on_delete=models.PROTECT,
        related_name="visit_blocks",
    )
    date = models.DateField(_("datum"))
    part = models.CharField(_("del av dagen"), max_length=10, choices=BlockPart.choices)
    starts_at = models.DateTimeField(_("börjar"))
    ends_at = models.DateTimeField(_("slutar"))
    capacity = models.PositiveSmallIntegerField(
        _("antal besök"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_CAPACITY)],
    )
    booked = models.PositiveSmallIntegerField(_("bokade"), default=0)
    is_open = models.BooleanField(_("öppet för bokning"), default=True)
    note = models.CharField(_("anteckning"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("besökspass")
        verbose_name_plural = _("besökspass")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["technician", "date", "part"], name="bookings_unique_block"
            ),
            models.CheckConstraint(
                condition=Q(booked__lte=F("capacity")), name="bookings_block_not_overbooked"
            ),
            models.CheckConstraint(
                condition=Q(starts_at__lt=F("ends_at")), name="bookings_block_times"
            ),
        ]
        indexes = [
            # The portal's free blocks of one municipality, soonest first.
            models.Index(fields=["municipality", "starts_at"], name="bookings_free_idx"),
            # A technician's calendar week.
            models.Index(fields=["technician", "starts_at"], name="bookings_calendar_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.get_part_display()} {self.technician}"

    @property
    def free(self) -> int:
        return max(self.capacity - self.booked, 0)


class Booking(VersionedModel):
    block = models.ForeignKey(
        Block, verbose_name=_("besökspass"), on_delete=models.PROTECT, related_name="bookings"
    )
    ticket = models.ForeignKey(
        Ticket, verbose_name=_("ärende"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=BookingStatus.choices, default=BookingStatus.ACTIVE
    )
    note = models.CharField(_("meddelande till teknikern"), max_length=500, blank=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("bokad av"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Did this booking put the ticket on hold (so that it, and only it, resumes the ticket)?
    paused_sla = models.BooleanField(_("pausade SLA"), default=False)
    resumed_at = models.DateTimeField(_("SLA återupptagen"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("avbokad"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("avbokad av"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("bokning")
        verbose_name_plural = _("bokningar")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["ticket"],
                condition=Q(status=BookingStatus.ACTIVE),
                name="bookings_one_active_per_ticket",
            ),
        ]
        indexes = [
            models.Index(fields=["block", "status"], name="bookings_block_status_idx"),
            models.Index(fields=["ticket", "status"], name="bookings_ticket_idx"),
            # The resume sweep: active bookings still holding their ticket.
            models.Index(fields=["status", "paused_sla", "resumed_at"], name="bookings_resume_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id} @ {self.block_id}"


class VisitRequest(TimestampedModel):
    """ "This ticket needs someone on site": marked by an agent or asked for by the requester.
    Open until a visit is booked (or an agent closes it)."""

    ticket = models.ForeignKey(
        Ticket, verbose_name=_("ärende"), on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField(_("begärt av"), max_length=10, choices=VisitRequestSource.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("markerat av"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.CharField(_("anteckning"), max_length=500, blank=True)
    is_open = models.BooleanField(_("öppen"), default=True)

    class Meta:
        verbose_name = _("besöksbehov")
        verbose_name_plural = _("besöksbehov")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["ticket"], condition=Q(is_open=True), name="bookings_one_open_request"
            ),
        ]
        indexes = [models.Index(fields=["ticket", "is_open"], name="bookings_request_idx")]

    def __str__(self) -> str:
        return f"{self.ticket_id} ({self.source})"


def _register_constraint_messages() -> None:
    from itfabrik.core.constraints import register

    register(
        "bookings_unique_block",
        field="part",
        message=lambda block, other: _("Teknikern har redan ett pass den delen av dagen."),
    )
    register(
        "bookings_block_not_overbooked",
        field="capacity",
        message=lambda block: _("Passet har fler bokade besök än så. Boka om eller avboka först."),
    )
    register(
        "bookings_block_times",
        field="ends_at",
        message=lambda block: _("Passet måste sluta efter att det börjar."),
    )
    register(
        "bookings_one_active_per_ticket",
        field="block",
        message=lambda booking, other: _(
            "Ärendet har redan ett bokat besök. Boka om det i stället."
        ),
    )
    register(
        "bookings_one_open_request",
        field="ticket",
        message=lambda request, other: _("Ärendet är redan markerat för besök."),
    )


_register_constraint_messages()


class FeedToken(TimestampedModel):
    """The secret in a technician's calendar-feed address. Calendar programs cannot sign in, so
    the address itself is the credential: long and random, shown once, replaced on request.
    Only its SHA-256 digest is stored (and so only the digest reaches the audit trail)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="visit_feed",
    )
    digest = models.CharField(_("nyckelns kontrollsumma"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("kalenderlänk")
        verbose_name_plural = _("kalenderlänkar")

    def __str__(self) -> str:
        return str(self.user)
