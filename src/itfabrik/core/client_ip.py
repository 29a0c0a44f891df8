"""The client address that login throttling counts failures against.

Behind N trusted reverse proxies (ITFABRIK_TRUSTED_PROXY_COUNT), each proxy appends the address it
received the request from to X-Forwarded-For, so the client is the N-th entry from the right.
Entries further left were written by the client itself and cannot be trusted: taking them would
let anyone reset their lockout counter with a forged header.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings


def _trusted_count() -> int:
    return int(getattr(settings, "ITFABRIK_TRUSTED_PROXY_COUNT", 0) or 0)


def _forwarded(request: Any) -> list[str]:
    return [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]


def through_trusted_proxies(request: Any) -> bool:
    """Did the request come through the configured trusted proxies (their entries present)?

    Then headers those proxies set (such as X-Request-ID) may be believed.
    """
    trusted = _trusted_count()
    return trusted > 0 and len(_forwarded(request)) >= trusted


def client_ip(request: Any) -> str | None:
    if not through_trusted_proxies(request):
        return request.META.get("REMOTE_ADDR")
    return _forwarded(request)[-_trusted_count()]
