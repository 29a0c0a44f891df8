"""Satisfaction in the Dalsland demo: about half of the resolved tickets rated by their
requesters, mostly 4 and 5, a few low with a comment (and the alerts those raise for the team
lead), written through the service a day or two after each resolution.

One resolved ticket of `anvandare-fargelanda` is always left unrated, so that the portal offers
something to rate on a fresh demo.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from itfabrik.core.registry import demo_step
from itfabrik.servicedesk.models import Ticket

from . import services
from .choices import RatingChannel
from .models import Rating

# (score, comment): drawn with these weights; most answers are 4 or 5 without comment.
ANSWERS: list[tuple[int, str, int]] = [
    (5, "", 30),
    (5, "Snabbt och trevligt bemötande, tack!", 6),
    (4, "", 22),
    (4, "Bra, men det tog några dagar.", 4),
    (3, "", 6),
    (3, "Löst till slut, men jag fick ringa två gånger.", 2),
    (2, "Ingen återkoppling på flera dagar, och felet kom tillbaka.", 3),
    (1, "Ärendet stängdes utan att problemet var löst.", 2),
]
SHARE = 0.5  # of the resolved tickets


def is_loaded() -> bool:
    return Rating.objects.exists()


@demo_step("satisfaction", after=["servicedesk"], loaded=is_loaded)
def load(ctx: dict[str, Any]) -> None:
    rng = random.Random(22)
    weights = [w for _s, _c, w in ANSWERS]
    tickets = list(
        Ticket.objects.filter(resolved_at__isnull=False)
        .select_related("requester", "unit", "group", "group__lead")
        .order_by("resolved_at", "pk")
    )
    keep = _keep_one_unrated(tickets)
    for ticket in tickets:
        if ticket.pk == keep or rng.random() >= SHARE:
            continue
        assert ticket.resolved_at is not None
        score, comment, _w = rng.choices(ANSWERS, weights=weights)[0]
        services.rating_submit(
            actor=ticket.requester,
            ticket=ticket,
            score=score,
            comment=comment,
            channel=rng.choice([RatingChannel.LINK, RatingChannel.LINK, RatingChannel.PORTAL]),
            at=ticket.resolved_at + dt.timedelta(hours=rng.randint(1, 48)),
        )


def _keep_one_unrated(tickets: list[Ticket]) -> int | None:
    mine = [t for t in tickets if t.requester.get_username() == "anvandare-fargelanda"]
    return mine[-1].pk if mine else None
