"""The chat's services: start only while open, exactly one agent picks up, the conversation
becomes the ticket's history through the service desk's services, refused writes change
nothing."""

from __future__ import annotations

import os
import threading
from typing import Any

import pytest

from itfabrik.chat import services
from itfabrik.chat.choices import ConversationStatus, MessageKind
from itfabrik.chat.models import Conversation, Message
from itfabrik.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from itfabrik.core.models import AuditEntry
from itfabrik.core.tests import assert_unchanged, db_state
from itfabrik.servicedesk.choices import Channel, EntryKind, TicketStatus
from itfabrik.servicedesk.models import Ticket, TicketEntry

pytestmark = pytest.mark.django_db


def test_start_writes_conversation_and_first_message_audited(chat: Any) -> None:
    conv = chat.start()
    assert conv.status == ConversationStatus.WAITING
    assert conv.topic == "Outlook startar inte"
    assert conv.unit_id == chat.fia.home_unit_id
    [message] = Message.objects.filter(conversation=conv)
    assert message.body == "Outlook startar inte\nDet hänger sig."
    assert AuditEntry.objects.filter(object_type="chat.conversation", object_id=str(conv.pk))
    assert AuditEntry.objects.filter(object_type="chat.message", object_id=str(message.pk))


def test_start_outside_opening_hours_is_refused_and_changes_nothing(chat: Any) -> None:
    chat.close()
    before = db_state()
    with pytest.raises(ValidationFailed) as exc:
        chat.start()
    assert "body" in exc.value.fields
    assert_unchanged(before)


def test_empty_message_is_refused(chat: Any) -> None:
    before = db_state()
    with pytest.raises(ValidationFailed) as exc:
        chat.start(body="   ")
    assert exc.value.fields["body"]
    with pytest.raises(ValidationFailed):
        chat.start(body="x" * 4001)
    assert_unchanged(before)


def test_pick_up_creates_the_ticket_and_transcribes(chat: Any) -> None:
    conv = chat.start()
    conv = services.conversation_pick(actor=chat.agent, conversation=conv)
    assert conv.status == ConversationStatus.ACTIVE
    assert conv.agent_id == chat.agent.pk
    ticket = Ticket.objects.get(pk=conv.ticket_id)
    assert ticket.channel == Channel.PORTAL
    assert ticket.requester_id == chat.fia.pk
    assert ticket.assignee_id == chat.agent.pk
    assert ticket.group is not None
    assert ticket.group.kind == "first_line"
    assert ticket.reported_at == conv.created_at
    assert ticket.title == "Chatt: Outlook startar inte"
    entries = list(TicketEntry.objects.filter(ticket=ticket).order_by("pk"))
    assert [(e.kind, e.author_id, e.body) for e in entries] == [
        (EntryKind.PUBLIC, chat.fia.pk, "Outlook startar inte\nDet hänger sig.")
    ]
    assert Message.objects.filter(conversation=conv, kind=MessageKind.PICKED).count() == 1
    # Later messages on both sides go to the ticket as they are sent, each by its author.
    services.message_send(actor=chat.agent, conversation=conv, body="Hej! Har du startat om?")
    services.message_send(actor=chat.fia, conversation=conv, body="Ja, två gånger.")
    ended = services.conversation_end(actor=chat.agent, conversation=conv)
    assert ended.status == ConversationStatus.ENDED
    assert ended.ended_at is not None
    bodies = list(
        TicketEntry.objects.filter(ticket=ticket).order_by("pk").values_list("author_id", "body")
    )
    assert bodies[1:] == [
        (chat.agent.pk, "Hej! Har du startat om?"),
        (chat.fia.pk, "Ja, två gånger."),
    ]
    ticket.refresh_from_db()
    assert ticket.first_response_at is not None  # the agent's chat answer is the first response
    assert AuditEntry.objects.filter(object_type="servicedesk.ticketentry").count() >= 3
    last = Message.objects.filter(conversation=conv).order_by("pk").last()
    assert last is not None
    assert last.kind == MessageKind.ENDED
    assert (
        ended.transcribed_upto
        == Message.objects.filter(conversation=conv, kind=MessageKind.TEXT)
        .order_by("pk")
        .values_list("pk", flat=True)
        .last()
    )


