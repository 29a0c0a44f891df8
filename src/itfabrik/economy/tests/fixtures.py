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
        categories = {c.name: c for c in CostCategory.objects.filter(cooperation=demo.cooperation)}
        scenario = Scenario.objects.get(cooperation=demo.cooperation, is_default=True)

        @staticmethod
        def figures(municipality: str, year: int = 2024) -> BaselineFigures:
            return BaselineFigures.objects.select_related("municipality", "cooperation").get(
                municipality__name=municipality, year=year
            )

    return Economy()


@pytest.fixture
def it_contact(demo: Any) -> Any:
    """Mellerud's IT contact (a role held in Mellerud only): sees Mellerud's figures alone."""
    from itfabrik.accounts import services as account_services
    from itfabrik.accounts.choices import Role
    from itfabrik.core.actors import SYSTEM

    user = account_services.user_create(
        actor=SYSTEM,
        username="itkontakt-mellerud",
        password="Ett-langt-losenord-2026",
        first_name="Ida",
        last_name="Kontakt",
        check_password_strength=False,
    )
    account_services.role_assign(
        actor=SYSTEM, user=user, role=Role.IT_CONTACT, node=demo.node("Melleruds kommun")
    )
    return user
