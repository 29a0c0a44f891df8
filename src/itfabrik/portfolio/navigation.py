"""The portfolio's menu entries (area "governance") and start-page panel."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from itfabrik.core.registry import MenuItem, register_menu, register_panel

from . import permissions as actions
from . import selectors

register_menu(
    "portfolio",
    MenuItem(
        "portfolio:list",
        _("Digitaliseringsportfölj"),
        actions.VIEW_PORTFOLIO,
        order=60,
        area="governance",
    ),
    MenuItem(
        "portfolio:benefits", _("Nyttor"), actions.VIEW_PORTFOLIO, order=61, area="governance"
    ),
    MenuItem(
        "portfolio:overview",
        _("Portföljöversikt"),
        actions.VIEW_PORTFOLIO,
        order=62,
        area="governance",
    ),
    MenuItem(
        "portfolio:report",
        _("Portföljrapport till IT-råd"),
        actions.VIEW_PORTFOLIO,
        order=63,
        area="governance",
    ),
)


@register_panel(
    "portfolio",
    "benefits_to_report",
    template="portfolio/panels/benefits_to_report.html",
    action=actions.VIEW_PORTFOLIO,
    zone="card",
    order=60,
)
def benefits_to_report_panel(request: Any) -> dict[str, Any] | None:
    """Benefits the actor answers for whose month has passed without a realised value."""
    count = selectors.benefits_to_report_count(actor=request.user)
    if not count:
        return None
    return {"count": count}
