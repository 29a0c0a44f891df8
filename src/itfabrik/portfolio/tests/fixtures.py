"""The portfolio's test fixtures (found by the root conftest through pytest_plugins)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest


@pytest.fixture
def portfolio(demo: Any) -> Any:
    """Handy people and objects: `strateg` (portfolio manager), `ekonom` (finance), a Mellerud IT
    contact `kontakt` (sees Mellerud's and the whole cooperation's initiatives), and `new()`
    making an initiative in progress for 2026."""
    from itfabrik.accounts import services as account_services
    from itfabrik.accounts.models import User
    from itfabrik.core.actors import SYSTEM
    from itfabrik.core.roles import Role
    from itfabrik.portfolio import services

    mellerud = demo.node("Melleruds kommun")
    kontakt = User.objects.create_user(username="it-kontakt-mellerud", password="x" * 16)
    account_services.role_assign(
        actor=SYSTEM, user=kontakt, role=Role.IT_CONTACT, node=mellerud, recursive=True
    )

    class Portfolio:
        cooperation = demo.cooperation
        strateg = demo.user("strateg")
        ekonom = demo.user("ekonom")
        admin = demo.user("admin")
        stranger = demo.user("anvandare-fargelanda")
        contact = kontakt
        bengtsfors = demo.node("Bengtsfors kommun")
        mellerud_node = mellerud
        amal = demo.node("Åmåls kommun")

        @classmethod
        def new(cls, **kwargs: Any) -> Any:
            values: dict[str, Any] = {
                "title": "Testinitiativ",
                "owner": cls.strateg,
                "start": dt.date(2026, 1, 1),
                "end": dt.date(2026, 12, 31),
            }
            values.update(kwargs)
            state = values.pop("state", "idea")
            initiative = services.initiative_create(
                actor=SYSTEM, cooperation=demo.cooperation, **values
            )
            path = {
                "idea": [],
                "approved": ["assessment", "approved"],
                "in_progress": ["assessment", "approved", "in_progress"],
            }[state]
            for step in path:
                initiative = services.initiative_transition(
                    actor=SYSTEM,
                    initiative=initiative,
                    expected_version=None,
                    state=step,
                    decision_reference="ITR-2026-099" if step == "approved" else "",
                )
            return initiative

    return Portfolio()
