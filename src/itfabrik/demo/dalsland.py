"""The Dalsland demo: each app's demo step (its `demo.py`), run in dependency order through the
same services as any real data (core.demo). This module keeps the names tests use."""

from __future__ import annotations

from itfabrik.accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from itfabrik.core.demo import describe, is_loaded, load
from itfabrik.tenancy.demo import SLUG

__all__ = ["DEMO_ACCOUNTS", "DEMO_PASSWORD", "SLUG", "describe", "is_loaded", "load"]
