"""The organisation's menu entries and start-page panels."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from itfabrik.core.errors import ApplicationError
from itfabrik.core.registry import MenuItem, memo, register_menu, register_panel

from . import permissions as actions
from . import selectors
from .rules import population_shares

register_menu(
    "tenancy",
    MenuItem("tenancy:node_list", _("Organisation"), actions.VIEW_NODE, order=10, area="admin"),
    MenuItem(
        "tenancy:it_organisation",
        _("Gemensam IT-organisation"),
        actions.VIEW_POSITION,
        order=20,
        area="admin",
    ),
    MenuItem(
        "tenancy:membership_list",
        _("Medlemskap"),
        actions.MANAGE_MEMBERSHIP,
        order=30,
        area="admin",
    ),
)


def _municipalities(request: Any) -> dict[str, Any] | None:
    """The cooperation's municipalities with their population shares, read once per request."""
    coop = selectors.current_cooperation_get(request)
    if coop is None:
        return None

    def compute() -> dict[str, Any]:
        municipalities = list(selectors.municipality_list(actor=request.user, cooperation=coop))
        members = [m for m in municipalities if m.is_member]
        shares = population_shares({m.pk: m.inhabitants or 0 for m in members})
        for m in municipalities:
            m.population_share = shares.get(m.pk)
        return {
            "cooperation": coop,
            "host": coop.host,
            "municipalities": municipalities,
            "member_count": len(members),
            "total_inhabitants": sum(m.inhabitants or 0 for m in members),
        }

    return memo(request, "tenancy.municipalities", compute)


@register_panel("tenancy", "intro", template="tenancy/panels/intro.html", zone="lead")
def intro(request: Any) -> dict[str, Any]:
    return _municipalities(request) or {"cooperation": None}


@register_panel("tenancy", "my_unit", template="tenancy/panels/my_unit.html", zone="card", order=20)
def my_unit(request: Any) -> dict[str, Any]:
    actor = request.user
    unit = None
    name = ""
    if getattr(actor, "home_unit_id", None):
        try:
            unit = selectors.node_get(actor=actor, pk=actor.home_unit_id)
        except ApplicationError:
            unit = None
            # Their own workplace, named even where no role lets them open its page yet.
            name = actor.home_unit.name
    trail = selectors.node_ancestor_list(actor=actor, node=unit) if unit is not None else []
    return {"home_unit": unit, "trail": trail, "home_unit_name": name}


@register_panel("tenancy", "facts", template="tenancy/panels/facts.html", zone="card", order=30)
def facts(request: Any) -> dict[str, Any] | None:
    data = _municipalities(request)
    if data is None:
        return None
    it_org = selectors.it_organisation_get(actor=request.user, cooperation=data["cooperation"])
    return {**data, "it_organisation": it_org}


@register_panel("tenancy", "members", template="tenancy/panels/members.html", order=10)
def members(request: Any) -> dict[str, Any] | None:
    data = _municipalities(request)
    return data if data and data["municipalities"] else None


@register_panel(
    "tenancy",
    "unit_summary",
    template="tenancy/panels/unit_summary.html",
    action=actions.VIEW_UNIT_SUMMARY,
    order=20,
)
def unit_summary(request: Any) -> dict[str, Any] | None:
    rows = list(selectors.unit_summary_list(actor=request.user))
    return {"rows": rows} if rows else None


@register_panel(
    "tenancy", "teams", template="tenancy/panels/teams.html", action=actions.VIEW_TEAMS, order=30
)
def teams(request: Any) -> dict[str, Any] | None:
    coop = selectors.current_cooperation_get(request)
    if coop is None:
        return None
    rows = list(selectors.team_list(actor=request.user, cooperation=coop))
    return {"teams": rows} if rows else None
