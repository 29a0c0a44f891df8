"""GET /api/v1/portfolio/initiatives/ with their benefits; reporting a benefit's realised value;
scope per endpoint."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from rest_framework.test import APIClient

from itfabrik.portfolio.models import Benefit, Initiative

pytestmark = pytest.mark.django_db
URL = "/api/v1/portfolio/initiatives/"


def _client(user: Any) -> APIClient:
    c = APIClient()
    c.force_authenticate(user)
    return c


def test_initiatives_come_with_their_benefits(demo: Any, django_assert_num_queries: Any) -> None:
    api = _client(demo.user("strateg"))
    api.get(URL)
    with django_assert_num_queries(5):
        response = api.get(URL, {"page_size": 50})
    assert response.status_code == 200
    rows = response.json()["results"]
    platform = next(r for r in rows if r["code"] == "PORT-2026-001")
    assert platform["decision_reference"] == "ITR-2025-013"
    assert len(platform["benefits"]) == 12 * 4 * 2
    first = platform["benefits"][0]
    assert first["period"] == "2026-01"
    assert first["municipality_name"]
    assert Decimal(first["planned"]) > 0
    migration = next(r for r in rows if r["code"] == "PROG-04")
    assert len(migration["milestones"]) == 4
    # Highest priority first.
    scores = [Decimal(r["priority_score"]) for r in rows]
    assert scores == sorted(scores, reverse=True)


def test_filter_by_state(demo: Any) -> None:
    rows = _client(demo.user("strateg")).get(URL, {"state": "idea"}).json()["results"]
    assert rows
    assert all(r["state"] == "idea" for r in rows)
    response = _client(demo.user("strateg")).get(URL, {"state": "nonsense"})
    assert response.status_code == 400


def test_scope_per_endpoint(portfolio: Any) -> None:
    amal_only = Initiative.objects.get(title="Chattbot för invånarfrågor")
    rows = _client(portfolio.contact).get(URL, {"page_size": 100}).json()["results"]
    codes = {r["code"] for r in rows}
    assert amal_only.code not in codes
    assert "PORT-2026-003" in codes
    # A municipality's contact sees only its own municipality's benefits.
    names = {b["municipality_name"] for r in rows for b in r["benefits"]}
    assert names == {"Melleruds kommun"}
    assert _client(portfolio.contact).get(f"{URL}{amal_only.pk}/").status_code == 404
    assert _client(portfolio.stranger).get(URL).status_code == 404
    assert APIClient().get(URL).status_code in (401, 403)


def test_report_realised_through_the_api(portfolio: Any) -> None:
    benefit = Benefit.objects.filter(
        municipality=portfolio.mellerud_node, realised__isnull=True
    ).first()
    assert benefit is not None
    url = f"/api/v1/portfolio/benefits/{benefit.pk}/"
    # The Mellerud contact holds report_benefits in Mellerud.
    response = _client(portfolio.contact).patch(
        url, {"version": benefit.version, "realised": "250.00"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["realised"] == "250.00"
    other = Benefit.objects.filter(municipality=portfolio.amal).first()
    assert other is not None
    response = _client(portfolio.contact).patch(
        f"/api/v1/portfolio/benefits/{other.pk}/",
        {"version": other.version, "realised": "1"},
        format="json",
    )
    assert response.status_code == 404
    before = other.realised
    other.refresh_from_db()
    assert other.realised == before
