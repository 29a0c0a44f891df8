"""The knowledge base's menu entries and start-page panel."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from itfabrik.core.registry import MenuItem, register_menu, register_panel

from . import permissions as actions

register_menu(
    "knowledge",
    MenuItem("knowledge:help", _("Hjälp"), actions.VIEW_ARTICLES, order=20, area="self"),
    MenuItem(
        "knowledge:staff_list", _("Kunskapsbank"), actions.MANAGE_ARTICLES, order=21, area="desk"
    ),
)


@register_panel(
    "knowledge",
    "help_search",
    template="knowledge/panels/help_search.html",
    action=actions.VIEW_ARTICLES,
    zone="card",
    order=10,
)
def help_search(request: Any) -> dict[str, Any]:
    return {"search_url": "knowledge:help"}
