"""The device register's pages: the list and its export, the device card, compliance, the plan,
and the portal's "Mina enheter" with its link into the service desk's report form."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from itfabrik.assets.models import Device

pytestmark = pytest.mark.django_db


def test_device_list_query_count(web_as: Any, demo: Any, django_assert_num_queries: Any) -> None:
    client = web_as("admin")
    mellerud = demo.node("Melleruds kommun")
    url = f"/enheter/?kommun={mellerud.pk}&steg=deployed"
    client.get(url)
    with django_assert_num_queries(9):
        r = client.get(url)
    assert r.status_code == 200
    assert r.context["page"].paginator.count > 100


def test_device_list_exports(web_as: Any, demo: Any) -> None:
    client = web_as("admin")
    mellerud = demo.node("Melleruds kommun")
    r = client.get(f"/enheter/?kommun={mellerud.pk}&typ=monitor&format=csv")
    text = r.content.decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0].startswith("Inventarienummer;")
    assert len(lines) - 1 == Device.objects.filter(municipality=mellerud, kind="monitor").count()
    r = client.get(f"/enheter/?kommun={mellerud.pk}&format=xlsx")
    assert r.content[:2] == b"PK"


def test_device_card_shows_history_lease_and_findings(web_as: Any, fleet: Any) -> None:
    device = fleet.device(local_admin=True)
    client = web_as("admin")
    r = client.get(f"/enheter/{device.pk}/")
    body = r.content.decode()
    assert "Lokal administratör finns" in body
    assert fleet.lease.contract_number in body
    r = client.post(
        f"/enheter/{device.pk}/steg/", {"version": device.version, "target": "received"}
    )
    assert r.status_code == 400
    assert "Från i bruk kan enheten bara gå till" in r.content.decode()
    r = client.post(
        f"/enheter/{device.pk}/steg/", {"version": device.version, "target": "in_repair"}
    )
    assert r.status_code == 302
    body = client.get(f"/enheter/{device.pk}/").content.decode()
    assert "På reparation" in body


def test_compliance_page_lists_the_devices_behind_a_count(web_as: Any, demo: Any) -> None:
    mellerud = demo.node("Melleruds kommun")
    client = web_as("admin")
    r = client.get(f"/enheter/efterlevnad/?kommun={mellerud.pk}")
    rows = {key: count for key, _label, count, _exc in r.context["rows"]}
    assert rows["unmanaged"] > 0
    r = client.get(f"/enheter/efterlevnad/?kommun={mellerud.pk}&regel=unmanaged")
    assert r.context["page"].paginator.count == rows["unmanaged"]


def test_plan_for_a_year(web_as: Any, demo: Any) -> None:
    mellerud = demo.node("Melleruds kommun")
    client = web_as("admin")
    r = client.get(f"/enheter/planering/?kommun={mellerud.pk}")
    year = r.context["years"][1]
    r = client.get(f"/enheter/planering/?kommun={mellerud.pk}&ar={year}")
    assert r.status_code == 200
    assert {row["year"] for row in r.context["rows"]} == {year}
    assert "<svg" in r.content.decode()


def test_my_devices_links_to_a_prefilled_report(web_as: Any) -> None:
    client = web_as("anvandare-bengtsfors")
    r = client.get("/enheter/mina/")
    assert r.status_code == 200
    devices = r.context["devices"]
    assert len(devices) == 2
    device, link = devices[0]
    parsed = urlparse(link)
    assert parsed.path == "/servicedesk/anmal/" or parsed.path.endswith("/anmal/")
    title = parse_qs(parsed.query)["q"][0]
    assert device.asset_tag in title
    form = client.get(link)
    assert form.status_code == 200
    assert form.context["form"].initial["title"] == title
    home = client.get("/").content.decode()
    assert "Mina enheter" in home


def test_nobody_else_sees_my_devices(web_as: Any) -> None:
    r = web_as("agent").get("/enheter/mina/")
    assert r.status_code == 200
    assert r.context["devices"] == []


def test_a_model_is_corrected_and_closed(web_as: Any, fleet: Any) -> None:
    model = fleet.model
    client = web_as("admin")
    url = f"/enheter/modeller/{model.pk}/"
    assert client.get(url).status_code == 200
    data = {
        "manufacturer": model.manufacturer,
        "name": model.name,
        "kind": model.kind,
        "end_of_support": "2031-12-31",
        "lease_months": 48,
        "price": "15000.00",
        "version": model.version,
    }
    assert client.post(url, data).status_code == 302
    model.refresh_from_db()
    assert model.is_active is False
    assert model.lease_months == 48
    assert client.post(url, data).status_code == 400  # the version moved on
    assert web_as("agent").get(url).status_code == 404
