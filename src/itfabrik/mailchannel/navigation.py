"""The e-mail channel's menu entry: the log of processed mail."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from itfabrik.core.registry import MenuItem, register_menu
from itfabrik.servicedesk.hooks import TicketLink, register_ticket_link

from . import permissions as actions

register_menu(
    "mailchannel",
    MenuItem(
        "mailchannel:inbound_list",
        _("E-post till servicedesken"),
        actions.VIEW_MAIL,
        order=35,
        area="desk",
    ),
)


def _mail_link(request: Any, ticket: Any, staff: bool) -> TicketLink | None:
    """The ticket's mails, on the agent's page only (the mail page checks the right)."""
    if not staff:
        return None
    return TicketLink(
        str(_("E-post för ärendet")), reverse("mailchannel:ticket_mail", args=[ticket.pk])
    )


register_ticket_link("mailchannel", _mail_link)
