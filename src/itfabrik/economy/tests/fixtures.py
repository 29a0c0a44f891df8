"""The economy's test fixtures (found by the root conftest through pytest_plugins)."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def economy(demo: Any) -> Any:
    """The demo's economy: its categories by name, the 2024 figures by municipality, the
    default scenario."""
    from itfabrik.economy.models import BaselineFigures, CostCategory, Scenario

    class Economy:
        cooperation = demo.cooperation
        admin = demo.user("admin")
        categories = {
            c.name: c for c in CostCategory.objects.filter(cooperation=demo.cooperation)
        }
        scenario = Scenario.objects.get(cooperation=demo.cooperation, is_default=True)

        @staticmethod
        def figures(municipality: str, year: int = 2024) -> BaselineFigures:
            return BaselineFigures.objects.select_related("municipality", "cooperation").get(
                municipality__name=municipality, year=year
            )

    return Economy()
