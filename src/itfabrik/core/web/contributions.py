"""The one place where the apps' menu entries and start-page panels are filtered by the actor's
actions and, for a menu entry that has one, its own test on the request (see core.registry)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from itfabrik.core import permissions
from itfabrik.core.actors import Actor
from itfabrik.core.registry import MENU_AREAS, ZONES, registry


def _allowed(actor: Actor, action: str | None) -> bool:
    return action is None or permissions.can_anywhere(actor, action)


def menu_for(request: HttpRequest) -> list[dict[str, Any]]:
    user = getattr(request, "user", None)  # absent when a request fails before auth middleware
    if user is None or not user.is_authenticated:
        return []
    items = sorted(registry.menu, key=lambda entry: (entry[1].order, entry[1].url_name))
    out = [
        {"url": reverse(item.url_name), "label": item.label, "active": False, "area": item.area}
        for _app, item in items
        if _allowed(user, item.action) and (item.visible is None or item.visible(request))
    ]
    # The most specific menu entry that contains the current page is the current one.
    path = request.path
    matches = [
        i for i in out if path == i["url"] or (i["url"] != "/" and path.startswith(i["url"]))
    ]
    if matches:
        max(matches, key=lambda i: len(i["url"]))["active"] = True
    return out


# Up to this many entries the menu stays one flat row (a requester's few pages); above it, staff
# with many apps get one disclosure button per area instead of a header wrapping into rows.
FLAT_MENU_MAX = 8


def menu_groups(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The visible entries grouped by area in MENU_AREAS' order, each group with its label, its
    entries and whether it holds the current page. A group of one entry is shown as that link."""
    by_area: dict[str, list[dict[str, Any]]] = {}
    for item in items:
        by_area.setdefault(item["area"], []).append(item)
    return [
        {
            "key": area,
            "label": label,
            "items": by_area[area],
            "active": any(i["active"] for i in by_area[area]),
        }
        for area, label in MENU_AREAS.items()
        if area in by_area
    ]


def panels_for(request: HttpRequest) -> dict[str, list[dict[str, Any]]]:
    """The start-page panels the actor may see, by zone, each with its context."""
    actor = request.user
    out: dict[str, list[dict[str, Any]]] = {zone: [] for zone in ZONES}
    for panel in registry.panels:
        if not _allowed(actor, panel.action):
            continue
        data = panel.context(request)
        if data is None:
            continue
        out[panel.zone].append({"key": panel.key, "template": panel.template, "data": data})
    return out
