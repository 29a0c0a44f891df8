"""Two people take the last place of a block at the same moment, on two real PostgreSQL
connections: exactly one gets it, the other is told the block is full, and the counter equals
the rows. (The sequential version, on both databases, is in test_services.)"""

from __future__ import annotations

import os
import threading
from typing import Any

import pytest

from itfabrik.core.errors import ValidationFailed


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="two connections booking at once need PostgreSQL (SQLite serialises writers)",
)
def test_two_people_never_both_take_the_last_place(
    demo_reloaded_afterwards: Any, transactional_db: Any
) -> None:
    from django.db import connections

    from itfabrik.accounts.models import User
    from itfabrik.bookings import services
    from itfabrik.bookings.choices import BookingStatus
    from itfabrik.bookings.models import Block, Booking
    from itfabrik.bookings.tests.fixtures import FIRST_TEST_DAY
    from itfabrik.core.actors import SYSTEM
    from itfabrik.servicedesk import services as sd_services
    from itfabrik.tenancy.models import OrgNode

    fia = User.objects.get(username="anvandare-fargelanda")
    agent = User.objects.get(username="agent")
    tekniker = User.objects.get(username="tekniker")
    fargelanda = OrgNode.objects.get(name="Färgelanda kommun")
    import datetime as dt

    from django.utils import timezone

    from itfabrik.bookings import rules

    cal = services._pure_calendar(fargelanda.cooperation_id, timezone.localdate())
    assert cal is not None
    start = timezone.localdate() + dt.timedelta(days=FIRST_TEST_DAY)
    day = next(rules.working_days(cal, start, start + dt.timedelta(days=30)))
    block = services.block_create(
        actor=SYSTEM,
        technician=tekniker,
        municipality=fargelanda,
        date=day,
        part="morning",
        capacity=2,
    )
    tickets = [
        sd_services.ticket_create(
            actor=SYSTEM,
            requester=fia,
            title=f"Skärmen flimrar {i}",
            impact="low",
            urgency="low",
        )
        for i in range(3)
    ]
    services.booking_create(actor=fia, ticket=tickets[0], block=block)  # one place left
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def book(actor: Any, ticket: Any) -> None:
        try:
            barrier.wait()
            services.booking_create(actor=actor, ticket=ticket, block=block)
            outcomes.append("ok")
        except ValidationFailed as exc:
            outcomes.append(str(exc.fields["block"][0]))
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=book, args=(fia, tickets[1])),
        threading.Thread(target=book, args=(agent, tickets[2])),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["Passet är fullbokat. Välj ett annat pass.", "ok"]
    block = Block.objects.get(pk=block.pk)
    assert block.booked == 2
    assert Booking.objects.filter(block=block, status=BookingStatus.ACTIVE).count() == 2
