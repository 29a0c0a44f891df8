"""The permission matrix for the network pages and endpoints: who gets 200, who 404 (or 403 when
they see but may not change), and that a refused write changed nothing."""

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

SEEN = {ANON: 401, OTHER: 404, SAME: 404, ORDERER: 404, AGENT: 200, FINANCE: 404, ADMIN: 200}
WRITE = {ANON: 401, OTHER: 404, SAME: 404, ORDERER: 404, AGENT: 403, FINANCE: 404, ADMIN: 200}
# The standard is the cooperation's: read by anyone who sees any network; else not there.
LISTED = {ANON: 401, OTHER: 404, SAME: 404, ORDERER: 404, AGENT: 200, FINANCE: 404, ADMIN: 200}


def _device(net: Any) -> Any:
    from itfabrik.network.models import Device

    return Device.objects.get(name="MEL-KHUS-SW-01")


@pytest.fixture(autouse=True)
def _same(demo: Any) -> None:
    ensure_same_unit_user(demo)


@pytest.mark.parametrize(("actor", "expected"), actor_params(SEEN))
def test_api_device_detail(api_as: Any, net: Any, actor: Any, expected: int) -> None:
    assert api_as(actor).get(f"/api/v1/network/devices/{_device(net).pk}/").status_code == expected


@pytest.mark.parametrize(("actor", "expected"), actor_params(SEEN))
def test_api_vlan_and_site_detail(api_as: Any, net: Any, actor: Any, expected: int) -> None:
    from itfabrik.network.models import Vlan

    site = net.site("Melleruds kommun", "KHUS")
    vlan = Vlan.objects.get(site=site, vid=10)
    assert api_as(actor).get(f"/api/v1/network/vlans/{vlan.pk}/").status_code == expected
    assert api_as(actor).get(f"/api/v1/network/sites/{site.pk}/").status_code == expected


@pytest.mark.parametrize(("actor", "expected"), actor_params(WRITE))
def test_api_device_patch(api_as: Any, net: Any, actor: Any, expected: int) -> None:
    device = _device(net)
    api = api_as(actor)
    before = db_state()
    r = api.patch(
        f"/api/v1/network/devices/{device.pk}/", {"version": 1, "serial": "NYTT"}, format="json"
    )
    assert r.status_code == expected
    if expected != 200:
        assert_unchanged(before)


@pytest.mark.parametrize(
    ("actor", "expected"),
    actor_params(
        {**WRITE, AGENT: 403, ADMIN: 201, OTHER: 400, SAME: 400, ORDERER: 400, FINANCE: 400}
    ),
)
def test_api_device_create(api_as: Any, net: Any, actor: Any, expected: int) -> None:
    # A site (and device type) the actor may not see is a 400 on that field, as elsewhere.
    site = net.site("Melleruds kommun", "KHUS")
    api = api_as(actor)
    before = db_state()
    r = api.post(
        "/api/v1/network/devices/",
        {"site": site.pk, "device_type": net.type("SW").pk},
        format="json",
    )
    assert r.status_code == expected
    if r.status_code != 201:
        assert_unchanged(before)


@pytest.mark.parametrize(
    ("actor", "expected"),
    actor_params(
        {ANON: 401, OTHER: 404, SAME: 404, ORDERER: 404, AGENT: 200, FINANCE: 404, ADMIN: 200}
    ),
)
def test_api_name_validate(api_as: Any, net: Any, actor: Any, expected: int) -> None:
    r = api_as(actor).post("/api/v1/network/names/validate/", {"name": "X"}, format="json")
    assert r.status_code == expected


@pytest.mark.parametrize(
    ("actor", "expected"),
    actor_params(
        {ANON: 401, OTHER: 404, SAME: 404, ORDERER: 404, AGENT: 403, FINANCE: 404, ADMIN: 200}
    ),
)
def test_api_name_next(api_as: Any, net: Any, actor: Any, expected: int) -> None:
    r = api_as(actor).post(
        "/api/v1/network/names/next/",
        {"municipality": "MEL", "site": "KHUS", "type": "SW"},
        format="json",
    )
    assert r.status_code == expected


@pytest.mark.parametrize(("actor", "expected"), actor_params(LISTED))
def test_api_standard_and_plan(api_as: Any, net: Any, actor: Any, expected: int) -> None:
    assert api_as(actor).get("/api/v1/network/standard/").status_code == expected
    assert api_as(actor).get("/api/v1/network/vlan-plan/").status_code == expected


