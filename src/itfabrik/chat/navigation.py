"""The chat's menu entries and start-page panels."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from itfabrik.core.registry import MenuItem, register_menu, register_panel

from . import opening, selectors
from . import permissions as actions


def may_start_chat(request: Any) -> bool:
    """The portal page needs a workplace to chat from; the menu asks without loading it (the
    action itself is checked by the menu), so every page keeps its query count."""
    return getattr(request.user, "home_unit_id", None) is not None


register_menu(
    "chat",
    MenuItem("chat:queue", _("Chattkö"), actions.ANSWER_CHAT, order=33, area="desk"),
    MenuItem(
        "chat:portal", _("Chatt"), actions.START_CHAT, order=34, visible=may_start_chat, area="self"
    ),
)


@register_panel(
    "chat",
    "chat",
    template="chat/panels/chat.html",
    action=actions.START_CHAT,
    zone="card",
    order=32,
)
def chat_panel(request: Any) -> dict[str, Any] | None:
    unit = getattr(request.user, "home_unit", None)
    if unit is None:
        return None
    state = opening.opening(unit.cooperation_id)
    return {
        "open": state.is_open,
        "next": opening.describe(state.next_opening, zone=state.timezone)
        if state.next_opening
        else "",
        "waiting": selectors.waiting_list(actor=request.user).count()
        if selectors.is_agent(request.user)
        else None,
    }
