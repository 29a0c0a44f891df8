"""The system register's test fixtures (found by the root conftest through pytest_plugins)."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def register(demo: Any) -> Any:
    """The demo's register: systems by name, the security officer, the strategist."""
    from itfabrik.systems.models import Capability, Requirement, System

    class Register:
        cooperation = demo.cooperation
        sakerhet = demo.user("sakerhet")
        strateg = demo.user("strateg")
        admin = demo.user("admin")

        @staticmethod
        def system(name: str) -> System:
            return System.objects.get(cooperation=demo.cooperation, name=name)

        @staticmethod
        def capability(name: str) -> Capability:
            return Capability.objects.get(cooperation=demo.cooperation, name=name)

        @staticmethod
        def requirement(code: str) -> Requirement:
            return Requirement.objects.get(cooperation=demo.cooperation, code=code)

    return Register()
