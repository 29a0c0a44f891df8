"""The bookings' menu entries and start-page panels."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from itfabrik.core.registry import MenuItem, register_menu, register_panel
from itfabrik.servicedesk.choices import OPEN_STATUSES
from itfabrik.servicedesk.hooks import TicketLink, register_ticket_link

from . import permissions as actions
from . import selectors

register_menu(
    "bookings",
    MenuItem("bookings:calendar", _("Besökskalender"), actions.TAKE_VISITS, order=33, area="desk"),
    MenuItem("bookings:blocks", _("Besökspass"), actions.MANAGE_BLOCKS, order=34, area="desk"),
    MenuItem("bookings:portal", _("Boka besök"), actions.VIEW_FREE_BLOCKS, order=35, area="self"),
)


@register_panel(
    "bookings",
    "my_visits",
    template="bookings/panels/my_visits.html",
    action=actions.VIEW_FREE_BLOCKS,
    zone="card",
    order=33,
)
def my_visits_panel(request: Any) -> dict[str, Any] | None:
    """The requester's coming visits and the tickets an agent marked for a visit."""
    tickets = selectors.visit_list(actor=request.user)
    if not tickets:
        return None
    return {
        "visits": [t for t in tickets if getattr(t, "visit_start", None)],
        "marked": [t for t in tickets if not getattr(t, "visit_start", None)],
    }


def _visit_link(request: Any, ticket: Any, staff: bool) -> TicketLink | None:
    """ "Boka besök" on the ticket pages while the ticket is open (the booking page checks the
    rest: whose ticket, which blocks)."""
    if ticket.status not in OPEN_STATUSES:
        return None
    return TicketLink(str(_("Boka besök på plats")), reverse("bookings:ticket", args=[ticket.pk]))


register_ticket_link("bookings", _visit_link)
