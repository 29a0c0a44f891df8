"""Every change of the chat: typed, keyword-only, atomic, audited, permission-checked.

Errors as everywhere: a conversation the actor may not see is NotFound (404), one they see but
may not change is Forbidden (403), bad input is ValidationFailed (400) naming the field, and a
conversation somebody else picked up first is Conflict (409). A refused call changes nothing.

The conversation becomes the ticket's history through the service desk's own services
(`ticket_create`, `entry_add`): picking a chat up registers a ticket (channel portal) assigned
to the agent; ending a chat nobody picked up registers it as the user's own portal report. Every
message is then copied to the ticket as a public entry, at the moment it was written.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from itfabrik.accounts.models import User
from itfabrik.core import audit, permissions
from itfabrik.core.actors import Actor
from itfabrik.core.errors import Conflict, Forbidden, ValidationFailed
from itfabrik.core.models import AuditAction
from itfabrik.core.services import create_audited
from itfabrik.servicedesk import services as desk
from itfabrik.servicedesk.choices import Channel, EntryKind, Level, TicketStatus

from . import opening, selectors
from . import permissions as actions
from .choices import ConversationStatus, MessageKind
from .models import Conversation, Message

MAX_BODY = 4000
MAX_TOPIC = 200


def _user(actor: Actor) -> User | None:
    return actor if isinstance(actor, User) and actor.is_authenticated else None


def _body(text: str, field: str = "body") -> str:
    body = (text or "").strip()
    if not body:
        raise ValidationFailed(fields={field: [_("Skriv ett meddelande.")]})
    if len(body) > MAX_BODY:
        raise ValidationFailed(fields={field: [_("Meddelandet får vara högst 4000 tecken långt.")]})
    return body


def _topic(body: str) -> str:
    first = body.splitlines()[0].strip()
    return first if len(first) <= MAX_TOPIC else first[: MAX_TOPIC - 1] + "…"


def _message(
    actor: Actor, conversation: Conversation, kind: str, body: str, author: User | None
) -> Message:
    return create_audited(
        actor=actor,
        instance=Message(conversation=conversation, kind=kind, author=author, body=body),
        scope_path=conversation.unit.path,
        exclude=["conversation", "author"],
    )


def _change(actor: Actor, current: Conversation, changes: dict[str, Any]) -> Conversation:
    """Apply `changes` to the locked (or just claimed) row, one version up, audited."""
    before = audit.snapshot(current)
    for name, value in changes.items():
        setattr(current, name, value)
    current.version += 1
    current.save(update_fields=[*changes, "version", "updated_at"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=current,
        before=before,
        after=audit.snapshot(current),
        scope_path=current.unit.path,
    )
    return current


def _locked(actor: Actor, conversation: Conversation) -> Conversation:
    selectors.conversation_get(actor=actor, pk=conversation.pk)  # NotFound outside the scope
    return Conversation.objects.select_for_update().select_related("unit").get(pk=conversation.pk)


def _transcribe(current: Conversation) -> dict[str, Any]:
    """Copy the messages not yet on the ticket to it as public entries, each by its author at
    its own time. A closed ticket takes no more entries: the chat keeps them."""
    if current.ticket_id is None:
        return {}
    ticket = desk.Ticket.objects.select_related("unit").get(pk=current.ticket_id)
    if ticket.status == TicketStatus.CLOSED:
        return {}
    last = current.transcribed_upto
    rows = Message.objects.filter(
        conversation=current, pk__gt=last, kind=MessageKind.TEXT
    ).select_related("author")
    for message in rows.order_by("pk"):
        if message.author is None:  # only the chat's own notices lack an author
            continue
        desk.entry_add(
            actor=message.author,
            ticket=ticket,
            kind=EntryKind.PUBLIC,
            body=message.body,
            at=message.created_at,
        )
        last = message.pk
    return {"transcribed_upto": last} if last != current.transcribed_upto else {}


def _first_body(conversation: Conversation) -> str:
    first = Message.objects.filter(conversation=conversation).order_by("pk").first()
    return first.body if first is not None else conversation.topic


def conversation_start(*, actor: Actor, body: str, at: dt.datetime | None = None) -> Conversation:
    """An end user opens a chat about `body` (its first line is the topic), only while the
    service desk's calendar says the chat is open. `at`: the moment the opening hours are
    checked for (the demo's history); the pages never pass it."""
    user = _user(actor)
    unit = getattr(user, "home_unit", None)
    if user is None or unit is None or not permissions.can(actor, actions.START_CHAT, unit):
        raise Forbidden()
    text = _body(body)
    if not opening.opening(unit.cooperation_id, at).is_open:
        raise ValidationFailed(
            fields={"body": [_("Chatten är stängd just nu. Skicka en anmälan i stället.")]}
        )
    with transaction.atomic():
        conversation = create_audited(
            actor=actor,
            instance=Conversation(
                cooperation_id=unit.cooperation_id,
                requester=user,
                unit=unit,
                topic=_topic(text),
            ),
            scope_path=unit.path,
            exclude=["cooperation", "requester", "unit", "agent", "ticket"],
        )
        _message(actor, conversation, MessageKind.TEXT, text, user)
        return conversation


def conversation_pick(*, actor: Actor, conversation: Conversation) -> Conversation:
    """An agent takes a waiting conversation. Exactly one agent gets it: the claim is one
    conditional UPDATE (status still waiting), so of two agents clicking at once the second
    updates no row and is told; then the ticket is registered and assigned to the winner."""
    user = _user(actor)
    seen = selectors.conversation_get(actor=actor, pk=conversation.pk)
    if user is None or not selectors.may_answer(actor, seen):
        raise Forbidden()
    now = timezone.now()
    with transaction.atomic():
        claimed = Conversation.objects.filter(
            pk=seen.pk, status=ConversationStatus.WAITING, agent__isnull=True
        ).update(
            status=ConversationStatus.ACTIVE,
            agent=user,
            picked_at=now,
            version=F("version") + 1,
            updated_at=now,
        )
        if not claimed:
            raise Conflict(
                message=_("Någon annan har redan tagit chatten, eller så är den avslutad.")
            )
        current = Conversation.objects.select_for_update().select_related("unit").get(pk=seen.pk)
        # The row as it stood when claimed: waiting, so nothing else of it can have moved.
        before = audit.snapshot(seen)
        ticket = desk.ticket_create(
            actor=actor,
            requester=current.requester,
            title=_t("Chatt: %(topic)s") % {"topic": current.topic},
            description=_first_body(current),
            impact=Level.LOW,
            urgency=Level.MEDIUM,
            channel=Channel.PORTAL,
            unit=current.unit,
            reported_at=current.created_at,
            assignee=user,
        )
        current.ticket = ticket
        current.save(update_fields=["ticket"])
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=current,
            before=before,
            after=audit.snapshot(current),
            scope_path=current.unit.path,
        )
        _message(
            actor,
            current,
            MessageKind.PICKED,
            _t("%(agent)s har tagit chatten (ärende %(reference)s).")
            % {"agent": user.get_full_name() or user.get_username(), "reference": ticket.reference},
            user,
        )
        changes = _transcribe(current)
        return _change(actor, current, changes) if changes else current


