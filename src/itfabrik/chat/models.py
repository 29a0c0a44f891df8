"""A chat conversation between an end user and a 1st-line agent, and its messages.

The messages' own ids are the server-sent events' ids: they only grow, so "everything after the
last id I saw" is one indexed range query and a reconnect neither loses nor repeats a message.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from itfabrik.core.models import VersionedModel
from itfabrik.servicedesk.models import Ticket
from itfabrik.tenancy.models import Cooperation, OrgNode

from .choices import ConversationStatus, MessageKind


class Conversation(VersionedModel):
    cooperation = models.ForeignKey(
        Cooperation, verbose_name=_("samverkan"), on_delete=models.PROTECT, related_name="+"
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("användare"),
        on_delete=models.PROTECT,
        related_name="chat_conversations",
    )
    # The requester's workplace when the chat started: what staff scope is checked against.
    unit = models.ForeignKey(
        OrgNode, verbose_name=_("arbetsplats"), on_delete=models.PROTECT, related_name="+"
    )
    topic = models.CharField(_("ämne"), max_length=200)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ConversationStatus.choices,
        default=ConversationStatus.WAITING,
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handläggare"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    ticket = models.ForeignKey(
        Ticket,
        verbose_name=_("ärende"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    picked_at = models.DateTimeField(_("besvarad"), null=True, blank=True)
    ended_at = models.DateTimeField(_("avslutad"), null=True, blank=True)
    # The last message copied into the ticket as an entry (0: none yet).
    transcribed_upto = models.BigIntegerField(_("överfört t.o.m. meddelande"), default=0)

    class Meta:
        verbose_name = _("chattsamtal")
        verbose_name_plural = _("chattsamtal")
        indexes = [
            # The agents' queue: waiting conversations of a cooperation, oldest first.
            models.Index(fields=["cooperation", "status", "created_at"], name="chat_queue_idx"),
            models.Index(fields=["requester", "-created_at"], name="chat_requester_idx"),
        ]

    def __str__(self) -> str:
        return self.topic


class Message(models.Model):
    conversation = models.ForeignKey(
        Conversation,
        verbose_name=_("chattsamtal"),
        on_delete=models.PROTECT,
        related_name="messages",
    )
    kind = models.CharField(
        _("typ"), max_length=16, choices=MessageKind.choices, default=MessageKind.TEXT
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("avsändare"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    body = models.TextField(_("meddelande"), max_length=4000)
    created_at = models.DateTimeField(_("skickat"), auto_now_add=True)

    class Meta:
        verbose_name = _("chattmeddelande")
        verbose_name_plural = _("chattmeddelanden")
        indexes = [models.Index(fields=["conversation", "id"], name="chat_message_after_idx")]

    def __str__(self) -> str:
        return self.body[:60]