@pytest.mark.parametrize(
    ("actor", "expected"),
    actor_params(
        {ANON: 401, OTHER: 404, SAME: 404, ORDERER: 404, AGENT: 403, FINANCE: 404, ADMIN: 200}
    ),
)
def test_api_pattern_patch(api_as: Any, net: Any, actor: Any, expected: int) -> None:
    api = api_as(actor)
    before = db_state()
    r = api.patch(
        "/api/v1/network/standard/",
        {"pattern": "{municipality}.{site}.{type}.{number:03}", "version": 1},
        format="json",
    )
    assert r.status_code == expected
    if expected != 200:
        assert_unchanged(before)


@pytest.mark.parametrize(
    ("actor", "expected"),
    actor_params(
        {ANON: 401, OTHER: 404, SAME: 404, ORDERER: 404, AGENT: 404, FINANCE: 404, ADMIN: 200}
    ),
)
def test_api_import(api_as: Any, net: Any, actor: Any, expected: int) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    api = api_as(actor)
    before = db_state()
    r = api.post(
        "/api/v1/network/import/",
        {
            "kind": "vlans",
            "file": SimpleUploadedFile("v.csv", b"vid,name,site\n77,X,Mellerud kommunhus\n"),
            "dry_run": False,
        },
        format="multipart",
    )
    assert r.status_code == expected
    if expected != 200:
        assert_unchanged(before)


def test_lists_show_only_what_the_actor_may_see(api_as: Any, net: Any) -> None:
    net.it_contact()
    r = api_as("itkontakt-mellerud").get("/api/v1/network/devices/", {"page_size": 200})
    names = {d["municipality_name"] for d in r.json()["results"]}
    assert names == {"Melleruds kommun"}
    bengtsfors_device = (
        api_as("tekniker")
        .get("/api/v1/network/devices/", {"municipality": net.bengtsfors.pk})
        .json()["results"][0]
    )
    assert (
        api_as("itkontakt-mellerud")
        .get(f"/api/v1/network/devices/{bengtsfors_device['id']}/")
        .status_code
        == 404
    )
    r = api_as("itkontakt-mellerud").get("/api/v1/network/vlans/export/")
    assert {line.split(",")[2] for line in r.content.decode().splitlines()[1:]} == {
        "Mellerud kommunhus",
        "Mellerud grundskola",
        "Mellerud vårdcentral",
    }
    assert api_as("anvandare-bengtsfors").get("/api/v1/network/devices/").json()["count"] == 0


PAGES = [
    "/natverk/",
    "/natverk/enheter/",
    "/natverk/vlan/",
    "/natverk/platser/",
    "/natverk/standard/",
]


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize(
    ("actor", "expected"),
    actor_params(
        {ANON: 302, OTHER: 404, SAME: 404, ORDERER: 404, AGENT: 200, FINANCE: 404, ADMIN: 200}
    ),
)
def test_pages(client: Any, demo: Any, net: Any, url: str, actor: Any, expected: int) -> None:
    if actor:
        client.force_login(demo.user(actor))
    assert client.get(url).status_code == expected


@pytest.mark.parametrize(
    ("actor", "expected"),
    actor_params(
        {ANON: 302, OTHER: 404, SAME: 404, ORDERER: 404, AGENT: 404, FINANCE: 404, ADMIN: 200}
    ),
)
def test_manager_pages(client: Any, demo: Any, net: Any, actor: Any, expected: int) -> None:
    if actor:
        client.force_login(demo.user(actor))
    assert client.get("/natverk/enheter/ny/").status_code == expected
    assert client.get("/natverk/import/").status_code == expected


@pytest.mark.parametrize(
    ("actor", "expected"),
    actor_params(
        {ANON: 302, OTHER: 404, SAME: 404, ORDERER: 404, AGENT: 404, FINANCE: 404, ADMIN: 302}
    ),
)
def test_web_device_edit_post(client: Any, demo: Any, net: Any, actor: Any, expected: int) -> None:
    device = _device(net)
    if actor:
        client.force_login(demo.user(actor))
    before = db_state()
    r = client.post(
        f"/natverk/enheter/{device.pk}/",
        {"name": device.name, "status": "offline", "version": 1},
    )
    assert r.status_code == expected
    if actor != ADMIN:
        assert_unchanged(before)


def test_it_contact_sees_only_their_municipality_on_the_pages(client: Any, net: Any) -> None:
    client.force_login(net.it_contact())
    r = client.get("/natverk/")
    assert [e.municipality.name for e in r.context["report"]] == ["Melleruds kommun"]
    assert client.get(f"/natverk/kommun/{net.bengtsfors.pk}/").status_code == 404
    assert client.get(f"/natverk/kommun/{net.mellerud.pk}/").status_code == 200
    other = _device(net).__class__.objects.filter(municipality=net.bengtsfors).first()
    assert client.get(f"/natverk/enheter/{other.pk}/").status_code == 404
