"""The permission matrix of the register's pages and endpoints; a refused write changes
nothing."""

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
def test_api_detail(api_as: Any, register: Any, demo: Any, actor: Any, expected: int) -> None:
    ensure_same_unit_user(demo)
    r = api_as(actor).get(f"/api/v1/systems/{register.system('Omsorg Vård').pk}/")
    assert r.status_code == expected


@pytest.mark.parametrize(("actor", "expected"), actor_params(SEEN))
def test_api_duplicates(api_as: Any, register: Any, demo: Any, actor: Any, expected: int) -> None:
    ensure_same_unit_user(demo)
    assert api_as(actor).get("/api/v1/systems/duplicates/").status_code == expected


@pytest.mark.parametrize(
    ("actor", "expected"),
    actor_params({ANON: 401, OTHER: 404, SAME: 404, ORDERER: 404, AGENT: 404, FINANCE: 404, ADMIN: 200}),
)  # fmt: skip
def test_api_classify(api_as: Any, register: Any, demo: Any, actor: Any, expected: int) -> None:
    ensure_same_unit_user(demo)
    system = register.system("Schema Takt")
    client = api_as(actor)
    before = db_state()
    r = client.post(
        f"/api/v1/systems/{system.pk}/classify/",
        {"version": system.version, "confidentiality": 1, "integrity": 1, "availability": 1},
        format="json",
    )
    assert r.status_code == expected
    if expected != 200:
        assert_unchanged(before)


def test_api_list_is_empty_for_others(api_as: Any, register: Any, demo: Any) -> None:
    assert api_as(OTHER).get("/api/v1/systems/").json()["count"] == 0


@pytest.mark.parametrize(("actor", "expected"), actor_params(WEB_SEEN))
@pytest.mark.parametrize(
    "page", ["/system/", "/system/dubbletter/", "/system/fore-inkop/", "/system/serverhallar/"]
)
def test_web_pages(web_as: Any, demo: Any, page: str, actor: Any, expected: int) -> None:
    ensure_same_unit_user(demo)
    assert web_as(actor).get(page).status_code == expected


@pytest.mark.parametrize(("actor", "expected"), actor_params(WEB_SEEN))
def test_web_detail(web_as: Any, register: Any, demo: Any, actor: Any, expected: int) -> None:
    ensure_same_unit_user(demo)
    assert (
        web_as(actor).get(f"/system/{register.system('Omsorg Vård').pk}/").status_code == expected
    )


@pytest.mark.parametrize(
    ("actor", "expected"),
    actor_params({ANON: 302, OTHER: 404, SAME: 404, ORDERER: 404, AGENT: 404, FINANCE: 404, ADMIN: 302}),
)  # fmt: skip
def test_web_classify_post(
    web_as: Any, register: Any, demo: Any, actor: Any, expected: int
) -> None:
    ensure_same_unit_user(demo)
    system = register.system("Schema Takt")
    client = web_as(actor)
    before = db_state()
    r = client.post(
        f"/system/{system.pk}/klassa/",
        {"confidentiality": "1", "integrity": "1", "availability": "1", "version": system.version},
    )
    assert r.status_code == expected
    if actor != ADMIN:
        assert_unchanged(before)


def test_strateg_may_not_classify_on_the_web(web_as: Any, register: Any) -> None:
    system = register.system("Schema Takt")
    assert web_as("strateg").get(f"/system/{system.pk}/klassa/").status_code == 404


def _asset() -> Any:
    from itfabrik.systems.models import InformationAsset

    return InformationAsset.objects.get(name="Leverantörsreskontra")


@pytest.mark.parametrize(("actor", "expected"), actor_params(SEEN))
def test_api_asset_detail(api_as: Any, register: Any, demo: Any, actor: Any, expected: int) -> None:
    ensure_same_unit_user(demo)
    r = api_as(actor).get(f"/api/v1/systems/information-assets/{_asset().pk}/")
    assert r.status_code == expected


@pytest.mark.parametrize(("actor", "expected"), actor_params(SEEN))
def test_api_asset_classify(
    api_as: Any, register: Any, demo: Any, actor: Any, expected: int
) -> None:
    ensure_same_unit_user(demo)
    asset = _asset()
    client = api_as(actor)
    before = db_state()
    r = client.post(
        f"/api/v1/systems/information-assets/{asset.pk}/classify/",
        {"version": asset.version, "confidentiality": 4, "integrity": 1, "availability": 1},
        format="json",
    )
    assert r.status_code == expected
    asset.refresh_from_db()
    if expected != 200:
        assert_unchanged(before)
        assert asset.confidentiality == 1
    else:
        assert asset.confidentiality == 4


def test_api_asset_classify_seen_but_not_classified_is_forbidden(
    api_as: Any, register: Any
) -> None:
    asset = _asset()
    client = api_as("strateg")
    assert client.get(f"/api/v1/systems/information-assets/{asset.pk}/").status_code == 200
    before = db_state()
    r = client.post(
        f"/api/v1/systems/information-assets/{asset.pk}/classify/",
        {"version": asset.version, "confidentiality": 4, "integrity": 1, "availability": 1},
        format="json",
    )
    assert r.status_code == 403
    assert_unchanged(before)


@pytest.mark.parametrize(("actor", "expected"), actor_params({**WEB_SEEN, ADMIN: 302}))
def test_web_asset_classify_post(
    web_as: Any, register: Any, demo: Any, actor: Any, expected: int
) -> None:
    ensure_same_unit_user(demo)
    asset = _asset()
    client = web_as(actor)
    before = db_state()
    r = client.post(
        f"/system/informationstillgangar/{asset.pk}/klassa/",
        {"confidentiality": "4", "integrity": "1", "availability": "1", "version": asset.version},
    )
    assert r.status_code == expected
    asset.refresh_from_db()
    if actor != ADMIN:
        assert_unchanged(before)
        assert asset.confidentiality == 1
    else:
        assert asset.confidentiality == 4
