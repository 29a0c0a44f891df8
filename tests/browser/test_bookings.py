"""Bookings in a browser: `anvandare-fargelanda` books a förmiddag visit on her ticket in the
portal; `tekniker` finds it in the week calendar (by keyboard, and at 375 px) and in his
iCalendar feed. Every page passes axe-core."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import Page, expect

from .helpers import check_a11y, login, menu_link, screenshot, url

pytestmark = pytest.mark.browser


def _ticket() -> str:
    from itfabrik.accounts.models import User
    from itfabrik.core.actors import SYSTEM
    from itfabrik.servicedesk import services

    fia = User.objects.get(username="anvandare-fargelanda")
    ticket = services.ticket_create(
        actor=SYSTEM,
        requester=fia,
        title="Dockningsstationen ger ingen bild",
        impact="low",
        urgency="medium",
    )
    return ticket.reference


def test_requester_books_a_morning_and_the_technician_sees_it(page: Page) -> None:
    from itfabrik.bookings.models import Booking

    reference = _ticket()
    login(page, "anvandare-fargelanda")
    menu_link(page, "Boka besök").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mina besök")
    check_a11y(page)
    page.get_by_role("link", name=f"Boka besök för {reference}", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Besök för {reference}")
    check_a11y(page)

    # Without a choice: told which field, nothing booked.
    page.get_by_role("button", name="Boka besöket").click()
    expect(page.get_by_role("alert")).to_contain_text("Pass: Välj ett pass.")
    check_a11y(page)

    first_morning = page.get_by_role("radio", name="Förmiddag 08:00–12:00").first
    first_morning.focus()
    page.keyboard.press("Space")  # the keyboard chooses a radio, as a pointer would
    expect(first_morning).to_be_checked()
    page.get_by_label("Meddelande till teknikern").fill("Jag sitter i rum 12.")
    page.get_by_role("button", name="Boka besöket").click()
    expect(page.get_by_text("Besöket är bokat.")).to_be_visible()
    booked = page.locator("#booked")
    expect(booked).to_contain_text("Förmiddag")
    expect(booked).to_contain_text("08:00–12:00")
    expect(booked).to_contain_text("Färgelanda kommun")
    expect(page.locator("#ticket-status")).to_have_text("Väntar på anmälaren")
    check_a11y(page)
    page.set_viewport_size({"width": 375, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    check_a11y(page)
    screenshot(page, "bookings-ticket")

    booking = Booking.objects.select_related("block").get(ticket__reference=reference)
    assert booking.block.part == "morning"
    monday = booking.block.date - dt.timedelta(days=booking.block.date.weekday())

    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, "tekniker")
    menu_link(page, "Besökskalender").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Besökskalender")
    check_a11y(page)
    # To the booked week from the keyboard: "Nästa vecka" until the visit shows.
    this_monday = timezone.localdate() - dt.timedelta(days=timezone.localdate().weekday())
    for _ in range((monday - this_monday).days // 7):
        link = page.get_by_role("link", name="Nästa vecka")
        link.focus()
        page.keyboard.press("Enter")
        page.wait_for_load_state()
    row = page.get_by_role("row").filter(has_text=reference)
    expect(row).to_contain_text("Dockningsstationen ger ingen bild")
    expect(row).to_contain_text("Förmiddag 08:00–12:00")
    check_a11y(page)
    page.set_viewport_size({"width": 375, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    check_a11y(page)
    screenshot(page, "bookings-calendar")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_role("button", name="Skapa kalenderlänk").click()
    expect(page.get_by_text("En ny kalenderlänk är skapad.")).to_be_visible()
    feed_url = page.locator("#feed-url").get_attribute("href")
    assert feed_url is not None
    check_a11y(page)
    response = page.context.request.get(feed_url)
    assert response.ok
    assert response.headers["content-type"].startswith("text/calendar")
    events = Calendar.from_ical(response.body()).walk("VEVENT")
    visit = next(e for e in events if str(e["SUMMARY"]).startswith(reference))
    assert visit.decoded("DTSTART") == booking.block.starts_at
    assert "Färgelanda kommun" in str(visit["LOCATION"])
    page.goto(url(page, "/besok/kalender/"))
    expect(page.locator("#feed-url")).to_have_count(0)  # the secret is shown once


def test_team_lead_creates_blocks_for_a_period(page: Page) -> None:
    login(page, "admin")
    menu_link(page, "Besökspass").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Besökspass")
    check_a11y(page)
    from itfabrik.bookings import rules, services
    from itfabrik.bookings.models import Block
    from itfabrik.tenancy.models import OrgNode

    first = timezone.localdate() + dt.timedelta(days=60)
    last = first + dt.timedelta(days=6)
    amal = OrgNode.objects.get(name="Åmåls kommun")
    cal = services._pure_calendar(amal.cooperation_id, first, last)
    assert cal is not None
    expected = len(list(rules.working_days(cal, first, last)))  # a week, less any holidays
    form = page.get_by_role("region", name="Skapa pass")
    form.get_by_label("Tekniker", exact=True).select_option(label="Tore Karlsson")
    form.get_by_label("Kommun", exact=True).select_option(label="Åmåls kommun")
    form.get_by_label("Från och med").fill(first.isoformat())
    form.get_by_label("Till och med").fill(last.isoformat())
    form.get_by_label("Eftermiddag").uncheck()
    form.get_by_role("button", name="Skapa pass").click()
    expect(page.get_by_role("status")).to_contain_text(f"{expected} pass skapade.")
    check_a11y(page)
    created = Block.objects.filter(municipality=amal, date__gte=first)
    assert created.count() == expected
    page.goto(url(page, f"/besok/pass/{created.order_by('date').first().pk}/"))  # type: ignore[union-attr]
    expect(page.get_by_role("heading", level=1)).to_contain_text("Pass förmiddag")
    check_a11y(page)
    page.get_by_label("Öppet för bokning").uncheck()
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("status")).to_contain_text("Passet är sparat.")
