"""The permission matrix for every bookings page and endpoint: who gets 200, who 404, and that a
refused write changed nothing."""

from __future__ import annotations

from typing import Any

import pytest

from itfabrik.bookings import services
from itfabrik.core.tests import (
    ADMIN,
    AGENT,
    ANON,
    FINANCE,
    MELLERUD,
    ORDERER,
    OTHER,
    SAME,
    actor_params,
    assert_unchanged,
    db_state,
    ensure_same_unit_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def mellerud(demo: Any, visits: Any) -> Any:
    """A Mellerud block and a visit booked in it by Mellerud's portal user for their ticket."""
    user = ensure_same_unit_user(demo)
    block = visits.block(demo.node(MELLERUD), capacity=3)
    ticket = visits.ticket(user)
    booking = services.booking_create(actor=user, ticket=ticket, block=block)
    return block, ticket, booking


BOOKING_SEEN = {ANON: 401, OTHER: 404, SAME: 200, ORDERER: 404, AGENT: 200, FINANCE: 404}
BLOCK_SEEN = {ANON: 401, OTHER: 404, SAME: 200, ORDERER: 200, AGENT: 200, FINANCE: 200}


@pytest.mark.parametrize(("actor", "expected"), actor_params({**BOOKING_SEEN, ADMIN: 200}))
def test_api_booking_detail(api_as: Any, mellerud: Any, actor: Any, expected: int) -> None:
    r = api_as(actor).get(f"/api/v1/bookings/bookings/{mellerud[2].pk}/")
    assert r.status_code == expected


@pytest.mark.parametrize(("actor", "expected"), actor_params({**BLOCK_SEEN, ADMIN: 200}))
def test_api_block_detail(api_as: Any, mellerud: Any, actor: Any, expected: int) -> None:
    r = api_as(actor).get(f"/api/v1/bookings/blocks/{mellerud[0].pk}/")
    assert r.status_code == expected


@pytest.mark.parametrize(
    ("actor", "expected"),
    actor_params({ANON: 401, OTHER: 404, SAME: 200, ORDERER: 404, AGENT: 200, FINANCE: 404,
                  ADMIN: 200}),
)  # fmt: skip
def test_api_cancel(api_as: Any, mellerud: Any, actor: Any, expected: int) -> None:
    booking = mellerud[2]
    client = api_as(actor)
    before = db_state()
    r = client.post(
        f"/api/v1/bookings/bookings/{booking.pk}/cancel/",
        {"version": booking.version},
        format="json",
    )
    assert r.status_code == expected
    if expected != 200:
        assert_unchanged(before)


@pytest.mark.parametrize(
    ("actor", "expected"),
    actor_params({ANON: 401, OTHER: 404, SAME: 404, ORDERER: 404, AGENT: 403, FINANCE: 404,
                  ADMIN: 200}),
)  # fmt: skip
def test_api_block_close(api_as: Any, demo: Any, visits: Any, actor: Any, expected: int) -> None:
    """Closing is for team leads and admins. Portal users and finance see the free blocks but
    not the technicians' configuration (404); agents see it but may not change it (403)."""
    ensure_same_unit_user(demo)
    block = visits.block(demo.node(MELLERUD))
    client = api_as(actor)
    before = db_state()
    r = client.post(f"/api/v1/bookings/blocks/{block.pk}/close/", {"version": 1}, format="json")
    assert r.status_code == expected
    if expected != 200:
        assert_unchanged(before)


@pytest.mark.parametrize(
    ("actor", "expected"),
    actor_params({ANON: 302, OTHER: 404, SAME: 200, ORDERER: 404, AGENT: 200, FINANCE: 404,
                  ADMIN: 200}),
)  # fmt: skip
def test_web_ticket_visit_page(web_as: Any, mellerud: Any, actor: Any, expected: int) -> None:
    r = web_as(actor).get(f"/besok/arenden/{mellerud[1].pk}/")
    assert r.status_code == expected


@pytest.mark.parametrize(
    ("actor", "expected"),
    actor_params({ANON: 302, OTHER: 404, SAME: 302, ORDERER: 404, AGENT: 302, FINANCE: 404,
                  ADMIN: 302}),
)  # fmt: skip
def test_web_cancel(web_as: Any, mellerud: Any, actor: Any, expected: int) -> None:
    booking = mellerud[2]
    client = web_as(actor)
    before = db_state()
    r = client.post(f"/besok/bokningar/{booking.pk}/avboka/", {"version": booking.version})
    assert r.status_code == expected
    if expected != 302 or actor is None:
        assert_unchanged(before)
    else:
        booking.refresh_from_db()
        assert booking.status == "cancelled"


@pytest.mark.parametrize(
    ("actor", "expected"),
    actor_params({ANON: 302, OTHER: 404, SAME: 404, ORDERER: 404, AGENT: 404, FINANCE: 404,
                  ADMIN: 200}),
)  # fmt: skip
def test_web_blocks_page(web_as: Any, demo: Any, actor: Any, expected: int) -> None:
    ensure_same_unit_user(demo)
    assert web_as(actor).get("/besok/pass/").status_code == expected


@pytest.mark.parametrize(
    ("actor", "expected"),
    actor_params({ANON: 302, OTHER: 404, SAME: 404, ORDERER: 404, AGENT: 200, FINANCE: 404,
                  ADMIN: 200}),
)  # fmt: skip
def test_web_calendar_page(web_as: Any, demo: Any, actor: Any, expected: int) -> None:
    ensure_same_unit_user(demo)
    assert web_as(actor).get("/besok/kalender/").status_code == expected


@pytest.mark.parametrize(
    ("actor", "expected"),
    actor_params({ANON: 302, OTHER: 200, SAME: 200, ORDERER: 200, AGENT: 200, FINANCE: 200,
                  ADMIN: 200}),
)  # fmt: skip
def test_web_portal_page(web_as: Any, demo: Any, actor: Any, expected: int) -> None:
    ensure_same_unit_user(demo)
    assert web_as(actor).get("/besok/").status_code == expected
