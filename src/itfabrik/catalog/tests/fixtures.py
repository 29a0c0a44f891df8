"""The catalogue's test fixtures (found by the root conftest through pytest_plugins)."""

from __future__ import annotations

import datetime as dt
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


@pytest.fixture
def next_years_draft_set_aside(demo: Any) -> None:
    """The governance demo step proposes "Prislista 2027" as a copy waiting for IT-råd's decision.
    Tests that write their own versions after the 2026 list would clash with it, so for them it is
    made inactive (rolled back with the test), as an administrator sets a version aside."""
    from itfabrik.catalog.models import PriceList

    PriceList.objects.filter(
        cooperation=demo.cooperation, valid_from__gt=dt.date(2026, 12, 31)
    ).update(is_active=False)
