"""The bookings' test fixtures (found by the root conftest through pytest_plugins)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

# Far enough ahead that the demo's blocks (the coming three weeks) are never in the way.
FIRST_TEST_DAY = 45


@pytest.fixture
def visits(demo: Any, desk: Any) -> Any:
    """Blocks and tickets for booking tests: `block()` gives a new block of `tekniker` on the
    next free working day far ahead; `ticket()` a new ticket of `anvandare-fargelanda`."""
    from django.utils import timezone

    from itfabrik.bookings import rules, services
    from itfabrik.core.actors import SYSTEM

    class Visits:
        fia = desk.fia
        bjorn = desk.bjorn
        agent = desk.agent
        tekniker = desk.tekniker
        admin = demo.user("admin")
        fargelanda = demo.node("Färgelanda kommun")
        bengtsfors = demo.node("Bengtsfors kommun")
        _days: list[dt.date] = []

        @classmethod
        def next_day(cls) -> dt.date:
            cal = services._pure_calendar(demo.cooperation.pk, timezone.localdate())
            assert cal is not None
            start = (
                cls._days[-1] + dt.timedelta(days=1)
                if cls._days
                else timezone.localdate() + dt.timedelta(days=FIRST_TEST_DAY)
            )
            day = next(rules.working_days(cal, start, start + dt.timedelta(days=30)))
            cls._days.append(day)
            return day

        @classmethod
        def block(
            cls,
            municipality: Any = None,
            *,
            capacity: int = 2,
            part: str = "morning",
            technician: Any = None,
        ) -> Any:
            return services.block_create(
                actor=SYSTEM,
                technician=technician or cls.tekniker,
                municipality=municipality or cls.fargelanda,
                date=cls.next_day(),
                part=part,
                capacity=capacity,
            )

        @staticmethod
        def ticket(requester: Any = None, **kwargs: Any) -> Any:
            return desk.ticket(requester or desk.fia, **kwargs)

    Visits._days = []
    return Visits()
