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
