"""Two council secretaries record decisions of the same forum at the same moment, on two real
PostgreSQL connections, at two different meetings: both get numbers, different ones, one after
the other, with no gap. (The sequential version, on both databases, is in test_services.)"""

from __future__ import annotations

import datetime as dt
import os
import threading
from typing import Any

import pytest


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="two connections writing at once need PostgreSQL (SQLite serialises writers)",
)
def test_two_decisions_at_once_get_consecutive_numbers(
    demo_reloaded_afterwards: Any, transactional_db: Any
) -> None:
    from django.db import connections

    from itfabrik.core.actors import SYSTEM
    from itfabrik.governance import services
    from itfabrik.governance.models import Decision, Forum

    itr = Forum.objects.get(prefix="ITR")
    day = dt.date(2031, 3, 1)  # a year with no decisions yet: the counter row is created too
    meetings = [
        services.meeting_create(actor=SYSTEM, forum=itr, held_on=day + dt.timedelta(days=i))
        for i in range(2)
    ]
    numbers: list[str] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def decide(meeting: Any, title: str) -> None:
        try:
            barrier.wait()
            d = services.decision_create(
                actor=SYSTEM, meeting=meeting, title=title, text="Text.", scope="cooperation"
            )
            numbers.append(d.number)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=decide, args=(m, f"Beslut {i}")) for i, m in enumerate(meetings)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(numbers) == ["ITR-2031-001", "ITR-2031-002"]
    assert Decision.objects.filter(forum=itr, year=2031).count() == 2
