"""The risk register's API."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from itfabrik.core.tests import assert_error, assert_unchanged, db_state

pytestmark = pytest.mark.django_db


def test_list_gives_title_scope_probability_consequence_score(api_as: Any, riskreg: Any) -> None:
    r = api_as("sakerhet").get(f"/api/v1/risks/?scope={riskreg.root.pk}")
    assert r.status_code == 200
    rows = r.json()["results"]
    assert len(rows) == 6
    for row in rows:
        assert {"title", "scope", "probability", "consequence", "score"} <= set(row)
        assert row["score"] == row["probability"] * row["consequence"]
        assert row["scope"] == riskreg.root.name
    averages = sorted((Decimal(row["workshop_average"]) for row in rows), reverse=True)
    assert averages == [Decimal(v) for v in ("15.0", "13.0", "11.0", "11.0", "10.0", "10.0")]


def test_list_query_count_is_fixed(
    api_as: Any, riskreg: Any, django_assert_max_num_queries: Any
) -> None:
    api = api_as("sakerhet")
    api.get("/api/v1/risks/")
    with django_assert_max_num_queries(12):
        assert api.get("/api/v1/risks/?min_score=10").status_code == 200


def test_create_and_refuse(api_as: Any, riskreg: Any, demo: Any) -> None:
    api = api_as("sakerhet")
    before = db_state()
    r = api.post(
        "/api/v1/risks/",
        {
            "title": "X",
            "category": "security",
            "scope": riskreg.root.pk,
            "probability": 0,
            "consequence": 6,
        },
        format="json",
    )
    error = assert_error(r, 400, "invalid")
    assert set(error["fields"]) == {"probability", "consequence"}
    assert_unchanged(before)
    r = api.post(
        "/api/v1/risks/",
        {"title": "X", "category": "security", "scope": demo.node("Åmåls kommun").pk,
         "probability": 3, "consequence": 3, "treatment": "accept", "decision": "ITR-2026-014"},
        format="json",
    )  # fmt: skip
    assert r.status_code == 201, r.content
    body = r.json()
    assert (body["score"], body["scope"], body["decision"]) == (9, "Åmåls kommun", "ITR-2026-014")
    r = api.patch(
        f"/api/v1/risks/{body['id']}/",
        {"version": body["version"], "consequence": 5},
        format="json",
    )
    assert r.json()["score"] == 15


def test_create_and_update_links_and_the_lists_in_the_output(
    api_as: Any, riskreg: Any, links: Any
) -> None:
    from itfabrik.core.models import AuditEntry

    api = api_as("sakerhet")
    s1, s2 = (s.pk for s in links.systems)
    t1, t2 = (s.pk for s in links.services)
    i1, i2 = (i.pk for i in links.initiatives)
    r = api.post(
        "/api/v1/risks/",
        {"title": "Länkad", "category": "security", "scope": riskreg.root.pk, "probability": 2,
         "consequence": 2, "systems": [s1], "services": [t1, t2], "initiatives": [i1]},
        format="json",
    )  # fmt: skip
    assert r.status_code == 201, r.content
    body = r.json()
    assert (body["systems"], sorted(body["services"]), body["initiatives"]) == (
        [s1], sorted([t1, t2]), [i1],
    )  # fmt: skip
    r = api.patch(
        f"/api/v1/risks/{body['id']}/",
        {"version": body["version"], "systems": [s1, s2], "services": [], "initiatives": [i2]},
        format="json",
    )
    assert r.status_code == 200, r.content
    out = r.json()
    assert (sorted(out["systems"]), out["services"], out["initiatives"]) == (
        sorted([s1, s2]), [], [i2],
    )  # fmt: skip
    assert api.get(f"/api/v1/risks/{body['id']}/").json()["initiatives"] == [i2]
    row = next(
        x
        for x in api.get("/api/v1/risks/?page_size=100").json()["results"]
        if x["id"] == body["id"]
    )
    assert (sorted(row["systems"]), row["services"], row["initiatives"]) == (
        sorted([s1, s2]), [], [i2],
    )  # fmt: skip
    entry = AuditEntry.objects.filter(
        object_type="risks.risk", object_id=str(body["id"]), after__has_key="initiatives"
    ).latest("pk")
    assert (entry.before, entry.after) == ({"initiatives": [i1]}, {"initiatives": [i2]})


@pytest.mark.parametrize(
    ("field", "swedish", "english"),
    [
        ("systems", "Okänt system.", "Unknown system."),
        ("services", "Okänd tjänst.", "Unknown service."),
        ("initiatives", "Okänt initiativ.", "Unknown initiative."),
    ],
)
def test_a_link_of_another_cooperation_is_refused(
    api_as: Any, riskreg: Any, links: Any, field: str, swedish: str, english: str
) -> None:
    foreign = {
        "systems": links.foreign_system,
        "services": links.foreign_service,
        "initiatives": links.foreign_initiative,
    }[field].pk
    api = api_as("sakerhet")
    own = getattr(links, field)[0].pk
    before = db_state()
    r = api.post(
        "/api/v1/risks/",
        {"title": "X", "category": "security", "scope": riskreg.root.pk, "probability": 2,
         "consequence": 2, field: [own, foreign]},
        format="json",
    )  # fmt: skip
    error = assert_error(r, 400, "invalid")
    assert set(error["fields"]) == {field}
    assert error["fields"][field][0]["messages"] == {"sv": swedish, "en": english}
    assert_unchanged(before)
    risk = riskreg.risk(**{field: [getattr(links, field)[0]]})
    before = db_state()
    r = api.patch(
        f"/api/v1/risks/{risk.pk}/",
        {"version": risk.version, "title": "Ändrad", field: [foreign]},
        format="json",
    )
    error = assert_error(r, 400, "invalid")
    assert set(error["fields"]) == {field}
    assert_unchanged(before)
