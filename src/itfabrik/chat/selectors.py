"""Reads of the chat: every one takes the actor and applies scope.

A conversation is visible to the person who started it and to staff holding `answer_chat` on
the requester's workplace (the cooperation's agents). Anything else is NotFound.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from itfabrik.core import permissions
from itfabrik.core.actors import Actor
from itfabrik.core.selectors import get_or_not_found

from . import permissions as actions
from .choices import ConversationStatus
from .models import Conversation, Message


def visible_q(actor: Actor) -> Q:
    if permissions.is_superuser(actor):
        return Q()
    q = permissions.scope_q(actor, actions.ANSWER_CHAT, path_field="unit__path")
    if getattr(actor, "is_authenticated", False) and actor.pk is not None:
        q |= Q(requester_id=actor.pk)
    return q


def is_agent(actor: Actor) -> bool:
    return permissions.can_anywhere(actor, actions.ANSWER_CHAT)


def may_answer(actor: Actor, conversation: Conversation) -> bool:
    return permissions.can(actor, actions.ANSWER_CHAT, conversation.unit)


def conversation_get(*, actor: Actor, pk: Any) -> Conversation:
    qs = Conversation.objects.filter(visible_q(actor)).select_related(
        "requester", "agent", "unit", "ticket"
    )
    return get_or_not_found(qs, pk)


def waiting_list(*, actor: Actor) -> QuerySet[Conversation]:
    """The queue: waiting conversations the agent may answer, the longest waiting first."""
    if not is_agent(actor):
        return Conversation.objects.none()
    return (
        Conversation.objects.filter(
            permissions.scope_q(actor, actions.ANSWER_CHAT, path_field="unit__path"),
            status=ConversationStatus.WAITING,
        )
        .select_related("requester", "unit")
        .order_by("created_at", "pk")
    )


def my_active_conversation_get(*, actor: Actor) -> QuerySet[Conversation]:
    """The conversations the agent has picked up and not ended."""
    return (
        Conversation.objects.filter(agent_id=actor.pk, status=ConversationStatus.ACTIVE)
        .select_related("requester", "ticket")
        .order_by("picked_at", "pk")
    )


def my_conversation_list(*, actor: Actor) -> QuerySet[Conversation]:
    return (
        Conversation.objects.filter(requester_id=actor.pk)
        .select_related("agent", "ticket")
        .order_by("-created_at", "-pk")
    )


def message_after_list(*, conversation: Conversation, after: int = 0) -> QuerySet[Message]:
    """The conversation's messages after the event id `after`, oldest first (the caller has
    fetched `conversation` through conversation_get, which checked the scope)."""
    return (
        Message.objects.filter(conversation=conversation, pk__gt=after)
        .select_related("author")
        .order_by("pk")
    )
