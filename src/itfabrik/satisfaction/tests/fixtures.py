"""Satisfaction's test fixtures (found by the root conftest through pytest_plugins)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest


@pytest.fixture
def sat(desk: Any) -> Any:
    """Resolved tickets to rate, made through the service desk's services."""
    from itfabrik.core.actors import SYSTEM
    from itfabrik.servicedesk import services as desk_services
    from itfabrik.servicedesk.choices import TicketStatus
    from itfabrik.servicedesk.tests.fixtures import local

    class Sat:
        fia = desk.fia
        bjorn = desk.bjorn
        groups = desk.groups
        identity = desk.groups["2:a linjen identitet"]  # led by tekniker

        @staticmethod
        def resolved(
            requester: Any = None,
            *,
            reported: dt.datetime | None = None,
            resolved: dt.datetime | None = None,
            group: Any = None,
            **kwargs: Any,
        ) -> Any:
            reported = reported or local(2026, 3, 2, 9, 0)
            ticket = desk.ticket(
                requester or desk.fia,
                reported_at=reported,
                group=group or Sat.identity,
                **kwargs,
            )
            ticket = desk_services.ticket_transition(
                actor=SYSTEM,
                ticket=ticket,
                expected_version=None,
                status=TicketStatus.IN_PROGRESS,
                at=reported + dt.timedelta(minutes=30),
            )
            return desk_services.ticket_transition(
                actor=SYSTEM,
                ticket=ticket,
                expected_version=None,
                status=TicketStatus.RESOLVED,
                at=resolved or reported + dt.timedelta(hours=3),
            )

        @staticmethod
        def open(requester: Any = None) -> Any:
            return desk.ticket(requester or desk.fia, group=Sat.identity)

    return Sat()
