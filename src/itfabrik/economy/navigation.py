"""The economy's menu entries (area "governance": the councils follow the economy up)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from itfabrik.core.registry import MenuItem, register_menu

from . import permissions as actions

register_menu(
    "economy",
    MenuItem("economy:baseline", _("Ekonomisk baslinje"), actions.VIEW_ECONOMY, order=60,
             area="governance"),
    MenuItem("economy:timeline", _("Kostnader över tid"), actions.VIEW_ECONOMY, order=61,
             area="governance"),
    MenuItem("economy:followup", _("Uppföljning av besparingar"), actions.VIEW_ECONOMY,
             order=62, area="governance"),
    MenuItem("economy:scenarios", _("Scenarier"), actions.VIEW_ECONOMY, order=63,
             area="governance"),
)  # fmt: skip
