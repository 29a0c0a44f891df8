"""The e-mail channel's menu entry: the log of processed mail."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from itfabrik.core.registry import MenuItem, register_menu

from . import permissions as actions

register_menu(
    "mailchannel",
    MenuItem(
        "mailchannel:inbound_list", _("E-post till servicedesken"), actions.VIEW_MAIL, order=35
    ),
)
