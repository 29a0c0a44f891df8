"""Every read of the e-mail channel: scoped by `mailchannel.view_mail` on the record's path."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from itfabrik.core import permissions
from itfabrik.core.actors import Actor
from itfabrik.core.errors import NotFound
from itfabrik.core.selectors import get_or_not_found
from itfabrik.servicedesk.models import Ticket

from . import permissions as actions
from .filters import InboundFilter
from .models import InboundAttachment, InboundMessage, OutboundMessage

SORTS = {"newest": ("-created_at", "-id"), "oldest": ("created_at", "id")}


def may_view(actor: Actor) -> bool:
    return permissions.can_anywhere(actor, actions.VIEW_MAIL)


def inbound_list(*, actor: Actor, sort: str = "newest", **filters: Any) -> QuerySet[InboundMessage]:
    """Processed messages the actor may see, filtered and sorted in the database."""
    if not may_view(actor):
        raise NotFound()
    qs = (
        InboundMessage.objects.filter(permissions.scope_q(actor, actions.VIEW_MAIL))
        .select_related("ticket")
        .order_by(*SORTS.get(sort, SORTS["newest"]))
    )
    return InboundFilter.apply(qs, **filters)


def inbound_get(*, actor: Actor, pk: Any) -> InboundMessage:
    qs = InboundMessage.objects.filter(permissions.scope_q(actor, actions.VIEW_MAIL))
    return get_or_not_found(qs.select_related("ticket", "entry"), pk)


def attachment_list(*, message: InboundMessage) -> QuerySet[InboundAttachment]:
    return InboundAttachment.objects.filter(message=message).defer("data").order_by("pk")


def attachment_get(*, actor: Actor, pk: Any) -> InboundAttachment:
    qs = InboundAttachment.objects.filter(
        permissions.scope_q(actor, actions.VIEW_MAIL, path_field="message__path")
    )
    return get_or_not_found(qs, pk)


def ticket_mail_list(*, actor: Actor, ticket: Ticket) -> list[Any]:
    """The ticket's mail conversation, inbound and outbound, oldest first (for the reply page)."""
    if not permissions.can(actor, actions.VIEW_MAIL, ticket.unit):
        raise NotFound()
    inbound = list(InboundMessage.objects.filter(ticket=ticket).order_by("created_at", "pk")[:200])
    outbound = list(
        OutboundMessage.objects.filter(ticket=ticket).order_by("created_at", "pk")[:200]
    )
    return sorted([*inbound, *outbound], key=lambda m: (m.created_at, m.pk))
