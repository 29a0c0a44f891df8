"""Who may open billing's cooperation-wide pages. Each is one function that the page checks and
that its menu entry (billing/navigation.py) passes as `visible`, so the menu offers a page exactly
when the page answers: a finance role granted on one municipality holds RUN_BILLING "somewhere"
but not at the cooperation's root, where these pages check it."""

from __future__ import annotations

from typing import Any

from itfabrik.billing import permissions as actions
from itfabrik.core import permissions
from itfabrik.core.registry import current_cooperation


def holds_at_root(request: Any, action: str) -> bool:
    """Does the actor hold `action` at the root of the cooperation the request works in?"""
    coop = current_cooperation(request)
    return coop is not None and permissions.can(request.user, action, coop.root)


def may_run_billing(request: Any) -> bool:
    """The billing runs page: it lists runs beside the invoices (VIEW_INVOICE somewhere) and
    starts a run for the whole cooperation (RUN_BILLING at its root)."""
    return permissions.can_anywhere(request.user, actions.VIEW_INVOICE) and holds_at_root(
        request, actions.RUN_BILLING
    )


def may_manage_pools(request: Any) -> bool:
    return holds_at_root(request, actions.MANAGE_POOLS)
