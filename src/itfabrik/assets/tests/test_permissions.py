"""The permission matrix for the device register's pages and endpoints: who gets 200, who 404,
and that a refused write changed nothing."""

from __future__ import annotations

from typing import Any

import pytest

from itfabrik.core.tests import (
    ADMIN,
    AGENT,
    ANON,
    FINANCE,
    MELLERUD,
    ORDERER,
    OTHER,
    SAME,
    actor_params,
    assert_unchanged,
    db_state,
    ensure_same_unit_user,
)

pytestmark = pytest.mark.django_db

DEVICE_SEEN = {ANON: 401, OTHER: 404, SAME: 404, ORDERER: 404, AGENT: 200, FINANCE: 404, ADMIN: 200}


@pytest.fixture
def device(demo: Any, fleet: Any) -> Any:
    ensure_same_unit_user(demo)
    return fleet.device()


@pytest.mark.parametrize(("actor", "expected"), actor_params(DEVICE_SEEN))
def test_api_device_detail(api_as: Any, device: Any, actor: Any, expected: int) -> None:
    assert api_as(actor).get(f"/api/v1/assets/{device.pk}/").status_code == expected


@pytest.mark.parametrize(
    ("actor", "expected"),
    actor_params({**DEVICE_SEEN, AGENT: 403}),
)
def test_api_transition(api_as: Any, device: Any, actor: Any, expected: int) -> None:
    client = api_as(actor)
    before = db_state()
    r = client.post(
        f"/api/v1/assets/{device.pk}/transition/",
        {"version": device.version, "target": "in_repair"},
        format="json",
    )
    assert r.status_code == expected
    if expected != 200:
        assert_unchanged(before)


@pytest.mark.parametrize(
    ("actor", "expected"),
    actor_params({ANON: 302, OTHER: 404, SAME: 404, ORDERER: 404, AGENT: 200, FINANCE: 404,
                  ADMIN: 200}),
)  # fmt: skip
def test_web_device_card(web_as: Any, device: Any, actor: Any, expected: int) -> None:
    assert web_as(actor).get(f"/enheter/{device.pk}/").status_code == expected


@pytest.mark.parametrize(
    ("actor", "expected"),
    actor_params({ANON: 302, OTHER: 404, SAME: 404, ORDERER: 404, AGENT: 400, FINANCE: 404,
                  ADMIN: 302}),
)  # fmt: skip
def test_web_transition(web_as: Any, device: Any, actor: Any, expected: int) -> None:
    client = web_as(actor)
    before = db_state()
    r = client.post(
        f"/enheter/{device.pk}/steg/", {"version": device.version, "target": "in_repair"}
    )
    assert r.status_code == expected
    if expected != 302 or actor is None:
        assert_unchanged(before)


@pytest.mark.parametrize(
    ("actor", "expected"),
    actor_params({ANON: 302, OTHER: 404, SAME: 404, ORDERER: 404, AGENT: 200, FINANCE: 404,
                  ADMIN: 200}),
)  # fmt: skip
@pytest.mark.parametrize("url", ["/enheter/", "/enheter/efterlevnad/", "/enheter/leasing/",
                                 "/enheter/modeller/"])  # fmt: skip
def test_web_staff_pages(web_as: Any, demo: Any, actor: Any, expected: int, url: str) -> None:
    ensure_same_unit_user(demo)
    assert web_as(actor).get(url).status_code == expected


@pytest.mark.parametrize(
    ("actor", "expected"),
    actor_params({ANON: 302, OTHER: 404, SAME: 404, ORDERER: 404, AGENT: 404, FINANCE: 200,
                  ADMIN: 200}),
)  # fmt: skip
def test_web_planning(web_as: Any, demo: Any, actor: Any, expected: int) -> None:
    ensure_same_unit_user(demo)
    assert web_as(actor).get("/enheter/planering/").status_code == expected


def test_compliance_of_a_municipality_one_may_not_see_is_404(web_as: Any, demo: Any) -> None:
    """A municipality IT contact sees their own municipality only."""
    from itfabrik.accounts import services as account_services
    from itfabrik.accounts.choices import Role
    from itfabrik.core.actors import SYSTEM

    user = ensure_same_unit_user(demo)
    account_services.role_assign(
        actor=SYSTEM, user=user, role=Role.IT_CONTACT, node=demo.node(MELLERUD)
    )
    client = web_as(SAME)
    bengtsfors = demo.node("Bengtsfors kommun")
    assert client.get(f"/enheter/efterlevnad/?kommun={bengtsfors.pk}").status_code == 404
    assert client.get(f"/enheter/efterlevnad/?kommun={demo.node(MELLERUD).pk}").status_code == 200
    r = client.get(f"/enheter/?kommun={bengtsfors.pk}")
    assert r.status_code == 200
    listed = web_as(SAME).get("/enheter/").context["page"].object_list
    assert {d.municipality_id for d in listed} == {demo.node(MELLERUD).pk}
