"""The permission matrix for every economy page and endpoint: who gets 200, who 404 (a
municipality's figures and the cooperation's scenarios do not exist for those without a role
that grants them), and that a refused write changed nothing."""

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

SEEN = {ANON: 401, OTHER: 404, SAME: 404, ORDERER: 404, AGENT: 404, FINANCE: 200, ADMIN: 200}
PAGE = {**SEEN, ANON: 302}


@pytest.fixture
def actors(demo: Any, economy: Any) -> Any:
    ensure_same_unit_user(demo)
    return economy


@pytest.mark.parametrize(("actor", "expected"), actor_params(SEEN))
def test_api_reads(api_as: Any, actors: Any, actor: Any, expected: int) -> None:
    for url in (
        "/api/v1/economy/baseline/?year=2024",
        "/api/v1/economy/timeline/",
        "/api/v1/economy/followup/?year=2026",
        "/api/v1/economy/scenarios/",
        f"/api/v1/economy/scenarios/{actors.scenario.pk}/",
    ):
        assert api_as(actor).get(url).status_code == expected, url


@pytest.mark.parametrize(("actor", "expected"), actor_params(SEEN))
def test_api_adjust_scenario(api_as: Any, actors: Any, actor: Any, expected: int) -> None:
    client = api_as(actor)
    before = db_state()
    r = client.patch(
        f"/api/v1/economy/scenarios/{actors.scenario.pk}/",
        {"version": actors.scenario.version, "benchmark_percent": "3.00"},
        format="json",
    )
    assert r.status_code == expected
    if expected != 200:
        assert_unchanged(before)


@pytest.mark.parametrize(("actor", "expected"), actor_params(PAGE))
def test_web_pages(client: Any, demo: Any, actors: Any, actor: Any, expected: int) -> None:
    if actor is not None:
        client.force_login(demo.user(actor))
    figures = actors.figures("Melleruds kommun")
    for url in (
        "/ekonomi/?year=2024",
        "/ekonomi/tidslinje/",
        "/ekonomi/uppfoljning/?year=2026",
        "/ekonomi/scenarier/",
        f"/ekonomi/scenarier/{actors.scenario.pk}/",
        f"/ekonomi/siffror/{figures.pk}/",
        "/ekonomi/siffror/ny/",
        "/ekonomi/baslinje.xlsx?year=2024",
    ):
        assert client.get(url).status_code == expected, url


@pytest.mark.parametrize(("actor", "expected"), actor_params({**PAGE, FINANCE: 302, ADMIN: 302}))
def test_web_correct_figures(
    client: Any, demo: Any, actors: Any, actor: Any, expected: int
) -> None:
    if actor is not None:
        client.force_login(demo.user(actor))
    figures = actors.figures("Melleruds kommun")
    before = db_state()
    r = client.post(
        f"/ekonomi/siffror/{figures.pk}/",
        {"version": figures.version, "net_cost": "721000000"},
    )
    assert r.status_code == expected
    if expected != 302 or actor is None:
        assert_unchanged(before)
