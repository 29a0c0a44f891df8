"""Hand-built tickets for the report tests: spring 2024, before any demo ticket, so a period of
2024-03..2024-04 holds exactly these. Every ticket is made through servicedesk's services with
fixed times; the expected figures in the tests are counted by hand from the list below.

  T1 Färgelanda portal  reported 2024-03-04  answered in time, resolved in time   (1st line)
  T2 Färgelanda phone   reported 2024-03-05  answered late,    resolved in time   (1st line)
  T3 Bengtsfors email   reported 2024-03-06  answered in time, waited, resolved late
  T4 Bengtsfors portal  reported 2024-04-02  moved to the network group, both in time
  T5 Färgelanda portal  reported 2024-03-07  open
  T6 Färgelanda walk-in reported 2024-04-29  open
  T7 Bengtsfors phone   reported 2024-04-25  open
  T8 Färgelanda portal  reported 2024-03-20  resolved 2024-05-10 (after the period)
  Three deflections in Färgelanda in March 2024.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest

STOCKHOLM = ZoneInfo("Europe/Stockholm")
PERIOD = {"from": "2024-03", "to": "2024-04"}


def local(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=STOCKHOLM)  # type: ignore[misc]


@pytest.fixture
def spring(demo: Any) -> Any:
    from itfabrik.core.actors import SYSTEM
    from itfabrik.knowledge import services as kb_services
    from itfabrik.knowledge.choices import ArticleStatus
    from itfabrik.knowledge.models import Article, Deflection
    from itfabrik.servicedesk import services
    from itfabrik.servicedesk.choices import GroupKind, TicketStatus
    from itfabrik.servicedesk.models import AssignmentGroup

    coop = demo.cooperation
    first = AssignmentGroup.objects.get(cooperation=coop, kind=GroupKind.FIRST_LINE)
    network = AssignmentGroup.objects.get(cooperation=coop, kind=GroupKind.NETWORK)
    fia = demo.user("anvandare-fargelanda")
    bjorn = demo.user("anvandare-bengtsfors")

    def create(requester: Any, reported: dt.datetime, channel: str) -> Any:
        return services.ticket_create(
            actor=SYSTEM,
            requester=requester,
            title="Rapporttest",
            impact="medium",
            urgency="medium",
            channel=channel,
            reported_at=reported,
            group=first,
        )

    def move(ticket: Any, status: str, at: dt.datetime) -> Any:
        return services.ticket_transition(
            actor=SYSTEM, ticket=ticket, expected_version=None, status=status, at=at
        )

    hour = dt.timedelta(hours=1)
    t1 = create(fia, local(2024, 3, 4, 9, 0), "portal")
    t1 = move(t1, TicketStatus.IN_PROGRESS, t1.reported_at + hour)
    t1 = move(t1, TicketStatus.RESOLVED, t1.reported_at + 2 * hour)

    t2 = create(fia, local(2024, 3, 5, 9, 0), "phone")
    t2 = move(t2, TicketStatus.IN_PROGRESS, t2.response_due + hour)
    assert t2.resolution_due > t2.first_response_at + hour
    t2 = move(t2, TicketStatus.RESOLVED, t2.first_response_at + hour)

    t3 = create(bjorn, local(2024, 3, 6, 9, 0), "email")
    t3 = move(t3, TicketStatus.IN_PROGRESS, t3.reported_at + hour)
    t3 = move(t3, TicketStatus.WAITING_REQUESTER, t3.reported_at + 2 * hour)
    t3 = move(t3, TicketStatus.IN_PROGRESS, t3.reported_at + 3 * hour)
    t3 = move(t3, TicketStatus.RESOLVED, t3.resolution_due + hour)

    t4 = create(bjorn, local(2024, 4, 2, 9, 0), "portal")
    t4 = services.ticket_update(actor=SYSTEM, ticket=t4, expected_version=None, group=network)
    t4 = move(t4, TicketStatus.IN_PROGRESS, t4.reported_at + hour)
    t4 = move(t4, TicketStatus.RESOLVED, t4.reported_at + 2 * hour)

    t5 = create(fia, local(2024, 3, 7, 10, 0), "portal")
    t6 = create(fia, local(2024, 4, 29, 10, 0), "walk_in")
    t7 = create(bjorn, local(2024, 4, 25, 10, 0), "phone")
    t8 = create(fia, local(2024, 3, 20, 10, 0), "portal")
    t8 = move(t8, TicketStatus.IN_PROGRESS, t8.reported_at + hour)
    t8 = move(t8, TicketStatus.RESOLVED, local(2024, 5, 10, 10, 0))

    article = Article.objects.filter(
        cooperation=coop, status=ArticleStatus.PUBLISHED, audience="everyone"
    ).first()
    assert article is not None
    for day in (5, 12, 19):
        d = kb_services.deflection_record(actor=fia, article=article, query="skrivare")
        # Set-up only: a deflection is stamped "now"; move it back to the test month (which
        # also takes it out of the double-click window, so the next one is a new deflection).
        Deflection.objects.filter(pk=d.pk).update(occurred_at=local(2024, 3, day, 10, 0))

    class Spring:
        tickets = {
            "t1": t1, "t2": t2, "t3": t3, "t4": t4, "t5": t5, "t6": t6, "t7": t7, "t8": t8,
        }  # fmt: skip
        groups = {"first": first, "network": network}
        fargelanda = demo.node("Färgelanda kommun")
        bengtsfors = demo.node("Bengtsfors kommun")
        mellerud = demo.node("Melleruds kommun")

    return Spring()


@pytest.fixture
def contact_of(demo: Any) -> Any:
    """A new user holding a role (IT contact by default) on one municipality's node."""
    from itfabrik.accounts import services as account_services
    from itfabrik.core.actors import SYSTEM
    from itfabrik.core.roles import Role

    def make(municipality: str, role: str = Role.IT_CONTACT, username: str = "") -> Any:
        node = demo.node(municipality)  # e.g. "Färgelanda kommun"
        user = account_services.user_create(
            actor=SYSTEM,
            username=username or f"{role}-{node.pk}",
            password=None,
            home_unit=node,
        )
        account_services.role_assign(actor=SYSTEM, user=user, role=role, node=node)
        return user

    return make
