from __future__ import annotations

from typing import Any

import pytest

from itfabrik.catalog.models import PriceList
from itfabrik.core.actors import SYSTEM
from itfabrik.core.tests import list_query_count
from itfabrik.governance import services

pytestmark = pytest.mark.django_db

URL = "/api/v1/governance/decisions/"


def test_decisions_filter_by_forum_scope_and_status(api_as: Any, gov: Any) -> None:
    client = api_as("radsmedlem")
    rows = client.get(URL, {"forum": gov.itr.pk, "page_size": 200}).json()["results"]
    assert rows
    assert all(r["forum"] == gov.itr.pk for r in rows)
    key = next(r for r in rows if r["number"] == "ITR-2025-011")
    assert key["is_final"] is True
    assert [link["kind"] for link in key["links"]] == ["allocation_key"]
    assert key["links"][0]["content_type"] == "billing.allocationkey"
    rows = client.get(URL, {"scope": "municipality", "page_size": 200}).json()["results"]
    assert {r["number"] for r in rows} >= {"ITR-2025-009", "MEL-2026-001"}
    assert all(r["municipality_name"] for r in rows)
    rows = client.get(URL, {"status": "followed_up"}).json()["results"]
    assert {r["number"] for r in rows} == {"ITR-2025-004", "ITR-2025-005", "ITR-2025-007"}
    r = client.get(URL, {"status": "nonsense"})
    assert r.status_code == 400


def test_the_decision_list_query_count_does_not_grow(api_as: Any, gov: Any) -> None:
    client = api_as("radsmedlem")
    few, n_few = list_query_count(client, URL)
    meeting = gov.open_itr_meeting()
    price_lists = list(PriceList.objects.all())
    for i in range(10):
        services.decision_create(
            actor=SYSTEM,
            meeting=meeting,
            title=f"Extra {i}",
            text="Text.",
            scope="cooperation",
            links=[("price_list", p.pk) for p in price_lists],
        )
    many, n_many = list_query_count(client, URL)
    assert n_many == n_few + 10
    assert few == many
