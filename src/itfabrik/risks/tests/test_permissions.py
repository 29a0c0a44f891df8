"""The permission matrix of the risk register; a refused write changes nothing."""

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
)  # fmt: skip

pytestmark = pytest.mark.django_db

SEEN = {ANON: 401, OTHER: 404, SAME: 404, ORDERER: 404, AGENT: 404, FINANCE: 404, ADMIN: 200}
WEB_SEEN = {**SEEN, ANON: 302}


@pytest.mark.parametrize(("actor", "expected"), actor_params(SEEN))
def test_api_detail(api_as: Any, riskreg: Any, demo: Any, actor: Any, expected: int) -> None:
    ensure_same_unit_user(demo)
    risk = riskreg.risk(scope=demo.node("Melleruds kommun"))
    assert api_as(actor).get(f"/api/v1/risks/{risk.pk}/").status_code == expected


@pytest.mark.parametrize(("actor", "expected"), actor_params(SEEN))
def test_api_update(api_as: Any, riskreg: Any, demo: Any, actor: Any, expected: int) -> None:
    ensure_same_unit_user(demo)
    risk = riskreg.risk(scope=demo.node("Melleruds kommun"))
    client = api_as(actor)
    before = db_state()
    r = client.patch(
        f"/api/v1/risks/{risk.pk}/", {"version": risk.version, "probability": 5}, format="json"
    )
    assert r.status_code == expected
    if expected != 200:
        assert_unchanged(before)


def test_api_list_is_empty_for_others(api_as: Any, riskreg: Any, demo: Any) -> None:
    assert api_as(OTHER).get("/api/v1/risks/").json()["count"] == 0


@pytest.mark.parametrize(("actor", "expected"), actor_params(WEB_SEEN))
@pytest.mark.parametrize("page", ["/risker/", "/risker/varmekarta/", "/risker/workshoppar/"])
def test_web_pages(web_as: Any, demo: Any, page: str, actor: Any, expected: int) -> None:
    ensure_same_unit_user(demo)
    assert web_as(actor).get(page).status_code == expected


@pytest.mark.parametrize(("actor", "expected"), actor_params(WEB_SEEN))
def test_web_detail(web_as: Any, riskreg: Any, demo: Any, actor: Any, expected: int) -> None:
    ensure_same_unit_user(demo)
    assert web_as(actor).get(f"/risker/{riskreg.seed()[0].pk}/").status_code == expected


@pytest.mark.parametrize(
    ("actor", "expected"),
    actor_params({ANON: 302, OTHER: 404, SAME: 404, ORDERER: 404, AGENT: 404, FINANCE: 404, ADMIN: 302}),
)  # fmt: skip
def test_web_workshop_scoring(
    web_as: Any, riskreg: Any, demo: Any, actor: Any, expected: int
) -> None:
    from itfabrik.risks import services

    ensure_same_unit_user(demo)
    risk = riskreg.seed()[0]
    ws = services.workshop_create(
        actor=riskreg.sakerhet,
        cooperation=riskreg.cooperation,
        title="W",
        held_on=risk.created_at.date(),
        risks=[risk],
    )
    muni = demo.node("Melleruds kommun")
    client = web_as(actor)
    before = db_state()
    r = client.post(
        f"/risker/workshoppar/{ws.pk}/?kommun={muni.pk}",
        {f"probability-{risk.pk}": "3", f"consequence-{risk.pk}": "3"},
    )
    assert r.status_code == expected
    if actor != ADMIN:
        assert_unchanged(before)


def test_strateg_reads_but_cannot_edit(web_as: Any, riskreg: Any) -> None:
    risk = riskreg.seed()[0]
    client = web_as("strateg")
    assert client.get(f"/risker/{risk.pk}/").status_code == 200
    assert client.get(f"/risker/{risk.pk}/andra/").status_code == 404
