"""The reports' menu entry and the team leads' start-page card "SLA denna månad"."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from itfabrik.core.registry import MenuItem, register_menu, register_panel

from . import params, selectors
from .permissions import SLA_PANEL, VIEW_REPORTS

register_menu(
    "deskreports",
    MenuItem("deskreports:index", _("Servicedeskrapporter"), VIEW_REPORTS, order=35, area="desk"),
)


@register_panel(
    "deskreports",
    "sla_month",
    template="deskreports/panels/sla_month.html",
    action=SLA_PANEL,
    zone="card",
    order=33,
)
def sla_month_panel(request: Any) -> dict[str, Any]:
    """This month's SLA compliance over everything the team lead sees (one query)."""
    now = timezone.localtime()
    month = f"{now:%Y-%m}"
    f = params.ReportFilter(
        start=params.month_start(now.year, now.month),
        end=params.month_start(now.year + now.month // 12, now.month % 12 + 1),
        first_month=month,
        last_month=month,
    )
    return {"month": month, "totals": selectors.sla_summary(request.user, f)}
