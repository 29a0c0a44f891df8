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

from django.db import transaction


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


# --- replace, don't repair (R23) ---------------------------------------------------------------
# The service desk decides when a device should be replaced (N incidents in M days); the assets
# app places the order. It registers one handler: (request, ticket) -> a link to the order (or
# None when it cannot order for this device). Without one, the suggestion links nowhere.

DeviceReplacementFunction = Callable[[Any, Any], TicketLink | None]

_device_replacement: list[DeviceReplacementFunction] = []


def register_device_replacement(fn: DeviceReplacementFunction) -> DeviceReplacementFunction:
    """Register (or replace) the handler that orders a replacement device."""
    _device_replacement[:] = [fn]
    return fn


def device_replacement(request: Any, ticket: Any) -> TicketLink | None:
    if not _device_replacement:
        return None
    return _device_replacement[0](request, ticket)


# --- the resolution mail --------------------------------------------------------------------------
# Apps above the service desk add a paragraph to the mail that tells the requester the ticket
# is resolved (satisfaction: the one-click rating link), without the mail channel importing them.

ResolutionMailPart = Callable[[Any], str | None]

_resolution_parts: dict[str, ResolutionMailPart] = {}


def register_resolution_mail_part(key: str, fn: ResolutionMailPart) -> ResolutionMailPart:
    """Register (or replace, by key) fn(ticket) -> a paragraph of plain text, or None."""
    _resolution_parts[key] = fn
    return fn


def resolution_mail_parts(ticket: Any) -> list[str]:
    out = []
    for key in sorted(_resolution_parts):
        text = _resolution_parts[key](ticket)
        if text:
            out.append(text)
    return out


# --- events ------------------------------------------------------------------------------------
# After a change has been committed, apps above the service desk learn of it (the e-mail channel
# mails the requester). Called after the commit, never inside the transaction, so a listener
# never sees a change that was rolled back and cannot roll one back itself. Only live changes
# are told: one written with `at` (an import, the demo's history, a chat's transcript) is not.

PUBLIC_REPLY = "public_reply"  # staff answered publicly: ticket_id, entry_id
RESOLVED = "resolved"  # the ticket was resolved: ticket_id

TicketEvent = Callable[..., None]

_listeners: dict[str, dict[str, TicketEvent]] = {}


def register_ticket_event(event: str, key: str, fn: TicketEvent) -> TicketEvent:
    """Listen to `event` (PUBLIC_REPLY, RESOLVED) under `key` (one listener per key)."""
    _listeners.setdefault(event, {})[key] = fn
    return fn


def emit(event: str, **data: Any) -> None:
    """Tell every listener of `event`, after the surrounding transaction commits."""
    listeners = list(_listeners.get(event, {}).values())
    if listeners:
        transaction.on_commit(lambda: [fn(**data) for fn in listeners])
