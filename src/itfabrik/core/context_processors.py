from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from itfabrik.accounts import roles

from . import permissions


def _nav(request: HttpRequest) -> list[dict[str, Any]]:
    user = getattr(request, "user", None)  # absent when a request fails before auth middleware
    if user is None or not user.is_authenticated:
        return []
    items: list[tuple[str, Any, bool]] = [
        ("core:home", _("Start"), True),
        ("tenancy:node_list", _("Organisation"), permissions.can_anywhere(user, roles.VIEW_NODE)),
        (
            "tenancy:it_organisation",
            _("Gemensam IT-organisation"),
            permissions.can_anywhere(user, roles.VIEW_POSITION),
        ),
        (
            "tenancy:membership_list",
            _("Medlemskap"),
            permissions.can_anywhere(user, roles.MANAGE_MEMBERSHIP),
        ),
        (
            "accounts:user_list",
            pgettext_lazy("the list of people", "Användare"),
            permissions.can_anywhere(user, roles.VIEW_USER),
        ),
        ("core:audit_list", _("Granskningslogg"), permissions.can_anywhere(user, roles.VIEW_AUDIT)),
        ("accounts:profile", _("Mitt konto"), True),
    ]
    path = request.path
    out = []
    for name, label, allowed in items:
        if allowed:
            out.append({"url": reverse(name), "label": label, "active": False})
    # The most specific menu entry that contains the current page is the current one.
    matches = [
        i for i in out if path == i["url"] or (i["url"] != "/" and path.startswith(i["url"]))
    ]
    if matches:
        max(matches, key=lambda i: len(i["url"]))["active"] = True
    return out


def shell(request: HttpRequest) -> dict[str, Any]:
    coop = getattr(request, "itfabrik_cooperation", None)  # a view that read it already
    user = getattr(request, "user", None)
    if coop is None and user is not None and user.is_authenticated:
        from itfabrik.tenancy.selectors import cooperation_list

        coop = cooperation_list(actor=user).first()
    return {
        "demo_mode": settings.DEMO_MODE,
        "nav_items": _nav(request),
        "shell_cooperation": coop,
        "oidc_enabled": getattr(settings, "OIDC_ENABLED", False),
        "oidc_provider_name": getattr(settings, "OIDC_PROVIDER_NAME", ""),
    }
