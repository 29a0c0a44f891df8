"""The network API: names (validate, next), devices, VLANs, export, import, conformance, with
their query counts fixed."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from itfabrik.core.tests import list_query_count
from itfabrik.network.models import Device, Vlan

pytestmark = pytest.mark.django_db


def test_validate_names_each_wrong_part(api_as: Any, net: Any) -> None:
    api = api_as("tekniker")
    r = api.post("/api/v1/network/names/validate/", {"name": "MEL-KHUS-SW-01"}, format="json")
    assert r.status_code == 200
    assert r.json() == {
        "name": "MEL-KHUS-SW-01",
        "valid": True,
        "parts": {"municipality": "MEL", "site": "KHUS", "type": "SW", "number": "01"},
        "errors": {},
        "error_codes": {},
    }
    r = api.post(
        "/api/v1/network/names/validate/",
        {"name": "XYZ-KHUS-ROUTER-1"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="sv",
    )
    body = r.json()
    assert body["valid"] is False
    assert body["errors"] == {
        "municipality": ["Kommunkod finns inte i standarden."],
        "type": ["Typkod finns inte i standarden."],
        "number": ["Löpnummer har fel antal siffror (fyll ut med nollor enligt mönstret)."],
    }
    assert body["error_codes"]["municipality"] == ["unknown"]
    r = api.post(
        "/api/v1/network/names/validate/",
        {"name": "MEL-KHUS-SW-01", "site": net.site("Melleruds kommun", "VC").pk},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert r.json()["valid"] is True  # the site alone is not enough to compare against
    r = api.post(
        "/api/v1/network/names/validate/",
        {
            "name": "MEL-KHUS-SW-01",
            "site": net.site("Melleruds kommun", "VC").pk,
            "device_type": net.type("SW").pk,
        },
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert r.json()["errors"] == {
        "site": ["Site code does not match the device's own site or type."]
    }


def test_next_gives_the_next_free_name_and_bad_parts_are_named(api_as: Any, net: Any) -> None:
    api = api_as("tekniker")
    r = api.post(
        "/api/v1/network/names/next/",
        {"municipality": "mel", "site": "KHUS", "type": "SW"},
        format="json",
    )
    assert r.status_code == 200
    assert r.json() == {"name": "MEL-KHUS-SW-03"}
    r = api.post(
        "/api/v1/network/names/next/",
        {"municipality": "MEL", "site": "NOPE", "type": "XX"},
        format="json",
    )
    assert r.status_code == 400
    assert set(r.json()["error"]["fields"]) == {"site", "type"}


def test_create_a_device_without_a_name_then_correct_and_end_it(api_as: Any, net: Any) -> None:
    api = api_as("tekniker")
    site = net.site("Melleruds kommun", "KHUS")
    r = api.post(
        "/api/v1/network/devices/",
        {"site": site.pk, "device_type": net.type("SW").pk, "model": "CX 6300"},
        format="json",
    )
    assert r.status_code == 201, r.content
    device = r.json()
    assert (device["name"], device["name_conforms"]) == ("MEL-KHUS-SW-03", True)
    r = api.patch(
        f"/api/v1/network/devices/{device['id']}/",
        {"version": 1, "status": "decommissioning"},
        format="json",
    )
    assert r.status_code == 200
    assert r.json()["status"] == "decommissioning"
    r = api.patch(
        f"/api/v1/network/devices/{device['id']}/", {"version": 1, "serial": "X"}, format="json"
    )
    assert r.status_code == 409
    r = api.post(
        "/api/v1/network/devices/",
        {"site": site.pk, "device_type": net.type("SW").pk, "name": "switch-1"},
        format="json",
    )
    assert r.status_code == 400
    assert "name" in r.json()["error"]["fields"]


def test_vlan_id_outside_range_is_a_400_and_nothing_is_written(api_as: Any, net: Any) -> None:
    api = api_as("tekniker")
    site = net.site("Melleruds kommun", "KHUS")
    before = Vlan.objects.count()
    for vid in (0, 4095):
        r = api.post(
            "/api/v1/network/vlans/", {"site": site.pk, "vid": vid, "name": "X"}, format="json"
        )
        assert r.status_code == 400
        assert list(r.json()["error"]["fields"]) == ["vid"]
    r = api.post(
        "/api/v1/network/vlan-plan/", {"vid": 5000, "name": "X", "purpose": "Y"}, format="json"
    )
    assert r.status_code == 400
    assert Vlan.objects.count() == before


def test_import_dry_run_and_real_run(api_as: Any, net: Any) -> None:
    api = api_as("tekniker")
    body = b"vid,name,site,status\n70,KAMERA,Mellerud kommunhus,active\n5000,X,Mellerud kommunhus,active\n"
    r = api.post(
        "/api/v1/network/import/",
        {"kind": "vlans", "file": SimpleUploadedFile("v.csv", body), "dry_run": True},
        format="multipart",
    )
    assert r.status_code == 200
    assert r.json()["errors"] == [
        {"row": 3, "messages": ["vid: 5000 är inget VLAN-ID mellan 1 och 4094."]}
    ]
    r = api.post(
        "/api/v1/network/import/",
        {"kind": "vlans", "file": SimpleUploadedFile("v.csv", body), "dry_run": False},
        format="multipart",
    )
    assert r.status_code == 400
    assert not Vlan.objects.filter(vid=70).exists()
    good = body.splitlines()[0] + b"\n" + body.splitlines()[1] + b"\n"
    r = api.post(
        "/api/v1/network/import/",
        {"kind": "vlans", "file": SimpleUploadedFile("v.csv", good), "dry_run": False},
        format="multipart",
    )
    assert r.json()["created"] == 1
    assert Vlan.objects.filter(vid=70).count() == 1


def test_export_is_netbox_csv_of_the_filtered_list(api_as: Any, net: Any) -> None:
    r = api_as("tekniker").get(
        "/api/v1/network/vlans/export/", {"municipality": net.mellerud.pk, "vid": 10}
    )
    assert r.status_code == 200
    lines = r.content.decode().splitlines()
    assert lines[0] == "vid,name,site,group,status,role,description,comments"
    assert len(lines) == 1 + 3


def test_conformance_endpoint(api_as: Any, net: Any) -> None:
    r = api_as("tekniker").get("/api/v1/network/conformance/")
    assert r.status_code == 200
    mel = next(e for e in r.json() if e["municipality_name"] == "Melleruds kommun")
    assert mel["nonconforming"] == 1
    assert mel["deviating_sites"][0]["findings"] == [
        {"vid": 50, "kind": "missing", "expected": "IOT", "actual": ""}
    ]


def test_standard_pattern_change_and_codes(api_as: Any, net: Any) -> None:
    api = api_as("admin")
    r = api.get("/api/v1/network/standard/")
    assert r.json()["pattern"] == "{municipality}-{site}-{type}-{number:02}"
    r = api.patch(
        "/api/v1/network/standard/", {"pattern": "{site}{number}", "version": 1}, format="json"
    )
    assert r.status_code == 400
    assert list(r.json()["error"]["fields"]) == ["pattern"]
    r = api.post(
        "/api/v1/network/municipality-codes/",
        {"municipality": net.mellerud.pk, "code": "MLD"},
        format="json",
    )
    assert r.status_code == 200
    assert {"municipality": net.mellerud.pk, "name": "Melleruds kommun", "code": "MLD"} in r.json()[
        "municipality_codes"
    ]
    # Every Mellerud name now has the old code.
    assert not Device.objects.filter(municipality=net.mellerud, name_conforms=True).exists()


@pytest.mark.parametrize(
    "url", ["/api/v1/network/devices/", "/api/v1/network/vlans/", "/api/v1/network/sites/"]
)
def test_list_query_count_does_not_grow_with_rows(api_as: Any, net: Any, url: str) -> None:
    from itfabrik.core.actors import SYSTEM
    from itfabrik.network import services

    api = api_as("tekniker")
    queries, rows = list_query_count(api, url)
    site = net.site("Bengtsfors kommun", "VC")
    for i in range(5):
        services.device_create(actor=SYSTEM, site=site, device_type=net.type("AP"))
        services.vlan_create(actor=SYSTEM, site=site, vid=500 + i, name=f"V{i}")
        services.site_create(actor=SYSTEM, municipality=net.bengtsfors, code=f"X{i}", name=f"X {i}")
    queries_after, rows_after = list_query_count(api, url)
    assert rows_after == rows + 5
    assert queries_after == queries
