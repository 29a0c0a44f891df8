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
