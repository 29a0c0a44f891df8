"""The network standard's menu entries."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from itfabrik.core.registry import MenuItem, register_menu

from . import permissions as actions

register_menu(
    "network",
    MenuItem("network:overview", _("Nätverk"), actions.VIEW_NETWORK, order=60, area="operations"),
    MenuItem(
        "network:device_new",
        _("Namnge nätverksenhet"),
        actions.MANAGE_NETWORK,
        order=61,
        area="operations",
    ),
)
