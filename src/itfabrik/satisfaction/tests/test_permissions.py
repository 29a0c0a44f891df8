"""The permission matrix for every satisfaction page and endpoint: who gets what, and that a
refused write changed nothing."""

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
from itfabrik.satisfaction import services
from itfabrik.satisfaction.models import Rating

pytestmark = pytest.mark.django_db


@pytest.fixture
def mellerud(demo: Any, sat: Any) -> Any:
    """A resolved ticket of Mellerud's portal user, and a rated one."""
    same = ensure_same_unit_user(demo)
    rated = sat.resolved(same)
    rating, _ = services.rating_submit(actor=same, ticket=rated, score=4)
    return {"ticket": sat.resolved(same), "rating": rating}


# Only the requester rates; the ticket does not exist for anyone else.
RATE = {ANON: 302, OTHER: 404, SAME: 200, ORDERER: 404, AGENT: 404, FINANCE: 404, ADMIN: 404}
# Ratings with comments: the service desk's staff.
RATINGS = {ANON: 401, OTHER: 404, SAME: 404, ORDERER: 404, AGENT: 200, FINANCE: 404, ADMIN: 200}
# Figures: staff (and IT contacts and council members, tested with the report).
REPORT = {ANON: 302, OTHER: 404, SAME: 404, ORDERER: 404, AGENT: 200, FINANCE: 404, ADMIN: 200}
SIGNED_IN = {ANON: 302, OTHER: 200, SAME: 200, ORDERER: 200, AGENT: 200, FINANCE: 200, ADMIN: 200}


@pytest.mark.parametrize(("actor", "expected"), actor_params(RATE))
def test_rating_page(web_as: Any, mellerud: Any, actor: Any, expected: int) -> None:
    r = web_as(actor).get(f"/nojdhet/arenden/{mellerud['ticket'].pk}/")
    assert r.status_code == expected


@pytest.mark.parametrize(
    ("actor", "expected"), actor_params({**RATE, SAME: 302})
)  # the requester is sent back to the page after rating
def test_rating_post(web_as: Any, mellerud: Any, actor: Any, expected: int) -> None:
    client = web_as(actor)
    before = db_state()
    r = client.post(f"/nojdhet/arenden/{mellerud['ticket'].pk}/", {"score": "3"})
    assert r.status_code == expected
    if actor == SAME:
        assert Rating.objects.get(ticket=mellerud["ticket"]).score == 3
    else:
        assert_unchanged(before)


@pytest.mark.parametrize(("actor", "expected"), actor_params(RATE))
def test_comment_post(web_as: Any, mellerud: Any, actor: Any, expected: int) -> None:
    client = web_as(actor)
    rating = mellerud["rating"]
    before = db_state()
    r = client.post(
        f"/nojdhet/arenden/{rating.ticket_id}/kommentar/",
        {"comment": "Ändrad", "version": rating.version},
    )
    if actor == SAME:
        assert r.status_code == 302
        assert Rating.objects.get(pk=rating.pk).comment == "Ändrad"
    else:
        assert r.status_code == expected
        assert_unchanged(before)


@pytest.mark.parametrize(("actor", "expected"), actor_params(SIGNED_IN))
def test_portal_list(web_as: Any, mellerud: Any, actor: Any, expected: int) -> None:
    r = web_as(actor).get("/nojdhet/")
    assert r.status_code == expected
    if expected == 200:
        listed = {t.pk for t in r.context["page"]}
        assert (mellerud["ticket"].pk in listed) == (actor == SAME)


@pytest.mark.parametrize(("actor", "expected"), actor_params(REPORT))
def test_report_page(web_as: Any, mellerud: Any, actor: Any, expected: int) -> None:
    assert web_as(actor).get("/nojdhet/rapport/").status_code == expected
    assert web_as(actor).get("/nojdhet/rapport/group.csv").status_code == expected


@pytest.mark.parametrize(("actor", "expected"), actor_params(SIGNED_IN))
def test_alerts_page(web_as: Any, mellerud: Any, actor: Any, expected: int) -> None:
    assert web_as(actor).get("/nojdhet/larm/").status_code == expected


@pytest.mark.parametrize(("actor", "expected"), actor_params(RATINGS))
def test_api_rating_detail(api_as: Any, mellerud: Any, actor: Any, expected: int) -> None:
    r = api_as(actor).get(f"/api/v1/satisfaction/ratings/{mellerud['rating'].pk}/")
    assert r.status_code == expected


@pytest.mark.parametrize(("actor", "expected"), actor_params({**RATE, ANON: 401, SAME: 201}))
def test_api_rating_create(api_as: Any, mellerud: Any, actor: Any, expected: int) -> None:
    client = api_as(actor)
    before = db_state()
    r = client.post("/api/v1/satisfaction/ratings/", {"ticket": mellerud["ticket"].pk, "score": 5})
    assert r.status_code == expected
    if expected != 201:
        assert_unchanged(before)


@pytest.mark.parametrize(("actor", "expected"), actor_params({**REPORT, ANON: 401}))
def test_api_report(api_as: Any, mellerud: Any, actor: Any, expected: int) -> None:
    r = api_as(actor).get("/api/v1/satisfaction/report/", {"dimension": "municipality"})
    assert r.status_code == expected
