"""The e-mail channel's records: every inbound message processed (once, by Message-ID), the
attachments kept from them, and every outbound mail sent about a ticket (its Message-ID is how
a reply finds its way back, ADR 0023).

`path` is the scope of a record: the ticket's unit when there is a ticket, else the root of the
mailbox's cooperation, so staff see the messages of the tickets they may see. Records are never
deleted (they are public records); retention belongs to a gallring rule.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from itfabrik.core.models import TimestampedModel
from itfabrik.servicedesk.models import Ticket, TicketEntry
from itfabrik.tenancy.models import Cooperation

from .choices import OutboundKind, Outcome, SendStatus, Source


class InboundMessage(TimestampedModel):
    cooperation = models.ForeignKey(
        Cooperation, verbose_name=_("samverkan"), on_delete=models.PROTECT, related_name="+"
    )
    path = models.CharField(_("behörighetsnod"), max_length=255, db_index=True)
    message_id = models.CharField(_("Message-ID"), max_length=255, unique=True)
    sender = models.CharField(_("avsändare"), max_length=254)
    sender_name = models.CharField(_("avsändarens namn"), max_length=200, blank=True)
    subject = models.CharField(_("ämne"), max_length=300, blank=True)
    sent_at = models.DateTimeField(_("skickat"), null=True, blank=True)
    in_reply_to = models.CharField(_("In-Reply-To"), max_length=998, blank=True)
    references = models.TextField(_("References"), blank=True)
    source = models.CharField(_("källa"), max_length=10, choices=Source.choices)
    outcome = models.CharField(_("utfall"), max_length=20, choices=Outcome.choices)
    detail = models.TextField(_("detaljer"), blank=True)
    size = models.PositiveIntegerField(_("storlek (byte)"), default=0)
    ticket = models.ForeignKey(
        Ticket,
        verbose_name=_("ärende"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    entry = models.ForeignKey(
        TicketEntry,
        verbose_name=_("ärendepost"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("inkommande e-post")
        verbose_name_plural = _("inkommande e-post")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The staff list, newest first, optionally by outcome.
            models.Index(fields=["-created_at", "-id"], name="mailchannel_in_list_idx"),
            models.Index(fields=["outcome", "-created_at"], name="mailchannel_in_outcome_idx"),
            # The rate limit per sender.
            models.Index(fields=["sender", "created_at"], name="mailchannel_in_sender_idx"),
            models.Index(fields=["ticket", "created_at"], name="mailchannel_in_ticket_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.sender}: {self.subject}"


class InboundAttachment(TimestampedModel):
    """An attachment kept from an inbound mail. In the database, not in MEDIA_ROOT: it is small
    (the size limit), is rolled back with the rest of a failed message, and needs no shared
    disk between web processes (ADR 0023)."""

    message = models.ForeignKey(
        InboundMessage,
        verbose_name=_("meddelande"),
        on_delete=models.PROTECT,
        related_name="attachments",
    )
    ticket = models.ForeignKey(
        Ticket, verbose_name=_("ärende"), on_delete=models.PROTECT, related_name="+"
    )
    filename = models.CharField(_("filnamn"), max_length=200)
    content_type = models.CharField(_("innehållstyp"), max_length=100)
    size = models.PositiveIntegerField(_("storlek (byte)"))
    data = models.BinaryField(_("innehåll"))

    class Meta:
        verbose_name = _("bilaga")
        verbose_name_plural = _("bilagor")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.filename


class OutboundMessage(TimestampedModel):
    ticket = models.ForeignKey(
        Ticket, verbose_name=_("ärende"), on_delete=models.PROTECT, related_name="+"
    )
    path = models.CharField(_("behörighetsnod"), max_length=255, db_index=True)
    kind = models.CharField(_("typ"), max_length=10, choices=OutboundKind.choices)
    message_id = models.CharField(_("Message-ID"), max_length=255, unique=True)
    in_reply_to = models.CharField(_("In-Reply-To"), max_length=255, blank=True)
    references = models.TextField(_("References"), blank=True)
    recipient = models.CharField(_("mottagare"), max_length=254, blank=True)
    subject = models.CharField(_("ämne"), max_length=300)
    body = models.TextField(_("text"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=SendStatus.choices, default=SendStatus.PENDING
    )
    error = models.TextField(_("fel"), blank=True)
    sent_at = models.DateTimeField(_("skickat"), null=True, blank=True)
    entry = models.ForeignKey(
        TicketEntry,
        verbose_name=_("ärendepost"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("utgående e-post")
        verbose_name_plural = _("utgående e-post")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["ticket", "created_at"], name="mailchannel_out_ticket_idx")]

    def __str__(self) -> str:
        return self.subject