def test_only_one_agent_gets_the_chat(chat: Any) -> None:
    """Both agents opened the queue (hold the same row); the second click finds the row no
    longer waiting: its conditional UPDATE hits nothing, it is told, and nothing changes."""
    conv = chat.start()
    seen_by_admin = Conversation.objects.get(pk=conv.pk)
    services.conversation_pick(actor=chat.agent, conversation=conv)
    before = db_state()
    with pytest.raises(Conflict):
        services.conversation_pick(actor=chat.admin, conversation=seen_by_admin)
    assert_unchanged(before)
    conv.refresh_from_db()
    assert conv.agent_id == chat.agent.pk
    assert Ticket.objects.filter(title="Chatt: Outlook startar inte").count() == 1


def test_ending_a_waiting_chat_makes_it_the_users_report(chat: Any) -> None:
    conv = chat.start()
    ended = services.conversation_end(actor=chat.fia, conversation=conv)
    ticket = Ticket.objects.get(pk=ended.ticket_id)
    assert (ticket.channel, ticket.requester_id, ticket.assignee_id) == (
        Channel.PORTAL,
        chat.fia.pk,
        None,
    )
    assert ticket.status == TicketStatus.NEW
    assert TicketEntry.objects.filter(ticket=ticket, body__startswith="Outlook startar").exists()


def test_scope_and_roles_refuse_without_change(chat: Any) -> None:
    conv = chat.start()
    before = db_state()
    with pytest.raises(NotFound):  # another end user: not even there
        services.message_send(actor=chat.bjorn, conversation=conv, body="hej")
    with pytest.raises(NotFound):
        services.conversation_end(actor=chat.bjorn, conversation=conv)
    with pytest.raises(NotFound):
        services.conversation_pick(actor=chat.bjorn, conversation=conv)
    with pytest.raises(NotFound):  # a technician does not answer chats
        services.conversation_pick(actor=chat.tekniker, conversation=conv)
    with pytest.raises(Forbidden):  # an agent may not write before picking it up
        services.message_send(actor=chat.agent, conversation=conv, body="hej")
    assert_unchanged(before)
    services.conversation_pick(actor=chat.agent, conversation=conv)
    before = db_state()
    with pytest.raises(Forbidden):  # another agent: it is not theirs
        services.message_send(actor=chat.admin, conversation=conv, body="hej")
    with pytest.raises(Forbidden):
        services.conversation_end(actor=chat.admin, conversation=conv)
    assert_unchanged(before)


def test_nothing_after_the_end(chat: Any) -> None:
    conv = chat.start()
    services.conversation_end(actor=chat.fia, conversation=conv)
    before = db_state()
    with pytest.raises(ValidationFailed):
        services.message_send(actor=chat.fia, conversation=conv, body="en sak till")
    with pytest.raises(Conflict):
        services.conversation_end(actor=chat.fia, conversation=conv)
    with pytest.raises(Conflict):
        services.conversation_pick(actor=chat.agent, conversation=conv)
    assert_unchanged(before)


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="two agents clicking at once need PostgreSQL (SQLite serialises writers)",
)
def test_two_agents_clicking_at_once_one_gets_it(
    demo_reloaded_afterwards: Any, transactional_db: Any, settings: Any
) -> None:
    """Two connections, released together by a barrier: exactly one claim hits the row."""
    from django.db import connections

    from itfabrik.accounts.models import User

    from .fixtures import OPEN_NOW

    settings.ITFABRIK_CHAT_NOW = OPEN_NOW
    fia = User.objects.get(username="anvandare-fargelanda")
    agents = [User.objects.get(username=name) for name in ("agent", "admin")]
    conv = services.conversation_start(actor=fia, body="Två handläggare samtidigt")
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def pick(agent: Any) -> None:
        try:
            barrier.wait()
            services.conversation_pick(actor=agent, conversation=conv)
            outcomes.append(f"won:{agent.username}")
        except Conflict:
            outcomes.append("conflict")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=pick, args=(a,)) for a in agents]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(o.split(":")[0] for o in outcomes) == ["conflict", "won"]
    conv.refresh_from_db()
    winner = next(o.split(":")[1] for o in outcomes if o.startswith("won"))
    assert conv.agent is not None
    assert conv.agent.username == winner
    assert Ticket.objects.filter(title="Chatt: Två handläggare samtidigt").count() == 1
    assert Message.objects.filter(conversation=conv, kind=MessageKind.PICKED).count() == 1
