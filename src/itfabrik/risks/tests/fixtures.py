"""The risk register's test fixtures (found by the root conftest through pytest_plugins)."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def riskreg(demo: Any) -> Any:
    """The demo's risks and people, and `risk()` for a new risk of the cooperation or a
    municipality."""
    from itfabrik.risks import services
    from itfabrik.risks.models import Risk, Workshop

    class RiskReg:
        cooperation = demo.cooperation
        root = demo.cooperation.root
        sakerhet = demo.user("sakerhet")
        strateg = demo.user("strateg")
        admin = demo.user("admin")

        @staticmethod
        def seed() -> list[Risk]:
            return list(Risk.objects.filter(scope=demo.cooperation.root).order_by("-score", "pk"))

        @staticmethod
        def seed_workshop() -> Workshop:
            return Workshop.objects.get(cooperation=demo.cooperation, is_open=False)

        @classmethod
        def risk(cls, scope: Any = None, **kwargs: Any) -> Risk:
            values = {
                "title": "Testrisk",
                "category": "security",
                "probability": 2,
                "consequence": 3,
            }
            values.update(kwargs)
            return services.risk_create(
                actor=cls.sakerhet, cooperation=demo.cooperation, scope=scope or cls.root, **values
            )

    return RiskReg()


@pytest.fixture
def links(demo: Any) -> Any:
    """Two systems, services and initiatives of Dalsland, and one of each of another
    cooperation (`foreign_system`, `foreign_service`, `foreign_initiative`)."""
    import datetime as dt

    from itfabrik.catalog import services as catalog
    from itfabrik.catalog.models import Service
    from itfabrik.core.actors import SYSTEM
    from itfabrik.portfolio.models import Initiative
    from itfabrik.systems.models import System
    from itfabrik.tenancy import services as tenancy

    coop = demo.cooperation
    other = tenancy.cooperation_create(actor=SYSTEM, name="Annan", slug="annan")
    area = catalog.area_create(actor=SYSTEM, cooperation=other, name="Annat område")

    class Links:
        systems = list(System.objects.filter(cooperation=coop).order_by("pk")[:2])
        services = list(Service.objects.filter(cooperation=coop).order_by("pk")[:2])
        initiatives = list(Initiative.objects.filter(cooperation=coop).order_by("pk")[:2])
        foreign_system = System.objects.create(cooperation=other, name="Hemligt", hosting="cloud")
        foreign_service = catalog.service_create(
            actor=SYSTEM, cooperation=other, area=area, name="Hemlig tjänst",
            price_model="fixed_fee", unit_of_measure="st",
        )  # fmt: skip
        foreign_initiative = Initiative.objects.create(
            cooperation=other, code="X-1", title="Hemligt", owner=demo.user("admin"),
            start=dt.date(2026, 1, 1),
        )  # fmt: skip

    assert all(len(x) == 2 for x in (Links.systems, Links.services, Links.initiatives))
    return Links()
