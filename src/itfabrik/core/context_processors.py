from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from .registry import current_cooperation
from .web.contributions import FLAT_MENU_MAX, menu_for, menu_groups


def shell(request: HttpRequest) -> dict[str, Any]:
    nav_items = menu_for(request)
    return {
        "demo_mode": settings.DEMO_MODE,
        "nav_items": nav_items,
        "nav_groups": menu_groups(nav_items) if len(nav_items) > FLAT_MENU_MAX else None,
        "shell_cooperation": current_cooperation(request),
        "oidc_enabled": getattr(settings, "OIDC_ENABLED", False),
        "oidc_provider_name": getattr(settings, "OIDC_PROVIDER_NAME", ""),
    }
