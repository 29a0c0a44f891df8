"""The chat part of the Dalsland demo: one finished chat that became a ticket, so the agent's
ticket shows a chat transcript and Björn's portal shows a past conversation."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from itfabrik.core.registry import demo_step
from itfabrik.servicedesk import services as desk
from itfabrik.servicedesk.choices import TicketStatus

from . import opening, services
from .models import Conversation

TOPIC = "Jag kommer inte åt den delade mappen Elevhälsa"


def is_loaded() -> bool:
    return Conversation.objects.exists()


def _an_open_moment(cooperation_id: int) -> dt.datetime:
    """A morning in the past when the chat was open (the demo may be loaded at night or on a
    holiday, when starting a chat now would rightly be refused)."""
    moment = dt.datetime.combine(
        dt.date.today() - dt.timedelta(days=1), dt.time(10, 0), tzinfo=ZoneInfo("Europe/Stockholm")
    )
    for _day in range(60):
        if opening.opening(cooperation_id, moment).is_open:
            return moment
        moment -= dt.timedelta(days=1)
    raise RuntimeError("the chat calendar has no opening at 10:00 in the last 60 days")


@demo_step("chat", after=["accounts", "servicedesk"], loaded=is_loaded)
def load(ctx: dict[str, Any]) -> None:
    users = ctx["users"]
    bjorn, agent = users["anvandare-bengtsfors"], users["agent"]
    chat = services.conversation_start(
        actor=bjorn,
        body=f"{TOPIC}\nDen försvann från utforskaren i morse.",
        at=_an_open_moment(ctx["cooperation"].pk),
    )
    chat = services.conversation_pick(actor=agent, conversation=chat)
    services.message_send(
        actor=agent,
        conversation=chat,
        body="Hej Björn! Jag ser att din behörighet till mappen togs bort av misstag. "
        "Jag lägger tillbaka den nu – logga ut och in igen om en stund.",
    )
    services.message_send(actor=bjorn, conversation=chat, body="Nu syns den igen. Tack!")
    chat = services.conversation_end(actor=agent, conversation=chat)
    assert chat.ticket is not None
    ticket = desk.ticket_transition(
        actor=agent, ticket=chat.ticket, expected_version=None, status=TicketStatus.RESOLVED
    )
    assert ticket.status == TicketStatus.RESOLVED
