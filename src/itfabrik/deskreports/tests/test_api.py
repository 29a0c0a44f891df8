"""/api/v1/deskreports/…: the same figures as the pages, the same scope, the same filters."""

from __future__ import annotations

from typing import Any

import pytest

from itfabrik.core.tests import assert_error

from .fixtures import PERIOD

REPORTS = ("sla", "backlog", "fcr", "volume", "deflection", "training", "satisfaction")


def _table(body: dict[str, Any], key: str) -> dict[str, Any]:
    return next(t for t in body["tables"] if t["key"] == key)


def test_sla_as_json(spring: Any, api_as: Any) -> None:
    r = api_as("agent").get("/api/v1/deskreports/sla/", PERIOD)
    assert r.status_code == 200
    body = r.json()
    assert body["report"] == "sla"
    assert body["from"] == "2024-03"
    assert body["to"] == "2024-04"
    assert "Svar i tid" in body["definition"]
    month = _table(body, "month")
    assert [c["key"] for c in month["columns"]][:2] == ["label", "total"]
    assert month["rows"] == [
        {
            "label": "2024-03",
            "total": 3,
            "response_met": 2,
            "resolution_met": 2,
            "both_met": 1,
            "response_share": "66.7",
            "resolution_share": "66.7",
            "share": "33.3",
        },
        {
            "label": "2024-04",
            "total": 1,
            "response_met": 1,
            "resolution_met": 1,
            "both_met": 1,
            "response_share": "100.0",
            "resolution_share": "100.0",
            "share": "100.0",
        },
    ]


def test_deflection_as_json(spring: Any, api_as: Any) -> None:
    body = api_as("agent").get("/api/v1/deskreports/deflection/", PERIOD).json()
    rows = {r["label"]: r for r in _table(body, "municipality")["rows"]}
    assert rows["Färgelanda kommun"]["rate"] == "50.0"
    assert rows["Bengtsfors kommun"]["rate"] == "0.0"


@pytest.mark.parametrize("key", REPORTS)
def test_scope_per_endpoint(spring: Any, api_as: Any, key: str) -> None:
    url = f"/api/v1/deskreports/{key}/"
    assert api_as("agent").get(url, PERIOD).status_code == 200
    assert api_as("radsmedlem").get(url, PERIOD).status_code == 200
    for username in ("anvandare-fargelanda", "ekonom"):
        assert api_as(username).get(url, PERIOD).status_code == 404
    assert api_as(None).get(url, PERIOD).status_code in (401, 403)


@pytest.mark.parametrize("key", REPORTS)
def test_it_contact_gets_404_for_another_municipality(
    spring: Any, api_as: Any, contact_of: Any, key: str
) -> None:
    contact = contact_of("Färgelanda kommun")
    client = api_as(contact.username)
    url = f"/api/v1/deskreports/{key}/"
    assert client.get(url, {**PERIOD, "municipality": spring.bengtsfors.pk}).status_code == 404
    body = client.get(url, {**PERIOD, "municipality": spring.fargelanda.pk}).json()
    labels = {r["label"] for t in body["tables"] for r in t["rows"]}
    assert "Bengtsfors kommun" not in labels


def test_it_contact_figures_cover_only_their_municipality(
    spring: Any, api_as: Any, contact_of: Any
) -> None:
    contact = contact_of("Bengtsfors kommun")
    body = api_as(contact.username).get("/api/v1/deskreports/volume/", PERIOD).json()
    assert _table(body, "month")["rows"] == [
        {"label": "2024-03", "portal": 0, "email": 1, "phone": 0, "walk_in": 0, "total": 1},
        {"label": "2024-04", "portal": 1, "email": 0, "phone": 1, "walk_in": 0, "total": 2},
    ]


def test_bad_filter_names_the_field(api_as: Any) -> None:
    r = api_as("agent").get("/api/v1/deskreports/sla/", {"from": "2024-3", "channel": "fax"})
    error = assert_error(r, 400, "invalid")
    assert set(error["fields"]) == {"from", "channel"}
