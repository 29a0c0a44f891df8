"""The service desk's test fixtures (found by the root conftest through pytest_plugins)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def local(*args: int) -> dt.datetime:
    """A moment in Swedish time (the demo calendar's zone)."""
    return dt.datetime(*args, tzinfo=STOCKHOLM)  # type: ignore[misc]


@pytest.fixture
def desk(demo: Any) -> Any:
    """The demo service desk: groups by name, the people, and a helper that registers a ticket
    as the agent."""
    from itfabrik.core.actors import SYSTEM
    from itfabrik.servicedesk import services
    from itfabrik.servicedesk.models import AssignmentGroup

    class Desk:
        cooperation = demo.cooperation
        groups = {g.name: g for g in AssignmentGroup.objects.filter(cooperation=demo.cooperation)}
        agent = demo.user("agent")
        tekniker = demo.user("tekniker")
        fia = demo.user("anvandare-fargelanda")
        bjorn = demo.user("anvandare-bengtsfors")
        orderer = demo.user("bestallare-mellerud")

        @staticmethod
        def user(username: str) -> Any:
            return demo.user(username)

        @staticmethod
        def ticket(
            requester: Any = None,
            *,
            actor: Any = None,
            impact: str = "medium",
            urgency: str = "medium",
            reported_at: dt.datetime | None = None,
            **kwargs: Any,
        ) -> Any:
            return services.ticket_create(
                actor=actor or SYSTEM,
                requester=requester or Desk.fia,
                title=kwargs.pop("title", "Skrivaren skriver inte ut"),
                impact=impact,
                urgency=urgency,
                reported_at=reported_at or local(2026, 3, 2, 9, 0),
                **kwargs,
            )

    return Desk()
