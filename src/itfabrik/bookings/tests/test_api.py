"""The bookings API: free blocks per municipality and dates, book, rebook, cancel; the one
error format for bad input; fixed query counts of the lists."""

from __future__ import annotations

from typing import Any

import pytest

from itfabrik.bookings import services
from itfabrik.bookings.models import Block, Booking
from itfabrik.core.tests import assert_error, assert_unchanged, db_state, list_query_count

pytestmark = pytest.mark.django_db

BLOCKS = "/api/v1/bookings/blocks/"
BOOKINGS = "/api/v1/bookings/bookings/"


def test_portal_user_sees_only_their_municipalitys_free_blocks(api_as: Any, visits: Any) -> None:
    own = visits.block(capacity=1)
    full = visits.block(capacity=1)
    services.booking_create(actor=visits.fia, ticket=visits.ticket(), block=full)
    foreign = visits.block(visits.bengtsfors)
    client = api_as("anvandare-fargelanda")
    r = client.get(
        BLOCKS,
        {
            "municipality": visits.fargelanda.pk,
            "date_from": own.date.isoformat(),
            "date_to": foreign.date.isoformat(),
            "free": "true",
        },
    )
    assert r.status_code == 200
    ids = [b["id"] for b in r.json()["results"]]
    assert ids == [own.pk]
    row = r.json()["results"][0]
    assert (row["part"], row["free"], row["municipality_name"]) == (
        "morning",
        1,
        "Färgelanda kommun",
    )
    assert row["starts_at"].endswith(("+01:00", "+02:00"))
    everything = client.get(BLOCKS, {"page_size": 200}).json()["results"]
    assert {b["municipality"] for b in everything} == {visits.fargelanda.pk}
    assert client.get(f"{BLOCKS}{foreign.pk}/").status_code == 404
    assert client.get(f"{BLOCKS}{own.pk}/").status_code == 200


def test_book_rebook_cancel_through_the_api(api_as: Any, visits: Any) -> None:
    first, second = visits.block(capacity=1), visits.block(capacity=1)
    ticket = visits.ticket()
    client = api_as("anvandare-fargelanda")
    r = client.post(
        BOOKINGS, {"ticket": ticket.pk, "block": first.pk, "note": "Rum 12"}, format="json"
    )
    assert r.status_code == 201, r.content
    booking = r.json()
    assert (booking["ticket_reference"], booking["block"], booking["status"]) == (
        ticket.reference,
        first.pk,
        "active",
    )
    assert booking["paused_sla"] is True
    # Double submit: the same booking back, no second place taken.
    again = client.post(BOOKINGS, {"ticket": ticket.pk, "block": first.pk}, format="json")
    assert again.status_code == 201
    assert again.json()["id"] == booking["id"]
    assert Block.objects.get(pk=first.pk).booked == 1
    r = client.post(
        f"{BOOKINGS}{booking['id']}/rebook/",
        {"block": second.pk, "version": booking["version"]},
        format="json",
    )
    assert r.status_code == 200, r.content
    moved = r.json()
    assert moved["block"] == second.pk
    stale = client.post(
        f"{BOOKINGS}{booking['id']}/cancel/", {"version": booking["version"]}, format="json"
    )
    assert_error(stale, 409, "conflict")
    r = client.post(
        f"{BOOKINGS}{booking['id']}/cancel/",
        {"version": moved["version"], "reason": "Fixat själv"},
        format="json",
    )
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "cancelled"
    assert [Block.objects.get(pk=b.pk).booked for b in (first, second)] == [0, 0]


def test_bad_input_names_the_field_and_changes_nothing(api_as: Any, visits: Any) -> None:
    full = visits.block(capacity=1)
    services.booking_create(actor=visits.fia, ticket=visits.ticket(), block=full)
    foreign = visits.block(visits.bengtsfors)
    ticket = visits.ticket()
    client = api_as("anvandare-fargelanda")
    agent = api_as("agent")
    before = db_state()
    error = assert_error(
        client.post(BOOKINGS, {"ticket": ticket.pk, "block": full.pk}, format="json"),
        400,
        "invalid",
    )
    assert error["fields"]["block"][0]["messages"] == {
        "sv": "Passet är fullbokat. Välj ett annat pass.",
        "en": "The block is fully booked. Choose another block.",
    }
    error = assert_error(
        client.post(BOOKINGS, {"ticket": ticket.pk, "block": foreign.pk}, format="json"),
        400,
        "invalid",
    )
    assert error["fields"]["block"][0]["messages"]["sv"] == "Okänt pass."
    error = assert_error(
        agent.post(BOOKINGS, {"ticket": ticket.pk, "block": foreign.pk}, format="json"),
        400,
        "invalid",
    )
    assert error["fields"]["block"][0]["messages"]["sv"].startswith("Passet gäller en annan kommun")
    error = assert_error(
        client.post(BOOKINGS, {"ticket": "x", "block": 0}, format="json"), 400, "invalid"
    )
    assert set(error["fields"]) == {"ticket", "block"}
    assert_unchanged(before)


