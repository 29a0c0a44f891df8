"""The device register's API: the list's filters, ordering and query count; a device and its
history; transitions; the forecast and the compliance counts."""

from __future__ import annotations

from typing import Any

import pytest

from itfabrik.assets.models import Device
from itfabrik.core.tests import assert_error

pytestmark = pytest.mark.django_db


def test_list_filtered_by_municipality_and_state_sorted_by_lease_end(
    api_as: Any, demo: Any, django_assert_num_queries: Any
) -> None:
    mellerud = demo.node("Melleruds kommun")
    client = api_as("admin")
    url = f"/api/v1/assets/?municipality={mellerud.pk}&state=deployed&kind=computer&ordering=lease_end"
    client.get(url)
    # token, grants, count, page: whatever the number of rows
    with django_assert_num_queries(4):
        r = client.get(url)
    assert r.status_code == 200
    body = r.json()
    assert body["count"] > 100
    rows = body["results"]
    assert {d["municipality"] for d in rows} == {mellerud.pk}
    assert {d["state"] for d in rows} == {"deployed"}
    assert {d["kind"] for d in rows} == {"computer"}
    ends = [d["lease_end"] for d in rows if d["lease_end"]]
    assert ends == sorted(ends)
    desc = client.get(url.replace("ordering=lease_end", "ordering=-lease_end")).json()["results"]
    assert desc[0]["lease_end"] >= ends[-1]
    assert_error(client.get("/api/v1/assets/?ordering=serial"), 400, "invalid")
    assert_error(client.get("/api/v1/assets/?state=broken"), 400, "invalid")


def test_portal_user_sees_no_devices(api_as: Any) -> None:
    r = api_as("anvandare-bengtsfors").get("/api/v1/assets/")
    assert r.status_code == 200
    assert r.json()["count"] == 0


def test_transition_refused_names_the_allowed(api_as: Any, fleet: Any) -> None:
    device = fleet.device()
    client = api_as("tekniker")
    url = f"/api/v1/assets/{device.pk}/transition/"
    r = client.post(url, {"version": device.version, "target": "received"}, format="json")
    error = assert_error(r, 400, "invalid")
    assert "på reparation" in error["fields"]["target"][0]["messages"]["sv"]
    assert "in repair" in error["fields"]["target"][0]["messages"]["en"]
    r = client.post(url, {"version": device.version, "target": "in_repair"}, format="json")
    assert r.status_code == 200
    assert r.json()["state"] == "in_repair"
    assert_error(
        client.post(url, {"version": device.version, "target": "deployed"}, format="json"),
        409,
        "conflict",
    )
    history = client.get(f"/api/v1/assets/{device.pk}/history/").json()
    assert [h["to_state"] for h in history] == ["in_repair", "deployed"]


def test_create_and_correct(api_as: Any, fleet: Any) -> None:
    client = api_as("tekniker")
    r = client.post(
        "/api/v1/assets/",
        {
            "model": fleet.model.pk,
            "owner_unit": fleet.unit.pk,
            "serial_number": "API-1",
            "lease": fleet.lease.pk,
            "security_level": 2,
        },
        format="json",
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["state"] == "needs_analysis"
    assert body["lease_end"] == fleet.lease.ends_on.isoformat()
    r = client.patch(
        f"/api/v1/assets/{body['id']}/",
        {"version": body["version"], "local_admin": True},
        format="json",
    )
    assert r.status_code == 200
    assert Device.objects.get(pk=body["id"]).local_admin is True


def test_forecast_per_quarter(api_as: Any, demo: Any) -> None:
    mellerud = demo.node("Melleruds kommun")
    r = api_as("admin").get(f"/api/v1/assets/forecast/?municipality={mellerud.pk}")
    assert r.status_code == 200
    rows = r.json()
    assert len(rows) == 12
    assert set(rows[0]) >= {"quarter", "count", "cost"}
    assert sum(q["count"] for q in rows) > 0
    assert sum(q["count"] for q in rows) == sum(q["planned_count"] for q in rows)
    assert all(float(q["planned_cost"]) <= float(q["band"]) for q in rows[1:])
    year = rows[-1]["quarter"][:4]
    only = api_as("admin").get(f"/api/v1/assets/forecast/?municipality={mellerud.pk}&year={year}")
    assert {q["quarter"][:4] for q in only.json()} == {year}
    assert (
        api_as("anvandare-bengtsfors")
        .get(f"/api/v1/assets/forecast/?municipality={mellerud.pk}")
        .status_code
        == 404
    )
    assert_error(api_as("admin").get("/api/v1/assets/forecast/"), 400, "invalid")


def test_compliance_counts(api_as: Any, demo: Any) -> None:
    mellerud = demo.node("Melleruds kommun")
    r = api_as("sakerhet").get(f"/api/v1/assets/compliance/?municipality={mellerud.pk}")
    assert r.status_code == 200
    body = r.json()
    assert body["in_use"] > 500
    assert body["findings"]["unmanaged"] > 0
    assert (
        api_as("anvandare-bengtsfors")
        .get(f"/api/v1/assets/compliance/?municipality={mellerud.pk}")
        .status_code
        == 404
    )
