"""Absolute links for places without a request (outgoing mail, jobs): the site's public address
(`ITFABRIK_SITE_URL`) joined with a path."""

from __future__ import annotations

from django.conf import settings


def site_url(path: str = "/") -> str:
    base = str(getattr(settings, "ITFABRIK_SITE_URL", "http://127.0.0.1:8000")).rstrip("/")
    return f"{base}/{path.lstrip('/')}"
