"""The catalogue's menu entries and start-page panels."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from itfabrik.core.registry import MenuItem, register_menu, register_panel

from . import permissions as actions
from . import selectors

register_menu(
    "catalog",
    MenuItem(
        "catalog:catalogue", _("Tjänstekatalog"), actions.VIEW_CATALOGUE, order=40, area="self"
    ),
    MenuItem(
        "catalog:order_list", _("Beställningar"), actions.VIEW_ORDERS, order=41, area="services"
    ),
    MenuItem(
        "catalog:subscription_list",
        _("Prenumerationer"),
        actions.VIEW_ORDERS,
        order=42,
        area="services",
    ),
    MenuItem(
        "catalog:manage_service_list",
        _("Katalogförvaltning"),
        actions.MANAGE_CATALOGUE,
        order=43,
        area="services",
    ),
)


@register_panel(
    "catalog",
    "my_orders",
    template="catalog/panels/my_orders.html",
    action=actions.ORDER,
    zone="card",
    order=40,
)
def my_orders(request: Any) -> dict[str, Any]:
    actor = request.user
    return {"orders": list(selectors.order_list(actor=actor, created_by_id=actor.pk)[:5])}


@register_panel(
    "catalog",
    "pending",
    template="catalog/panels/pending.html",
    action=actions.APPROVE_ORDER,
    zone="card",
    order=41,
)
def pending(request: Any) -> dict[str, Any] | None:
    orders = list(selectors.pending_approval_list(actor=request.user)[:5])
    return {"orders": orders} if orders else None
