"""The register's API: systems, duplicates, coverage, classification."""

from __future__ import annotations

from typing import Any

import pytest

from itfabrik.core.tests import assert_error, assert_unchanged, db_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(api_as: Any, register: Any) -> Any:
    return api_as("sakerhet")


def test_duplicates_per_capability(api: Any) -> None:
    r = api.get("/api/v1/systems/duplicates/")
    assert r.status_code == 200
    rows = {row["capability"]: row for row in r.json()}
    school = rows["Lärplattform"]
    assert {s["name"] for s in school["systems"]} == {"Skolplattform Nova", "Lärportalen Vidd"}
    assert len(school["municipalities"]) == 4
    assert all("contract_end" in s and "users" in s for s in school["systems"])


def test_coverage(api: Any, register: Any) -> None:
    cap = register.capability("Ekonomisystem")
    r = api.get(f"/api/v1/systems/coverage/?capability={cap.pk}")
    assert {row["name"] for row in r.json()} == {"Ekonomi Saldo", "Ekonomi Kassa"}
    assert_error(api.get("/api/v1/systems/coverage/?capability=x"), 400, "invalid")


def test_list_query_count_is_fixed(api: Any, django_assert_max_num_queries: Any) -> None:
    api.get("/api/v1/systems/")
    with django_assert_max_num_queries(12):
        r = api.get("/api/v1/systems/?hosting=own_dc")
    assert r.status_code == 200
    assert all(s["hosting"] == "own_dc" for s in r.json()["results"])


def test_classify_out_of_range_is_refused(api: Any, register: Any) -> None:
    system = register.system("Schema Takt")
    before = db_state()
    r = api.post(
        f"/api/v1/systems/{system.pk}/classify/",
        {"version": system.version, "confidentiality": 5, "integrity": -1, "availability": 2},
        format="json",
    )
    error = assert_error(r, 400, "invalid")
    assert set(error["fields"]) == {"confidentiality", "integrity"}
    assert_unchanged(before)
    r = api.post(
        f"/api/v1/systems/{system.pk}/classify/",
        {"version": system.version, "confidentiality": 1, "integrity": 4, "availability": 2},
        format="json",
    )
    assert r.status_code == 200
    assert r.json()["klassa_summary"] == 4


def test_create_and_update(api_as: Any, register: Any) -> None:
    api = api_as("strateg")
    cap = register.capability("Lärplattform")
    r = api.post(
        "/api/v1/systems/",
        {"name": "Ny lärplattform", "hosting": "cloud", "capabilities": [cap.pk]},
        format="json",
    )
    assert r.status_code == 201, r.content
    body = r.json()
    r = api.patch(
        f"/api/v1/systems/{body['id']}/",
        {"version": body["version"], "status": "to_phase_out"},
        format="json",
    )
    assert r.status_code == 200
    assert r.json()["status"] == "to_phase_out"
    assert_error(
        api.patch(f"/api/v1/systems/{body['id']}/", {"version": body["version"]}, format="json"),
        409,
        "conflict",
    )
