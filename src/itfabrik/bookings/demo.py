"""The bookings part of the Dalsland demo: `tekniker` holds förmiddag and eftermiddag blocks in
the four municipalities over the coming three weeks (one municipality a day, in turn), and a few
open demo tickets have a visit booked (which puts them on hold until the visit)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from itfabrik.core.actors import SYSTEM
from itfabrik.core.registry import demo_step
from itfabrik.servicedesk.choices import OPEN_STATUSES
from itfabrik.servicedesk.models import Ticket

from . import rules, services
from .choices import BlockPart
from .models import Block

MUNICIPALITIES = ("Bengtsfors", "Färgelanda", "Mellerud", "Åmål")
WEEKS = 3
# Visits booked on demo tickets: one in each of these municipalities.
BOOKED_IN = ("Bengtsfors", "Mellerud")


def is_loaded() -> bool:
    return Block.objects.exists()


@demo_step("bookings", after=["servicedesk"], loaded=is_loaded)
def load(ctx: dict[str, Any]) -> None:
    coop = ctx["cooperation"]
    nodes = ctx["nodes"]
    tekniker = ctx["users"]["tekniker"]
    cal = services._pure_calendar(coop.pk, timezone.localdate())
    if cal is None:
        return
    first = timezone.localdate() + dt.timedelta(days=1)
    last = first + dt.timedelta(weeks=WEEKS)
    for turn, day in enumerate(rules.working_days(cal, first, last)):
        municipality = nodes[MUNICIPALITIES[turn % len(MUNICIPALITIES)]]
        for part in (BlockPart.MORNING, BlockPart.AFTERNOON):
            services.block_create(
                actor=SYSTEM,
                technician=tekniker,
                municipality=municipality,
                date=day,
                part=part,
                capacity=2,
            )
    for name in BOOKED_IN:
        municipality = nodes[name]
        ticket = (
            Ticket.objects.filter(municipality=municipality, status__in=OPEN_STATUSES)
            .order_by("-reported_at")
            .first()
        )
        block = (
            Block.objects.filter(municipality=municipality, part=BlockPart.MORNING)
            .order_by("starts_at")
            .first()
        )
        if ticket is None or block is None:
            continue
        services.booking_create(
            actor=SYSTEM, ticket=ticket, block=block, note="Ring på receptionen när du kommer."
        )
