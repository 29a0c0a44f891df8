"""Satisfaction in a browser: `anvandare-fargelanda` rates a resolved ticket with one click from
the portal and sees the answer, then rates another one low with a comment; `tekniker`, team lead
of the ticket's group, sees the low-score alert on the start page and follows it up. Every page
passes axe-core."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from .helpers import check_a11y, login, url

pytestmark = pytest.mark.browser


def _resolved_ticket(title: str) -> str:
    """A ticket of Fia's, resolved by the identity group (led by `tekniker`), through the
    service desk's services as the agent would."""
    from django.utils import timezone

    from itfabrik.accounts.models import User
    from itfabrik.core.actors import SYSTEM
    from itfabrik.servicedesk import services
    from itfabrik.servicedesk.models import AssignmentGroup

    fia = User.objects.get(username="anvandare-fargelanda")
    group = AssignmentGroup.objects.get(name="2:a linjen identitet")
    reported = timezone.now() - dt.timedelta(days=2)
    ticket = services.ticket_create(
        actor=SYSTEM,
        requester=fia,
        title=title,
        impact="low",
        urgency="medium",
        reported_at=reported,
        group=group,
    )
    for status, hours in (("in_progress", 1), ("resolved", 3)):
        ticket = services.ticket_transition(
            actor=SYSTEM,
            ticket=ticket,
            expected_version=None,
            status=status,
            at=reported + dt.timedelta(hours=hours),
        )
    return ticket.reference


def test_requester_rates_with_one_click_and_the_team_lead_sees_the_low_score(
    page: Page,
) -> None:
    first = _resolved_ticket("Kan inte logga in i Teams")
    second = _resolved_ticket("Lösenordet går inte att byta")

    login(page, "anvandare-fargelanda")
    panel = page.get_by_role("region", name="Betygsätt dina lösta ärenden")
    expect(panel).to_contain_text(first)
    check_a11y(page)
    panel.get_by_role("link", name="Alla lösta ärenden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Betygsätt dina lösta ärenden")
    check_a11y(page)

    row = page.get_by_role("row").filter(has_text=first)
    row.get_by_role("button", name="5 – mycket nöjd").click()  # the one click
    expect(page.get_by_role("heading", level=1)).to_contain_text(first)
    expect(page.get_by_role("status")).to_contain_text("Tack för ditt betyg!")
    expect(page.locator("#rating-answer")).to_contain_text("5 – mycket nöjd")
    check_a11y(page)

    page.goto(url(page, "/nojdhet/"))
    expect(page.get_by_role("row").filter(has_text=first)).to_contain_text("5 – mycket nöjd")
    page.get_by_role("row").filter(has_text=second).get_by_role("link", name=second).click()
    page.get_by_label("Kommentar").fill("Fick vänta en vecka på svar.")
    page.get_by_role("button", name="1 – mycket missnöjd").click()
    expect(page.locator("#rating-answer")).to_contain_text("Fick vänta en vecka på svar.")
    check_a11y(page)

    page.get_by_role("banner").get_by_role("button", name="Logga ut").click()
    login(page, "tekniker")
    alerts = page.get_by_role("region", name="Låga betyg att följa upp")
    expect(alerts).to_contain_text(second)
    expect(alerts).to_contain_text("Fick vänta en vecka på svar.")
    expect(alerts).not_to_contain_text(first)
    check_a11y(page)
    alerts.get_by_role("link", name="Alla larm om låga betyg").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Låga betyg")
    check_a11y(page)
    page.get_by_label("Vad har gjorts?").first.fill("Ringt upp Fia och bett om ursäkt.")
    page.get_by_role("button", name=f"Kvittera {second}").click()
    expect(page.get_by_role("status")).to_contain_text(f"Larmet för {second} är kvitterat.")
    check_a11y(page)
