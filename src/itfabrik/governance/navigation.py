"""Governance's menu entries and start-page panels."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from itfabrik.core.registry import MenuItem, register_menu, register_panel

from . import permissions as actions
from . import selectors

register_menu(
    "governance",
    MenuItem(
        "governance:forums",
        _("Råd och möten"),
        actions.VIEW_GOVERNANCE,
        order=60,
        area="governance",
    ),
    MenuItem(
        "governance:decisions", _("Beslut"), actions.VIEW_GOVERNANCE, order=61, area="governance"
    ),
    MenuItem(
        "governance:agreement",
        _("Samverkansavtal"),
        actions.VIEW_AGREEMENT,
        order=62,
        area="governance",
    ),
)


@register_panel(
    "governance",
    "evaluations",
    template="governance/panels/evaluations.html",
    action=actions.VIEW_AGREEMENT,
    zone="card",
    order=60,
)
def evaluations_panel(request: Any) -> dict[str, Any] | None:
    """The agreement's evaluations that are due soon or overdue."""
    due = selectors.evaluation_due_list(actor=request.user)
    if not due:
        return None
    return {"evaluations": due}
