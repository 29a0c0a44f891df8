"""Identity's menu entries and start-page panels."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from itfabrik.core.registry import MenuItem, register_menu, register_panel

from . import permissions as actions
from . import (
    selectors,
    tasks,  # noqa: F401  (registers the periodic leaver job)
)

register_menu(
    "identity",
    MenuItem(
        "identity:persons", _("Personer och konton"), actions.VIEW_IDENTITY, order=60,
        area="operations",
    ),
    MenuItem(
        "identity:violations", _("Policyavvikelser"), actions.VIEW_IDENTITY, order=61,
        area="operations",
    ),
    MenuItem(
        "identity:reviews", _("Behörighetsgranskning"), actions.REVIEW_ACCESS, order=62,
        area="operations",
    ),
    MenuItem(
        "identity:scim_tokens", _("SCIM-nycklar"), actions.MANAGE_PROVISIONING, order=63,
        area="admin",
    ),
)  # fmt: skip


@register_panel(
    "identity",
    "approvals",
    template="identity/panels/approvals.html",
    action=actions.APPROVE_ACCESS,
    zone="card",
    order=60,
)
def approvals_panel(request: Any) -> dict[str, Any] | None:
    """Direct grants and role changes waiting for the actor's decision."""
    grants = selectors.pending_grant_list(actor=request.user).count()
    changes = selectors.pending_change_list(actor=request.user).count()
    if not grants and not changes:
        return None
    return {"grants": grants, "changes": changes}
