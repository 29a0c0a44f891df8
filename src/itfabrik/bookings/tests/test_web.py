"""The bookings' pages end to end: the portal, booking a visit with its error messages, the
technician's week calendar and the iCalendar feed (parsed back), the team lead's blocks; query
counts that do not grow with the rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from icalendar import Calendar

from itfabrik.bookings import services
from itfabrik.bookings.models import Block, Booking
from itfabrik.core.tests import assert_unchanged, db_state, home_panel, page_query_count

pytestmark = pytest.mark.django_db


def _week(block: Any) -> str:
    day = block.date - dt.timedelta(days=block.date.weekday())
    return day.isoformat()


def test_requester_books_a_morning_from_the_radio_list(web_as: Any, visits: Any) -> None:
    morning = visits.block(capacity=2)
    foreign = visits.block(visits.bengtsfors)
    ticket = visits.ticket()
    client = web_as("anvandare-fargelanda")
    page = client.get(f"/besok/arenden/{ticket.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert f'id="block-{morning.pk}"' in html
    assert f'id="block-{foreign.pk}"' not in html
    assert "Förmiddag 08:00–12:00, 2 platser kvar (Tore Karlsson)" in html
    r = client.post(f"/besok/arenden/{ticket.pk}/", {"block": morning.pk, "note": "Rum 4"})
    assert r.status_code == 302
    booking = Booking.objects.get(ticket=ticket)
    assert (booking.block_id, booking.note) == (morning.pk, "Rum 4")
    html = client.get(f"/besok/arenden/{ticket.pk}/").content.decode()
    assert "Bokat besök" in html
    assert "Ärendet väntar på besöket" in html
    assert "Avboka besöket" in html
    panel = home_panel(client.get("/"), "bookings.my_visits")
    assert [t.pk for t in panel["visits"]] == [ticket.pk]
    assert panel["visits"][0].visit_start == morning.starts_at


def test_book_form_errors_name_the_field_and_change_nothing(web_as: Any, visits: Any) -> None:
    full = visits.block(capacity=1)
    services.booking_create(actor=visits.fia, ticket=visits.ticket(), block=full)
    ticket = visits.ticket()
    client = web_as("anvandare-fargelanda")
    before = db_state()
    r = client.post(f"/besok/arenden/{ticket.pk}/", {})
    assert r.status_code == 400
    assert "Pass: Välj ett pass." in r.content.decode()
    r = client.post(f"/besok/arenden/{ticket.pk}/", {"block": full.pk})
    assert r.status_code == 400
    assert "Pass: Passet är fullbokat. Välj ett annat pass." in r.content.decode()
    assert_unchanged(before)


def test_rebook_and_cancel_from_the_page(web_as: Any, visits: Any) -> None:
    first, second = visits.block(), visits.block()
    ticket = visits.ticket()
    booking = services.booking_create(actor=visits.fia, ticket=ticket, block=first)
    client = web_as("anvandare-fargelanda")
    r = client.post(
        f"/besok/arenden/{ticket.pk}/", {"block": second.pk, "version": booking.version}
    )
    assert r.status_code == 302
    booking.refresh_from_db()
    assert booking.block_id == second.pk
    # A page opened before the rebooking: told, nothing cancelled.
    before = db_state()
    r = client.post(f"/besok/bokningar/{booking.pk}/avboka/", {"version": 1}, follow=True)
    assert "Någon annan har ändrat uppgifterna" in r.content.decode()
    assert_unchanged(before)
    r = client.post(f"/besok/bokningar/{booking.pk}/avboka/", {"version": booking.version})
    assert r.status_code == 302
    booking.refresh_from_db()
    assert booking.status == "cancelled"


def test_agent_marks_and_the_requester_is_offered_the_visit(web_as: Any, visits: Any) -> None:
    ticket = visits.ticket()
    agent = web_as("agent")
    r = agent.post(f"/besok/arenden/{ticket.pk}/behov/", {"note": "Byt dockningsstation."})
    assert r.status_code == 302
    fia = web_as("anvandare-fargelanda")
    home = fia.get("/").content.decode()
    assert f"Boka besök för {ticket.reference}" in home
    portal = fia.get("/besok/").content.decode()
    assert f"Boka besök för {ticket.reference} (behövs)" in portal


def test_portal_query_count_does_not_grow(web_as: Any, visits: Any) -> None:
    client = web_as("anvandare-fargelanda")
    for _ in range(2):
        services.booking_create(actor=visits.fia, ticket=visits.ticket(), block=visits.block())
    few, _r = page_query_count(client, "/besok/")
    for _ in range(5):
        services.booking_create(actor=visits.fia, ticket=visits.ticket(), block=visits.block())
    many, _r = page_query_count(client, "/besok/")
    assert many == few


def test_technician_calendar_week_and_its_query_count(web_as: Any, visits: Any) -> None:
    block = visits.block(capacity=3)
    ticket = visits.ticket(title="Dockningsstationen laddar inte")
    services.booking_create(actor=visits.fia, ticket=ticket, block=block)
    client = web_as("tekniker")
    url = f"/besok/kalender/?vecka={_week(block)}"
    few, r = page_query_count(client, url)
    html = r.content.decode()
    assert ticket.reference in html
    assert "Dockningsstationen laddar inte" in html
    assert "1 / 3" in html
    assert "1 bokat besök den här veckan." in html
    for _ in range(2):
        services.booking_create(actor=visits.fia, ticket=visits.ticket(), block=block)
    many, r = page_query_count(client, url)
    assert "3 bokade besök den här veckan." in r.content.decode()
    assert many == few
    # A team lead or agent looks at the technician's week; nobody else's week is chosen.
    r = web_as("agent").get(f"{url}&tekniker={visits.tekniker.pk}")
    assert ticket.reference in r.content.decode()
    assert web_as("agent").get(f"{url}&tekniker={visits.fia.pk}").status_code == 404


def test_feed_lists_the_booked_visit_as_rfc5545(web_as: Any, visits: Any) -> None:
    block = visits.block(capacity=2)
    empty = visits.block(visits.bengtsfors, part="afternoon")
    ticket = visits.ticket(title="Skrivaren i korridoren")
    booking = services.booking_create(
        actor=visits.fia, ticket=ticket, block=block, note="Ring på receptionen."
    )
    client = web_as("tekniker")
    assert client.post("/besok/kalender/ny-lank/").status_code == 302
    page = client.get("/besok/kalender/").content.decode()
    start = page.index('id="feed-url" href="') + len('id="feed-url" href="')
    feed_url = page[start : page.index('"', start)]
    assert feed_url.startswith("http://testserver/besok/kalender/")
    assert 'id="feed-url"' not in client.get("/besok/kalender/").content.decode()  # shown once
    client.logout()
    r = client.get(feed_url.removeprefix("http://testserver"))
    assert r.status_code == 200
    assert r["Content-Type"] == "text/calendar; charset=utf-8"
    assert b"\r\n" in r.content  # RFC 5545 line ends
    cal = Calendar.from_ical(r.content)
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["PRODID"])
    events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    visit = events[f"itfabrik-booking-{booking.pk}@testserver"]
    assert str(visit["SUMMARY"]) == f"{ticket.reference} Skrivaren i korridoren"
    assert str(visit["LOCATION"]) == f"{ticket.unit.name}, Färgelanda kommun"
    assert visit.decoded("DTSTART") == block.starts_at
    assert visit.decoded("DTEND") == block.ends_at
    assert visit.decoded("DTSTART").utcoffset() == dt.timedelta(0)
    assert visit.decoded("DTSTAMP").tzinfo is not None
    assert "Ring på receptionen." in str(visit["DESCRIPTION"])
    held = events[f"itfabrik-block-{empty.pk}@testserver"]
    assert str(held["SUMMARY"]) == "Besökspass eftermiddag, Bengtsfors kommun"
    assert str(held["LOCATION"]) == "Bengtsfors kommun"
    # Cancelled: gone from the feed; an unknown or replaced address is not found.
    services.booking_cancel(actor=visits.fia, booking=booking, expected_version=None)
    again = Calendar.from_ical(client.get(feed_url.removeprefix("http://testserver")).content)
    assert f"itfabrik-booking-{booking.pk}@testserver" not in {
        str(e["UID"]) for e in again.walk("VEVENT")
    }
    assert client.get("/besok/kalender/fel.ics").status_code == 404


def test_feed_query_count_does_not_grow(client: Any, visits: Any) -> None:
    token = services.feed_token_renew(actor=visits.tekniker)
    url = f"/besok/kalender/{token}.ics"
    few, _r = page_query_count(client, url)
    for _ in range(3):
        services.booking_create(actor=visits.fia, ticket=visits.ticket(), block=visits.block())
    many, _r = page_query_count(client, url)
    assert many == few <= 5


def test_team_lead_generates_corrects_and_closes_blocks(web_as: Any, visits: Any) -> None:
    client = web_as("admin")
    page = client.get("/besok/pass/")
    assert page.status_code == 200
    first = visits.next_day()
    r = client.post(
        "/besok/pass/",
        {
            "technician": visits.tekniker.pk,
            "municipality": visits.fargelanda.pk,
            "first": first.isoformat(),
            "last": first.isoformat(),
            "parts": ["morning"],
            "capacity": 4,
        },
    )
    assert r.status_code == 302
    block = Block.objects.get(technician=visits.tekniker, date=first)
    assert (block.part, block.capacity) == ("morning", 4)
    r = client.post(
        "/besok/pass/",
        {
            "technician": visits.tekniker.pk,
            "municipality": visits.fargelanda.pk,
            "first": (timezone.localdate() - dt.timedelta(days=1)).isoformat(),
            "last": first.isoformat(),
            "parts": ["morning"],
            "capacity": 4,
        },
    )
    assert r.status_code == 400
    assert "Från och med: Datumet har redan varit." in r.content.decode()
    r = client.post(
        f"/besok/pass/{block.pk}/",
        {"capacity": 2, "note": "Med bil", "version": block.version},
    )
    assert r.status_code == 302
    block.refresh_from_db()
    assert (block.capacity, block.note, block.is_open) == (2, "Med bil", False)
    r = client.post(f"/besok/pass/{block.pk}/", {"capacity": 2, "is_open": "on", "version": 1})
    assert r.status_code == 400  # a stale page: told, nothing overwritten
    block.refresh_from_db()
    assert block.is_open is False


def test_blocks_and_free_blocks_pages_query_counts_do_not_grow(web_as: Any, visits: Any) -> None:
    ticket = visits.ticket()
    visits.block()
    admin = web_as("admin")
    blocks_few, _r = page_query_count(admin, "/besok/pass/")
    free_few, _r = page_query_count(admin, f"/besok/arenden/{ticket.pk}/")
    for _ in range(4):
        visits.block()
    blocks_many, _r = page_query_count(admin, "/besok/pass/")
    free_many, r = page_query_count(admin, f"/besok/arenden/{ticket.pk}/")
    assert blocks_many == blocks_few
    assert free_many == free_few
    assert r.content.decode().count('type="radio" name="block"') >= 5
