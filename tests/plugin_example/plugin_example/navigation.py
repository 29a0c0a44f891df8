from typing import Any

from itfabrik.core.registry import MenuItem, register_menu, register_panel

from .permissions import VIEW_GREETING

register_menu(
    "plugin_example", MenuItem("plugin_example:greeting", "Exempelappen", VIEW_GREETING, order=50)
)


@register_panel(
    "plugin_example",
    "greeting",
    template="plugin_example/panel.html",
    action=VIEW_GREETING,
    order=5,
)
def greeting_panel(request: Any) -> dict[str, Any]:
    return {"text": f"Hej från exempelappen, {request.user.username}"}
