"""Satisfaction's menu entries and start-page panels."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from itfabrik.core.registry import MenuItem, register_menu, register_panel
from itfabrik.servicedesk.choices import TicketStatus
from itfabrik.servicedesk.hooks import (
    TicketLink,
    register_resolution_mail_part,
    register_ticket_link,
)

from . import permissions as actions
from . import selectors

register_menu(
    "satisfaction",
    MenuItem("satisfaction:portal", _("Betygsätt ärenden"), actions.RATE, order=33, area="self"),
    MenuItem("satisfaction:report", _("Nöjdhet"), actions.VIEW_REPORTS, order=36, area="desk"),
)


@register_panel(
    "satisfaction",
    "to_rate",
    template="satisfaction/panels/to_rate.html",
    action=actions.RATE,
    zone="card",
    order=32,
)
def to_rate_panel(request: Any) -> dict[str, Any] | None:
    tickets = list(selectors.my_resolved_ticket_list(actor=request.user, unrated_only=True)[:3])
    return {"tickets": tickets} if tickets else None


@register_panel(
    "satisfaction",
    "alerts",
    template="satisfaction/panels/alerts.html",
    action=actions.VIEW_RATINGS,
    zone="card",
    order=34,
)
def alerts_panel(request: Any) -> dict[str, Any] | None:
    alerts = list(selectors.alert_list(actor=request.user, open_only=True)[:5])
    return {"alerts": alerts} if alerts else None


def _rate_link(request: Any, ticket: Any, staff: bool) -> TicketLink | None:
    """ "Betygsätt" for the requester once the ticket is resolved."""
    resolved = ticket.status in (TicketStatus.RESOLVED, TicketStatus.CLOSED)
    if staff or not resolved or ticket.requester_id != getattr(request.user, "pk", None):
        return None
    return TicketLink(str(_("Betygsätt lösningen")), reverse("satisfaction:rate", args=[ticket.pk]))


register_ticket_link("satisfaction", _rate_link)


def _rating_mail_part(ticket: Any) -> str | None:
    """The one-click rating link of the resolution mail (ADR 0024): absolute, signed, for the
    requester of this ticket only. None once the ticket has been rated."""
    from itfabrik.core.site import site_url

    from .models import Rating
    from .tokens import rating_link_path

    if Rating.objects.filter(ticket_id=ticket.pk).exists():
        return None
    return str(
        _("Hur nöjd är du med hjälpen? Betygsätt med ett klick: %(url)s")
        % {"url": site_url(rating_link_path(ticket))}
    )


register_resolution_mail_part("satisfaction", _rating_mail_part)
