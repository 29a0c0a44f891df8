"""The bookings' menu entries and start-page panels."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from itfabrik.core.registry import MenuItem, register_menu, register_panel

from . import permissions as actions
from . import selectors

register_menu(
    "bookings",
    MenuItem("bookings:calendar", _("Besökskalender"), actions.TAKE_VISITS, order=33),
    MenuItem("bookings:blocks", _("Besökspass"), actions.MANAGE_BLOCKS, order=34),
    MenuItem("bookings:portal", _("Boka besök"), actions.VIEW_FREE_BLOCKS, order=35),
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
    actor = request.user
    visits = list(selectors.my_bookings(actor=actor)[:3])
    marked = [
        t
        for t in selectors.bookable_tickets(actor=actor)[:5]
        if getattr(t, "needs_visit", False) and not getattr(t, "has_booking", False)
    ]
    if not visits and not marked:
        return None
    return {"visits": visits, "marked": marked}