def message_send(*, actor: Actor, conversation: Conversation, body: str) -> Message:
    """A message from the user who started the chat or from the agent who picked it up."""
    user = _user(actor)
    text = _body(body)
    with transaction.atomic():
        current = _locked(actor, conversation)
        if user is None or (current.requester_id != user.pk and current.agent_id != user.pk):
            raise Forbidden()
        if current.status == ConversationStatus.ENDED:
            raise ValidationFailed(fields={"body": [_("Chatten är avslutad.")]})
        message = _message(actor, current, MessageKind.TEXT, text, user)
        changes = _transcribe(current)
        if changes:
            _change(actor, current, changes)
        return message


def conversation_end(*, actor: Actor, conversation: Conversation) -> Conversation:
    """End the chat (the user, or the agent who has it). A chat nobody picked up becomes the
    user's own portal report, so the question is not lost."""
    user = _user(actor)
    with transaction.atomic():
        current = _locked(actor, conversation)
        if user is None or (current.requester_id != user.pk and current.agent_id != user.pk):
            raise Forbidden()
        if current.status == ConversationStatus.ENDED:
            raise Conflict(message=_("Chatten är redan avslutad."))
        changes: dict[str, Any] = {
            "status": ConversationStatus.ENDED,
            "ended_at": timezone.now(),
        }
        if current.ticket_id is None and current.requester_id == user.pk:
            ticket = desk.ticket_create(
                actor=actor,
                requester=user,
                title=_t("Chatt: %(topic)s") % {"topic": current.topic},
                description=_t("Chatten avslutades innan någon hann svara."),
                impact=Level.LOW,
                urgency=Level.MEDIUM,
            )
            current.ticket = ticket
            changes["ticket"] = ticket
        _message(
            actor,
            current,
            MessageKind.ENDED,
            _t("%(name)s avslutade chatten.")
            % {"name": user.get_full_name() or user.get_username()},
            user,
        )
        changes.update(_transcribe(current))
        return _change(actor, current, changes)
