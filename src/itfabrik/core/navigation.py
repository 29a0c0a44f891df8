"""core's own menu entries and start-page panel (the audit trail)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from .permissions import VIEW_AUDIT
from .registry import MenuItem, register_menu, register_panel
from .selectors import audit_list

register_menu(
    "core",
    MenuItem("core:home", _("Start"), None, order=0, area="home"),
    MenuItem("core:audit_list", _("Granskningslogg"), VIEW_AUDIT, order=900, area="admin"),
)


@register_panel(
    "core", "recent_changes", template="core/panels/recent_changes.html", action=VIEW_AUDIT,
    order=900,
)  # fmt: skip
def recent_changes(request: Any) -> dict[str, Any] | None:
    entries = list(audit_list(actor=request.user)[:8])
    return {"entries": entries} if entries else None
