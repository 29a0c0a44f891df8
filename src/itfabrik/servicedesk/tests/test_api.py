"""The tickets API: the interface other checks rely on, scope (404), bad input (400 naming the
field, nothing written), concurrency (409) and fixed query counts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from itfabrik.core.tests import (
    MISSING_ID,
    assert_error,
    assert_unchanged,
    db_state,
    list_query_count,
)
from itfabrik.servicedesk.models import Ticket

pytestmark = pytest.mark.django_db
URL = "/api/v1/tickets/"


def _post(client: Any, **data: Any) -> Any:
    body = {
        "title": "Skrivaren skriver inte ut",
        "description": "Ring tillbaka",
        "requester": "anvandare-fargelanda",
        "impact": "medium",
        "urgency": "medium",
        **data,
    }
    return client.post(URL, body, format="json")


def test_agent_creates_a_phone_ticket_with_reported_at(api_as: Any, desk: Any) -> None:
    r = _post(api_as("agent"), channel="phone", reported_at="2026-03-02T09:00:00+01:00")
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["priority"] == "P3"
    assert body["status"] == "new"
    assert body["response_due"] == "2026-03-02T13:00:00+01:00"
    assert body["resolution_due"] == "2026-03-04T16:00:00+01:00"
    assert body["municipality"] == desk.fia.home_unit.municipality_id
    assert body["reference"].startswith("SD-2026-")
    detail = api_as("agent").get(f"{URL}{body['id']}/").json()
    assert {
        k: detail[k]
        for k in ("id", "priority", "status", "response_due", "resolution_due", "municipality")
    } == {
        k: body[k]
        for k in ("id", "priority", "status", "response_due", "resolution_due", "municipality")
    }


@pytest.mark.parametrize(
    "extra",
    [{}, {"type": "service_request", "channel": "email"}, {"requester": "anvandare-bengtsfors"}],
)
def test_the_created_ticket_answers_as_it_reads_back(
    api_as: Any, desk: Any, extra: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    """The answer to a create is built from the new ticket without reading it back; it must be
    what reading it back gives, field for field."""
    client = api_as("agent")
    _post(client)  # warm the per-process caches
    with django_assert_max_num_queries(25):
        r = _post(client, **extra)
    assert r.status_code == 201, r.content
    body = r.json()
    assert client.get(f"{URL}{body['id']}/").json() == body


def test_requester_by_id_and_service(api_as: Any, desk: Any) -> None:
    from itfabrik.catalog.models import Service

    service = Service.objects.get(name="Bärbar dator")
    r = _post(api_as("agent"), requester=str(desk.bjorn.pk), service=service.pk, type="incident")
    assert r.status_code == 201, r.content
    ticket = Ticket.objects.get(pk=r.json()["id"])
    assert ticket.requester == desk.bjorn
    assert ticket.service == service


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"requester": "finns-inte"}, "requester"),
        ({"requester": "987654321"}, "requester"),
        ({"requester": "\u00b2"}, "requester"),  # "²" is a digit to str.isdigit()
        ({"service": 987654321}, "service"),
        ({"impact": "critical"}, "impact"),
        ({"urgency": "asap"}, "urgency"),
        ({"type": "question"}, "type"),
        ({"title": ""}, "title"),
    ],
)
def test_bad_input_is_400_naming_the_field(
    api_as: Any, desk: Any, data: dict[str, Any], field: str
) -> None:
    client = api_as("agent")
    before = db_state()
    error = assert_error(_post(client, **data), 400, "invalid")
    assert field in error["fields"], error
    assert error["fields"][field][0]["messages"]["en"]
    assert_unchanged(before)


def test_reported_at_in_the_future_is_refused(api_as: Any, desk: Any) -> None:
    client = api_as("agent")
    before = db_state()
    future = (timezone.now() + dt.timedelta(hours=2)).isoformat()
    error = assert_error(_post(client, reported_at=future), 400, "invalid")
    assert set(error["fields"]) == {"reported_at"}
    assert_unchanged(before)


def test_end_user_sees_only_own_tickets_and_others_are_404(api_as: Any, desk: Any) -> None:
    own = desk.ticket(desk.fia)
    other = desk.ticket(desk.bjorn)
    fia = api_as("anvandare-fargelanda")
    ids = {row["id"] for row in fia.get(URL, {"page_size": 200}).json()["results"]}
    assert own.pk in ids
    assert other.pk not in ids
    assert all(Ticket.objects.get(pk=i).requester_id == desk.fia.pk for i in ids)
    assert fia.get(f"{URL}{own.pk}/").status_code == 200
    assert_error(fia.get(f"{URL}{other.pk}/"), 404, "not_found")
    assert_error(fia.get(f"{URL}{MISSING_ID}/"), 404, "not_found")


def test_end_user_cannot_register_for_someone_else(api_as: Any, desk: Any) -> None:
    client = api_as("anvandare-fargelanda")
    before = db_state()
    error = assert_error(_post(client, requester="anvandare-bengtsfors"), 400, "invalid")
    assert "requester" in error["fields"]
    assert_unchanged(before)


def test_internal_notes_are_not_listed_for_the_requester(api_as: Any, desk: Any) -> None:
    from itfabrik.servicedesk import services

    ticket = desk.ticket(desk.fia)
    services.entry_add(actor=desk.agent, ticket=ticket, kind="internal", body="Hemlig notering")
    services.entry_add(actor=desk.agent, ticket=ticket, kind="public", body="Vi tittar på det")
    staff = api_as("agent").get(f"{URL}{ticket.pk}/entries/").json()
    mine = api_as("anvandare-fargelanda").get(f"{URL}{ticket.pk}/entries/").json()
    assert [e["kind"] for e in staff] == ["internal", "public"]
    assert [e["body"] for e in mine] == ["Vi tittar på det"]


def test_refused_writes_change_nothing(api_as: Any, desk: Any) -> None:
    ticket = desk.ticket(desk.fia)
    other = desk.ticket(desk.bjorn)
    fia = api_as("anvandare-fargelanda")
    before = db_state()
    assert_error(
        fia.post(
            f"{URL}{ticket.pk}/transition/", {"version": 1, "status": "resolved"}, format="json"
        ),
        403,
        "forbidden",
    )
    assert_error(
        fia.patch(f"{URL}{ticket.pk}/", {"version": 1, "title": "x"}, format="json"),
        403,
        "forbidden",
    )
    assert_error(
        fia.post(f"{URL}{other.pk}/entries/", {"body": "hej"}, format="json"), 404, "not_found"
    )
    assert_error(
        fia.post(f"{URL}{ticket.pk}/entries/", {"kind": "internal", "body": "x"}, format="json"),
        403,
        "forbidden",
    )
    assert_error(api_as(None).get(f"{URL}{ticket.pk}/"), 401, "not_authenticated")
    assert_unchanged(before)


def test_two_agents_saving_the_same_version_the_second_gets_409(api_as: Any, desk: Any) -> None:
    ticket = desk.ticket()
    first, second = api_as("agent"), api_as("tekniker")
    r = first.patch(
        f"{URL}{ticket.pk}/", {"version": 1, "title": "Skrivare 3 trasig"}, format="json"
    )
    assert r.status_code == 200, r.content
    assert r.json()["version"] == 2
    before = db_state()
    assert_error(
        second.patch(f"{URL}{ticket.pk}/", {"version": 1, "urgency": "high"}, format="json"),
        409,
        "conflict",
    )
    assert_unchanged(before)


def test_transition_pauses_and_the_answer_has_no_due(api_as: Any, desk: Any) -> None:
    ticket = desk.ticket()
    client = api_as("agent")
    r = client.post(
        f"{URL}{ticket.pk}/transition/", {"version": 1, "status": "assigned"}, format="json"
    )
    assert r.json()["status"] == "assigned"
    r = client.post(
        f"{URL}{ticket.pk}/transition/", {"version": 2, "status": "waiting_supplier"}, format="json"
    )
    assert r.json()["resolution_due"] is None
    error = assert_error(
        client.post(
            f"{URL}{ticket.pk}/transition/", {"version": 3, "status": "closed"}, format="json"
        ),
        400,
        "invalid",
    )
    assert "status" in error["fields"]


def test_filters_and_list_query_count(api_as: Any, desk: Any) -> None:
    client = api_as("agent")
    group = desk.groups["Servicedesk 1:a linjen"].pk
    few, n_few = list_query_count(client, URL, group=group, open="true")
    for _i in range(3):
        desk.ticket()
    many, n_many = list_query_count(client, URL, group=group, open="true")
    assert n_many == n_few + 3
    assert few == many
    r = client.get(URL, {"priority": "P9"})
    assert_error(r, 400, "invalid")
