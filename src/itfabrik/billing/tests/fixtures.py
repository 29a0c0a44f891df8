"""Billing's test fixtures (found by the root conftest through pytest_plugins)."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def bas_it(demo: Any) -> Any:
    from itfabrik.billing.models import CostPool

    return CostPool.objects.select_related("cooperation__root").get(code="bas-it")


@pytest.fixture
def fund(demo: Any) -> Any:
    from itfabrik.billing.models import CostPool

    return CostPool.objects.select_related("cooperation__root").get(code="digitaliseringsfond")
