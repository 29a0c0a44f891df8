"""The network's test fixtures (found by the root conftest through pytest_plugins)."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def net(demo: Any) -> Any:
    """The demo's network: sites and types by code, and `it_contact()` — Mellerud's IT contact
    (a role on Mellerud only)."""
    from itfabrik.network.models import DeviceType, Site

    class Net:
        coop = demo.cooperation
        tekniker = demo.user("tekniker")
        admin = demo.user("admin")
        agent = demo.user("agent")
        mellerud = demo.node("Melleruds kommun")
        bengtsfors = demo.node("Bengtsfors kommun")

        @staticmethod
        def site(municipality: str, code: str) -> Site:
            return Site.objects.get(municipality__name=municipality, code=code)

        @staticmethod
        def type(code: str) -> DeviceType:
            return DeviceType.objects.get(code=code)

        @staticmethod
        def it_contact() -> Any:
            from itfabrik.accounts import services as account_services
            from itfabrik.accounts.models import User
            from itfabrik.core.actors import SYSTEM
            from itfabrik.core.roles import Role

            existing = User.objects.filter(username="itkontakt-mellerud").first()
            if existing is not None:
                return existing
            user = account_services.user_create(
                actor=SYSTEM, username="itkontakt-mellerud", password=None
            )
            account_services.role_assign(
                actor=SYSTEM, user=user, role=Role.IT_CONTACT, node=demo.node("Melleruds kommun")
            )
            return user

    return Net()
