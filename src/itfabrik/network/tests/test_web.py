"""The network pages: naming a device, checking a name, importing, correcting, and list query
counts that do not grow with the rows."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from itfabrik.core.tests import page_query_count
from itfabrik.network.models import Device, Vlan

pytestmark = pytest.mark.django_db


def test_name_a_new_switch(client: Any, net: Any) -> None:
    client.force_login(net.tekniker)
    site = net.site("Färgelanda kommun", "SKOLA1")
    r = client.post(
        "/natverk/enheter/ny/",
        {"name_device": "1", "site": site.pk, "device_type": net.type("SW").pk, "model": "CX"},
        follow=True,
    )
    assert r.status_code == 200
    assert "FAR-SKOLA1-SW-03 är registrerad med nästa lediga namn." in r.content.decode()
    assert Device.objects.get(name="FAR-SKOLA1-SW-03").model == "CX"


def test_name_without_a_site_says_so(client: Any, net: Any) -> None:
    client.force_login(net.tekniker)
    count = Device.objects.count()
    r = client.post("/natverk/enheter/ny/", {"name_device": "1", "device_type": net.type("SW").pk})
    assert r.status_code == 400
    assert "Välj en plats." in r.content.decode()
    assert Device.objects.count() == count


def test_check_a_name_on_the_page(client: Any, net: Any) -> None:
    client.force_login(net.tekniker)
    r = client.post("/natverk/enheter/ny/", {"check_name": "1", "name": "MEL-KHUS-XX-01"})
    html = r.content.decode()
    assert "MEL-KHUS-XX-01 följer inte standarden" in html
    assert "Typkod finns inte i standarden." in html


def test_import_page_checks_then_imports(client: Any, net: Any) -> None:
    client.force_login(net.tekniker)
    body = b"vid,name,site,status\n80,SKRIVARE,Mellerud kommunhus,active\n0,X,Mellerud kommunhus,active\n"
    r = client.post(
        "/natverk/import/",
        {"kind": "vlans", "file": SimpleUploadedFile("v.csv", body), "check": "1"},
    )
    html = r.content.decode()
    assert "vid: 0 är inget VLAN-ID mellan 1 och 4094." in html
    r = client.post(
        "/natverk/import/",
        {"kind": "vlans", "file": SimpleUploadedFile("v.csv", body), "import": "1"},
    )
    assert r.status_code == 400
    assert "1 rader har fel; inget har importerats." in r.content.decode()
    assert not Vlan.objects.filter(vid=80).exists()


def test_correct_and_end_a_device(client: Any, net: Any) -> None:
    client.force_login(net.tekniker)
    device = Device.objects.get(name="bfs-switch-kommunhuset")
    r = client.get(f"/natverk/enheter/{device.pk}/")
    assert "Kommunkod finns inte i standarden." in r.content.decode()
    r = client.post(
        f"/natverk/enheter/{device.pk}/",
        {"name": "BEN-KHUS-SW-03", "status": "offline", "version": 1},
    )
    assert r.status_code == 302
    device.refresh_from_db()
    assert (device.name, device.status, device.name_conforms) == ("BEN-KHUS-SW-03", "offline", True)


def test_a_bad_pattern_on_the_standard_page(client: Any, net: Any) -> None:
    client.force_login(net.admin)
    r = client.post("/natverk/standard/", {"pattern": "{site}{number}", "version": 1})
    assert r.status_code == 400
    assert "Två delar måste skiljas åt" in r.content.decode()


def test_export_csv_page(client: Any, net: Any) -> None:
    client.force_login(net.tekniker)
    r = client.get("/natverk/enheter/export.csv", {"foljer": "nej"})
    lines = r.content.decode().splitlines()
    assert lines[0].startswith("name,role,manufacturer,device_type,status,site")
    assert len(lines) == 1 + 3


@pytest.mark.parametrize(
    "url",
    ["/natverk/", "/natverk/enheter/", "/natverk/vlan/", "/natverk/platser/", "/natverk/standard/"],
)
def test_page_query_count_does_not_grow(client: Any, net: Any, url: str) -> None:
    from itfabrik.core.actors import SYSTEM
    from itfabrik.network import services

    client.force_login(net.tekniker)
    client.get(url)
    queries, _r = page_query_count(client, url)
    site = net.site("Åmåls kommun", "VC")
    for i in range(4):
        services.device_create(actor=SYSTEM, site=site, device_type=net.type("AP"))
        services.vlan_create(actor=SYSTEM, site=site, vid=600 + i, name=f"V{i}")
        services.site_create(
            actor=SYSTEM, municipality=site.municipality, code=f"Y{i}", name=f"Y {i}"
        )
        services.standard_vlan_create(
            actor=SYSTEM, cooperation=net.coop, vid=700 + i, name=f"S{i}", purpose="p"
        )
    again, _r = page_query_count(client, url)
    assert again == queries


def test_municipality_report_query_count(
    client: Any, net: Any, django_assert_num_queries: Any
) -> None:
    client.force_login(net.tekniker)
    url = f"/natverk/kommun/{net.mellerud.pk}/"
    client.get(url)
    queries, r = page_query_count(client, url)
    assert "MEL-SKOLA1-SW-3" in r.content.decode()
    assert "VLAN 50 (IOT) saknas." in r.content.decode()
    from itfabrik.core.actors import SYSTEM
    from itfabrik.network import services

    for i in range(3):
        services.device_create(
            actor=SYSTEM,
            site=net.site("Melleruds kommun", "VC"),
            device_type=net.type("AP"),
            name=f"old-ap-{i}",
            allow_nonconforming=True,
        )
    again, _r = page_query_count(client, url)
    assert again == queries
