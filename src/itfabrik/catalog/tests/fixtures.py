"""The catalogue's test fixtures (found by the root conftest through pytest_plugins)."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def catalogue(demo: Any) -> Any:
    """The demo catalogue by name: services, packages, the 2026 price list, Mellerud's units."""
    from itfabrik.catalog.models import Package, PriceList, Service
    from itfabrik.core.tests import MELLERUD

    class Catalogue:
        cooperation = demo.cooperation
        services = {s.name: s for s in Service.objects.filter(cooperation=demo.cooperation)}
        packages = {p.name: p for p in Package.objects.filter(cooperation=demo.cooperation)}
        price_list = PriceList.objects.get(cooperation=demo.cooperation, name="Prislista 2026")
        unit = demo.node("Hemtjänst norr", municipality=MELLERUD)
        other_unit = demo.node("Hemtjänst norr", municipality="Bengtsfors kommun")
        administration = demo.node("Socialförvaltningen", municipality=MELLERUD)

        @staticmethod
        def user(username: str) -> Any:
            return demo.user(username)

    return Catalogue()
