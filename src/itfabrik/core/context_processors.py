from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from .registry import current_cooperation
from .web.contributions import menu_for


def shell(request: HttpRequest) -> dict[str, Any]:
    return {
        "demo_mode": settings.DEMO_MODE,
        "nav_items": menu_for(request),
        "shell_cooperation": current_cooperation(request),
        "oidc_enabled": getattr(settings, "OIDC_ENABLED", False),
        "oidc_provider_name": getattr(settings, "OIDC_PROVIDER_NAME", ""),
    }
