"""The risk register's menu entries (area "governance")."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from itfabrik.core.registry import MenuItem, register_menu

from . import permissions as actions

register_menu(
    "risks",
    MenuItem("risks:list", _("Risker"), actions.VIEW_RISKS, order=73, area="governance"),
    MenuItem(
        "risks:workshops", _("Riskworkshoppar"), actions.SCORE_WORKSHOP, order=74, area="governance"
    ),
)
