"""The API: submit (201, then 200 with the answer unchanged), staff list with filters and scope,
the figures; bad input in Swedish and English naming the field; query counts fixed."""

from __future__ import annotations

from typing import Any

import pytest

from itfabrik.core.tests import assert_error, assert_unchanged, db_state
from itfabrik.satisfaction import services
from itfabrik.satisfaction.models import Rating
from itfabrik.servicedesk.tests.fixtures import local

pytestmark = pytest.mark.django_db


def test_submit_then_repeat(api_as: Any, sat: Any) -> None:
    ticket = sat.resolved()
    client = api_as("anvandare-fargelanda")
    r = client.post(
        "/api/v1/satisfaction/ratings/", {"ticket": ticket.pk, "score": 4, "comment": "Bra"}
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert (body["ticket"], body["score"], body["comment"], body["channel"]) == (
        ticket.pk,
        4,
        "Bra",
        "api",
    )
    before = db_state()
    r = client.post("/api/v1/satisfaction/ratings/", {"ticket": ticket.pk, "score": 1})
    assert r.status_code == 200
    assert r.json()["score"] == 4
    assert_unchanged(before)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"score": 6}, "score"),
        ({"score": 0}, "score"),
        ({"score": "fem"}, "score"),
        ({"score": 3, "comment": "x" * 2001}, "comment"),
        ({}, "score"),
    ],
)
def test_bad_input_names_the_field(api_as: Any, sat: Any, data: Any, field: str) -> None:
    ticket = sat.resolved()
    client = api_as("anvandare-fargelanda")  # before the snapshot: it makes a token
    before = db_state()
    r = client.post("/api/v1/satisfaction/ratings/", {"ticket": ticket.pk, **data})
    error = assert_error(r, 400, "invalid")
    assert field in error["fields"], error
    assert_unchanged(before)


def test_an_open_ticket_is_refused(api_as: Any, sat: Any) -> None:
    ticket = sat.open()
    client = api_as("anvandare-fargelanda")
    before = db_state()
    r = client.post("/api/v1/satisfaction/ratings/", {"ticket": ticket.pk, "score": 3})
    error = assert_error(r, 400, "invalid")
    assert "ticket" in error["fields"]
    assert_unchanged(before)


def test_staff_list_is_filtered_and_scoped(api_as: Any, sat: Any) -> None:
    low = sat.resolved(title="Lågt")
    services.rating_submit(actor=sat.fia, ticket=low, score=1, comment="Dåligt")
    client = api_as("agent")
    r = client.get("/api/v1/satisfaction/ratings/", {"low": "true", "ticket": low.pk})
    assert r.status_code == 200
    assert [x["ticket"] for x in r.json()["results"]] == [low.pk]
    r = client.get("/api/v1/satisfaction/ratings/", {"score": 5, "ticket": low.pk})
    assert r.json()["results"] == []
    assert client.get("/api/v1/satisfaction/ratings/", {"score": 9}).status_code == 400
    # A portal user lists nothing (comments are for the service desk).
    r = api_as("anvandare-fargelanda").get("/api/v1/satisfaction/ratings/")
    assert r.status_code == 200
    assert r.json()["results"] == []


def test_list_query_count_does_not_depend_on_rows(
    api_as: Any, sat: Any, django_assert_num_queries: Any
) -> None:
    client = api_as("admin")
    client.get("/api/v1/satisfaction/ratings/")  # warm the session and grants
    import django.db
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(django.db.connection) as before:
        client.get("/api/v1/satisfaction/ratings/")
    for score in (1, 3, 5):
        services.rating_submit(actor=sat.fia, ticket=sat.resolved(), score=score)
    with django_assert_num_queries(len(before.captured_queries)):
        r = client.get("/api/v1/satisfaction/ratings/")
    assert r.json()["count"] >= 3


def test_report_figures(api_as: Any, sat: Any) -> None:
    a = sat.resolved(reported=local(2021, 3, 1, 9), resolved=local(2021, 3, 1, 15))
    sat.resolved(reported=local(2021, 3, 2, 9), resolved=local(2021, 3, 2, 15))
    services.rating_submit(actor=sat.fia, ticket=a, score=3)
    r = api_as("admin").get(
        "/api/v1/satisfaction/report/",
        {"dimension": "month", "start": "2021-03-01", "end": "2021-03-31"},
    )
    assert r.status_code == 200
    body = r.json()
    assert body["rows"] == [
        {
            "key": "2021-03",
            "name": "2021-03",
            "resolved": 2,
            "rated": 1,
            "response_rate": "50.0",
            "average": "3.00",
            "low": 0,
        }
    ]
    assert body["total"]["resolved"] == 2
    r = api_as("admin").get("/api/v1/satisfaction/report/", {"dimension": "weekday"})
    assert "dimension" in assert_error(r, 400, "invalid")["fields"]
    r = api_as("admin").get(
        "/api/v1/satisfaction/report/",
        {"dimension": "month", "start": "2021-04-01", "end": "2021-03-01"},
    )
    assert "end" in assert_error(r, 400, "invalid")["fields"]


def test_report_query_count_is_fixed(api_as: Any, sat: Any, django_assert_num_queries: Any) -> None:
    client = api_as("admin")
    params = {"dimension": "group", "start": "2021-03-01", "end": "2021-03-31"}
    client.get("/api/v1/satisfaction/report/", params)
    for day in (1, 2, 3):
        t = sat.resolved(reported=local(2021, 3, day, 9), resolved=local(2021, 3, day, 15))
        services.rating_submit(actor=sat.fia, ticket=t, score=day)
    import django.db
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(django.db.connection) as ctx:
        r = client.get("/api/v1/satisfaction/report/", params)
    assert r.json()["total"]["resolved"] == 3
    # The session and token lookups, the grants, and one aggregate query for the figures.
    assert sum("satisfaction_rating" in q["sql"] for q in ctx.captured_queries) == 1
    assert Rating.objects.count() >= 3
