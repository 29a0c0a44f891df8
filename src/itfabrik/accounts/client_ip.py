"""The client address that login throttling counts failures against.

Behind N trusted reverse proxies (ITFABRIK_TRUSTED_PROXY_COUNT), each proxy appends the address it
received the request from to X-Forwarded-For, so the client is the N-th entry from the right.
Entries further left were written by the client itself and cannot be trusted: taking them would
let anyone reset their lockout counter with a forged header.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings


def client_ip(request: Any) -> str | None:
    remote = request.META.get("REMOTE_ADDR")
    trusted = int(getattr(settings, "ITFABRIK_TRUSTED_PROXY_COUNT", 0) or 0)
    if trusted <= 0:
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if len(forwarded) < trusted:
        return remote
    return forwarded[-trusted]
