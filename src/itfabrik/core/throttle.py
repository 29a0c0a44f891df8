"""A simple counter per key in Django's cache, for throttling anonymous posts.

Fixed windows: the first hit starts a window of `window` seconds; within it at most `limit` hits
pass. The cache is the one configured in CACHES (`CACHE_URL`); with the default local-memory
cache each server process counts on its own, so with several gunicorn workers the effective
limit is `limit` per worker (docs/operations.md).
"""

from __future__ import annotations

from django.core.cache import cache


def hit(*, scope: str, key: str, limit: int, window: int) -> bool:
    """Count one hit for `key`; True while the hits in the current window are within `limit`."""
    cache_key = f"itfabrik:throttle:{scope}:{key}"
    if cache.add(cache_key, 1, timeout=window):
        return limit >= 1
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr: a new window starts
        cache.add(cache_key, 1, timeout=window)
        count = 1
    return count <= limit
