"""Where apps above the service desk add to its ticket pages without it importing them.

Bookings ("Boka besök"), satisfaction ("Betygsätt") and the e-mail channel ("E-post") each
register a link function in their own `navigation.py`; the agent's and the requester's ticket
pages show the links that apply. A link function answers from the ticket's own fields and the
request (no queries), so the pages' query counts stay fixed whatever is installed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class TicketLink:
    label: str
    url: str


# (request, ticket, staff) -> a link, or None when it does not apply to this ticket or person.
# `staff` is True on the agent's page and False on the requester's (portal) page.
TicketLinkFunction = Callable[[Any, Any, bool], TicketLink | None]

_ticket_links: dict[str, TicketLinkFunction] = {}


def register_ticket_link(key: str, fn: TicketLinkFunction) -> TicketLinkFunction:
    """Register (or replace, by key) a link shown on the ticket pages."""
    _ticket_links[key] = fn
    return fn


def ticket_links(request: Any, ticket: Any, *, staff: bool) -> list[TicketLink]:
    out = []
    for key in sorted(_ticket_links):
        link = _ticket_links[key](request, ticket, staff)
        if link is not None:
            out.append(link)
    return out