def test_someone_elses_booking_is_not_found_and_stays(api_as: Any, visits: Any) -> None:
    booking = services.booking_create(
        actor=visits.fia, ticket=visits.ticket(), block=visits.block()
    )
    bjorn = api_as("anvandare-bengtsfors")
    ekonom = api_as("ekonom")
    before = db_state()
    for client in (bjorn, ekonom):
        assert client.get(f"{BOOKINGS}{booking.pk}/").status_code == 404
        r = client.post(f"{BOOKINGS}{booking.pk}/cancel/", {"version": 1}, format="json")
        assert r.status_code == 404
        assert booking.pk not in [b["id"] for b in client.get(BOOKINGS).json()["results"]]
    assert_unchanged(before)
    assert api_as("agent").get(f"{BOOKINGS}{booking.pk}/").status_code == 200
    assert api_as("tekniker").get(f"{BOOKINGS}{booking.pk}/").status_code == 200


def test_blocks_are_configured_by_team_leads_only(api_as: Any, visits: Any) -> None:
    day = visits.next_day()
    body = {
        "municipality": visits.fargelanda.pk,
        "technician": visits.tekniker.pk,
        "date": day.isoformat(),
        "part": "afternoon",
        "capacity": 3,
    }
    agent = api_as("agent")
    fia = api_as("anvandare-fargelanda")
    admin = api_as("admin")
    before = db_state()
    assert_error(agent.post(BLOCKS, body, format="json"), 403, "forbidden")
    r = fia.post(BLOCKS, body, format="json")
    assert r.status_code == 404  # she does not see the technicians' configuration
    assert_unchanged(before)
    r = admin.post(BLOCKS, body, format="json")
    assert r.status_code == 201, r.content
    block = r.json()
    assert (block["part"], block["capacity"], block["booked"]) == ("afternoon", 3, 0)
    r = admin.patch(f"{BLOCKS}{block['id']}/", {"version": 1, "capacity": 1}, format="json")
    assert r.status_code == 200
    assert r.json()["capacity"] == 1
    r = admin.post(f"{BLOCKS}{block['id']}/close/", {"version": 2}, format="json")
    assert r.status_code == 200
    assert r.json()["is_open"] is False
    first = visits.next_day()
    r = admin.post(
        f"{BLOCKS}generate/",
        {
            "municipality": visits.bengtsfors.pk,
            "technician": visits.tekniker.pk,
            "first": first.isoformat(),
            "last": first.isoformat(),
            "parts": ["morning", "afternoon"],
        },
        format="json",
    )
    assert r.status_code == 201, r.content
    assert [b["part"] for b in r.json()] == ["morning", "afternoon"]


def test_list_query_counts_do_not_grow(api_as: Any, visits: Any) -> None:
    client = api_as("agent")
    for _ in range(2):
        services.booking_create(actor=visits.fia, ticket=visits.ticket(), block=visits.block())
    few_blocks = list_query_count(client, BLOCKS)
    few_bookings = list_query_count(client, BOOKINGS)
    for _ in range(6):
        services.booking_create(actor=visits.fia, ticket=visits.ticket(), block=visits.block())
    many_blocks = list_query_count(client, BLOCKS)
    many_bookings = list_query_count(client, BOOKINGS)
    assert many_blocks[1] == few_blocks[1] + 6
    assert many_bookings[1] == few_bookings[1] + 6
    assert many_blocks[0] == few_blocks[0]
    assert many_bookings[0] == few_bookings[0]
    # Token check, the grants, count and page: nothing per row.
    assert many_blocks[0] <= 5
    assert many_bookings[0] <= 5
    assert Booking.objects.count() >= 8
