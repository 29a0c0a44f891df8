"""The permission matrix for every service-desk page and endpoint: who gets 200, who 404, and
that a refused write changed nothing."""

from __future__ import annotations

from typing import Any

import pytest

from itfabrik.core.tests import (
    ADMIN,
    AGENT,
    ANON,
    FINANCE,
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
def mellerud_ticket(demo: Any, desk: Any) -> Any:
    """A ticket reported by Mellerud's portal user for their own unit."""
    return desk.ticket(ensure_same_unit_user(demo))


# Who sees the Mellerud ticket: its requester, the orderer of the unit, staff.
SEES = {ANON: 401, OTHER: 404, SAME: 200, ORDERER: 200, AGENT: 200, FINANCE: 404, ADMIN: 200}


@pytest.mark.parametrize(("actor", "expected"), actor_params(SEES))
def test_api_detail(api_as: Any, mellerud_ticket: Any, actor: Any, expected: int) -> None:
    r = api_as(actor).get(f"/api/v1/tickets/{mellerud_ticket.pk}/")
    assert r.status_code == expected


@pytest.mark.parametrize(
    ("actor", "expected"),
    actor_params({**SEES, ANON: 302}),
)
def test_portal_page(web_as: Any, mellerud_ticket: Any, actor: Any, expected: int) -> None:
    r = web_as(actor).get(f"/servicedesk/mina-arenden/{mellerud_ticket.pk}/")
    assert r.status_code == expected


@pytest.mark.parametrize(
    ("actor", "expected"),
    actor_params(
        {ANON: 302, OTHER: 404, SAME: 404, ORDERER: 404, AGENT: 200, FINANCE: 404, ADMIN: 200}
    ),
)
def test_agent_pages(web_as: Any, demo: Any, desk: Any, actor: Any, expected: int) -> None:
    ensure_same_unit_user(demo)
    client = web_as(actor)
    assert client.get("/servicedesk/").status_code == expected
    assert client.get("/servicedesk/nytt/").status_code == expected


# A write on the ticket: only staff may change it; others are refused and nothing changes.
WRITES = {ANON: 401, OTHER: 404, SAME: 403, ORDERER: 403, AGENT: 200, FINANCE: 404, ADMIN: 200}


@pytest.mark.parametrize(("actor", "expected"), actor_params(WRITES))
def test_api_transition(api_as: Any, mellerud_ticket: Any, actor: Any, expected: int) -> None:
    client = api_as(actor)
    before = db_state()
    r = client.post(
        f"/api/v1/tickets/{mellerud_ticket.pk}/transition/",
        {"version": mellerud_ticket.version, "status": "in_progress"},
        format="json",
    )
    assert r.status_code == expected
    if expected != 200:
        assert_unchanged(before)


@pytest.mark.parametrize(("actor", "expected"), actor_params(WRITES))
def test_web_transition(web_as: Any, mellerud_ticket: Any, actor: Any, expected: int) -> None:
    client = web_as(actor)
    before = db_state()
    r = client.post(
        f"/servicedesk/arenden/{mellerud_ticket.pk}/status/",
        {"version": mellerud_ticket.version, "status": "in_progress"},
    )
    if expected == 200:
        assert r.status_code == 302
        mellerud_ticket.refresh_from_db()
        assert mellerud_ticket.status == "in_progress"
    else:
        assert r.status_code in (302, 404)
        assert_unchanged(before)


@pytest.mark.parametrize(
    ("actor", "expected"),
    actor_params(
        {ANON: 401, OTHER: 404, SAME: 201, ORDERER: 201, AGENT: 201, FINANCE: 404, ADMIN: 201}
    ),
)
def test_api_reply(api_as: Any, mellerud_ticket: Any, actor: Any, expected: int) -> None:
    client = api_as(actor)
    before = db_state()
    r = client.post(
        f"/api/v1/tickets/{mellerud_ticket.pk}/entries/", {"body": "Hej"}, format="json"
    )
    assert r.status_code == expected
    if expected != 201:
        assert_unchanged(before)


@pytest.mark.parametrize(
    ("actor", "expected"),
    actor_params(
        {ANON: 401, OTHER: 400, SAME: 400, ORDERER: 400, AGENT: 201, FINANCE: 400, ADMIN: 201}
    ),
)
def test_api_create_for_someone_else(
    api_as: Any, demo: Any, desk: Any, actor: Any, expected: int
) -> None:
    ensure_same_unit_user(demo)
    client = api_as(actor)
    before = db_state()
    r = client.post(
        "/api/v1/tickets/",
        {"title": "x", "requester": "anvandare-fargelanda", "impact": "low", "urgency": "low"},
        format="json",
    )
    assert r.status_code == expected
    if expected != 201:
        assert_unchanged(before)
