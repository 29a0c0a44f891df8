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
    assert_error,
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


# --- moving a device to another owning unit through the API --------------------------------------


def _technician_of(username: str, municipality: Any) -> Any:
    """A technician whose role holds on one municipality only."""
    from itfabrik.accounts import services as account_services
    from itfabrik.accounts.choices import Role
    from itfabrik.core.actors import SYSTEM

    user = account_services.user_create(
        actor=SYSTEM,
        username=username,
        password="Lösenord-som-är-långt-nog-1",
        first_name="Test",
        last_name="Tekniker",
        email=f"{username}@itfabrik.example",
        check_password_strength=False,
    )
    account_services.role_assign(actor=SYSTEM, user=user, role=Role.TECHNICIAN, node=municipality)
    return user


def _move(client: Any, device: Any, unit: Any, **extra: Any) -> Any:
    body = {"version": device.version, "owner_unit": unit.pk, "moved_on": None, **extra}
    return client.patch(f"/api/v1/assets/{device.pk}/", body, format="json")


@pytest.mark.parametrize(("actor", "expected"), actor_params({**DEVICE_SEEN, AGENT: 403}))
def test_api_move_device_to_another_unit(
    api_as: Any, demo: Any, device: Any, actor: Any, expected: int
) -> None:
    from itfabrik.assets.models import Device, DeviceEvent
    from itfabrik.core.models import AuditEntry

    unit = demo.node("Socialförvaltningen", municipality=MELLERUD)
    client = api_as(actor)
    before = db_state()
    r = _move(client, device, unit)
    assert r.status_code == expected
    if expected != 200:
        assert_unchanged(before)
        return
    assert r.json()["owner_unit"] == unit.pk
    assert Device.objects.get(pk=device.pk).owner_unit_id == unit.pk
    event = DeviceEvent.objects.filter(device=device).order_by("-pk").first()
    assert event is not None
    assert event.owner_unit_id == unit.pk
    entry = (
        AuditEntry.objects.filter(object_type="assets.device", object_id=str(device.pk))
        .order_by("-pk")
        .first()
    )
    assert entry is not None
    assert "owner_unit_id" in entry.changed_fields


def test_api_move_needs_both_municipalities(api_as: Any, demo: Any, fleet: Any) -> None:
    """The device's municipality and the new unit's: a technician of Mellerud cannot move a
    device to Bengtsfors (400 on the field), one of Bengtsfors cannot see Mellerud's device
    (404); nothing changes either way. One of both may (a device without a Mellerud lease)."""
    device = fleet.device(lease=None)
    mellerud, bengtsfors = demo.node(MELLERUD), demo.node("Bengtsfors kommun")
    target = _unit_of(bengtsfors)
    _technician_of("tekniker-mellerud", mellerud)
    _technician_of("tekniker-bengtsfors", bengtsfors)
    of_mellerud, of_bengtsfors, admin = (
        api_as("tekniker-mellerud"),
        api_as("tekniker-bengtsfors"),
        api_as(ADMIN),
    )
    before = db_state()
    r = _move(of_mellerud, device, target)
    assert "owner_unit" in assert_error(r, 400, "invalid")["fields"]
    assert_unchanged(before)
    assert _move(of_bengtsfors, device, target).status_code == 404
    assert_unchanged(before)
    # A unit nobody can see (another cooperation's, or no such id) is a 400 as well.
    r = _move(of_mellerud, device, type("U", (), {"pk": 2**40})())
    assert "owner_unit" in assert_error(r, 400, "invalid")["fields"]
    assert_unchanged(before)
    # moved_on without a new unit says so.
    r = admin.patch(
        f"/api/v1/assets/{device.pk}/",
        {"version": device.version, "moved_on": "2026-06-01"},
        format="json",
    )
    assert "moved_on" in assert_error(r, 400, "invalid")["fields"]
    assert_unchanged(before)
    r = _move(admin, device, target)
    assert r.status_code == 200
    assert r.json()["municipality"] == bengtsfors.pk


def test_api_change_model_with_a_date(api_as: Any, demo: Any, fleet: Any) -> None:
    """`model` with `model_changed_on` is a dated step; the date alone, a date to come or a
    model nobody can see is a 400 on its field, nothing changed."""
    import datetime as dt

    from itfabrik.assets.models import DeviceEvent, DeviceModel

    device = fleet.device(lease=None, occurred_on=dt.date(2026, 5, 2))
    desktop = DeviceModel.objects.get(name="Elite Mini 800 G9")
    client = api_as(ADMIN)
    url = f"/api/v1/assets/{device.pk}/"
    before = db_state()
    for body, field in (
        ({"model_changed_on": "2026-06-15"}, "model_changed_on"),
        ({"model": desktop.pk, "model_changed_on": "2099-01-01"}, "model_changed_on"),
        ({"model": desktop.pk, "model_changed_on": "2026-05-01"}, "model_changed_on"),
        ({"model": 2**40, "model_changed_on": "2026-06-15"}, "model"),
    ):
        r = client.patch(url, {"version": device.version, **body}, format="json")
        assert field in assert_error(r, 400, "invalid")["fields"], body
        assert_unchanged(before)
    r = client.patch(
        url,
        {"version": device.version, "model": desktop.pk, "model_changed_on": "2026-06-15"},
        format="json",
    )
    assert r.status_code == 200, r.content
    assert (r.json()["model"], r.json()["kind"]) == (desktop.pk, desktop.kind)
    event = DeviceEvent.objects.filter(device=device).order_by("-pk").first()
    assert event is not None
    assert (event.occurred_on, event.model_id) == (dt.date(2026, 6, 15), desktop.pk)


def _unit_of(municipality: Any) -> Any:
    from itfabrik.tenancy.models import OrgNode

    unit = (
        OrgNode.objects.filter(municipality=municipality, kind="unit", is_active=True)
        .order_by("path")
        .first()
    )
    assert unit is not None
    return unit
