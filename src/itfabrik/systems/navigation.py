"""The system register's menu entries (area "governance")."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from itfabrik.core import permissions
from itfabrik.core.registry import MenuItem, current_cooperation, register_menu

from . import permissions as actions


def may_view_register(request: Any) -> bool:
    """The cooperation-wide pages (duplicates, before buying, data centres): a grant on the
    cooperation's root."""
    coop = current_cooperation(request)
    return coop is not None and permissions.can(request.user, actions.VIEW_SYSTEMS, coop.root)


register_menu(
    "systems",
    MenuItem(
        "systems:list", _("Verksamhetssystem"), actions.VIEW_SYSTEMS, order=71, area="governance"
    ),
    MenuItem(
        "systems:before_buying",
        _("Före inköp"),
        actions.VIEW_SYSTEMS,
        order=72,
        visible=may_view_register,
        area="governance",
    ),
)
