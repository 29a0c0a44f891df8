"""The organisation's test fixtures (found by the root conftest through pytest_plugins)."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def cooperation(db: Any) -> Any:
    """The demo cooperation (Dalsland), with its root and host."""
    from itfabrik.demo.dalsland import SLUG
    from itfabrik.tenancy.models import Cooperation

    return Cooperation.objects.select_related("root", "host").get(slug=SLUG)
