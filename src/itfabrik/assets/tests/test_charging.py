"""Deployed devices charged through the catalogue (issue 9, point 8): the charge source on its
own (a past month, with histories written through the services), the billing run on the demo
(the open December), the mapping's services, API and page, and their scoping."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest

from itfabrik.assets import charging, daycount, services
from itfabrik.assets.daycount import Step
from itfabrik.assets.models import ChargeMapping, Device, DeviceEvent, DeviceModel
from itfabrik.billing import services as billing_services
from itfabrik.billing.models import Invoice, InvoiceLine
from itfabrik.billing.sources import Period, context_for
from itfabrik.catalog.models import Price, Service, Subscription
from itfabrik.core.actors import SYSTEM
from itfabrik.core.errors import Conflict
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
from itfabrik.tenancy.models import OrgNode

pytestmark = pytest.mark.django_db

JUNE = Period(2026, 6)
D = dt.date


def _free_unit(demo: Any, *, but: int | None = None) -> OrgNode:
    """A Mellerud unit without catalogue subscriptions (so its devices are charged per device)."""
    subscribed = set(Subscription.objects.values_list("unit_id", flat=True))
    units = OrgNode.objects.filter(
        municipality=demo.node("Melleruds kommun"), kind="unit", is_active=True
    ).exclude(pk__in=subscribed)
    if but is not None:
        units = units.exclude(pk=but)
    unit = units.order_by("path").first()
    assert unit is not None
    return unit


def _price(name: str) -> Decimal:
    return Price.objects.get(service__name=name, price_list__name="Prislista 2026").amount


def _june(demo: Any) -> tuple[list[Any], Any]:
    ctx = context_for(demo.cooperation, JUNE)
    return list(charging.device_lines(ctx)), ctx


def _days_of(lines: list[Any], device: Device) -> dict[int, int]:
    out: dict[int, int] = defaultdict(int)
    for line in lines:
        for d in line.source["devices"]:
            if d["device"] == device.pk:
                out[line.unit_id] += d["days"]
    return dict(out)


def _deploy(fleet: Any, unit: OrgNode, *, on: dt.date, model: Any = None, **kw: Any) -> Device:
    if model is not None:
        kw["model"] = model
    device = fleet.device(
        owner_unit=unit, state="received", occurred_on=D(2026, 5, 2), lease=None, **kw
    )
    return services.device_transition(
        actor=SYSTEM, device=device, expected_version=None, target="deployed", occurred_on=on
    )


# --- the charge source on its own ---------------------------------------------------------------


def test_a_device_deployed_on_the_10th_pays_21_of_30_days(demo: Any, fleet: Any) -> None:
    unit = _free_unit(demo)
    device = _deploy(fleet, unit, on=D(2026, 6, 10))
    lines, _ctx = _june(demo)
    assert _days_of(lines, device) == {unit.pk: 21}
    line = next(ln for ln in lines if any(d["device"] == device.pk for d in ln.source["devices"]))
    price = _price("Bärbar dator")
    assert line.service == "Bärbar dator"
    assert line.unit_price == price
    assert line.cost_centre == unit.cost_centre
    assert line.municipality_id == demo.node("Melleruds kommun").pk
    assert line.amount == daycount.charge(price, line.source["device_days"], 30)
    assert line.source["device_days"] == sum(d["days"] for d in line.source["devices"])
    assert line.quantity == len(line.source["devices"])
    assert line.source["price_list_name"] == "Prislista 2026"
    entry = next(d for d in line.source["devices"] if d["device"] == device.pk)
    assert entry == {
        "device": device.pk,
        "ref": device.asset_tag,
        "days": 21,
        "spans": [["2026-06-10", "2026-06-30"]],
        "models": [device.model_id],
    }


def test_a_device_moved_mid_month_is_paid_by_each_unit_for_its_days(demo: Any, fleet: Any) -> None:
    first = _free_unit(demo)
    second = _free_unit(demo, but=first.pk)
    device = _deploy(fleet, first, on=D(2026, 5, 20))
    device = services.device_update(
        actor=SYSTEM,
        device=device,
        expected_version=device.version,
        owner_unit=second,
        moved_on=D(2026, 6, 15),
    )
    event = DeviceEvent.objects.filter(device=device).order_by("-pk").first()
    assert event is not None
    assert event.owner_unit_id == second.pk
    assert event.from_state == event.to_state == "deployed"
    lines, _ctx = _june(demo)
    assert _days_of(lines, device) == {first.pk: 14, second.pk: 16}


def _entries(lines: list[Any], device: Device) -> dict[tuple[int, str], dict[str, Any]]:
    """The device's entry on each line, per (unit, service)."""
    return {
        (line.unit_id, line.service): d
        for line in lines
        for d in line.source["devices"]
        if d["device"] == device.pk
    }


def test_a_model_changed_mid_month_is_charged_through_each_models_service(
    demo: Any, fleet: Any
) -> None:
    """A laptop that becomes a shared desktop on the 15th pays 14 days of June as a laptop and
    16 as a desktop, each through its model's service, pro rata by day (also when its earlier
    steps recorded no model, as the import's); a move and a change of model on other days of
    one edit are two steps, each counted from its own day."""
    first = _free_unit(demo)
    second = _free_unit(demo, but=first.pk)
    laptop, desktop = fleet.model, DeviceModel.objects.get(name="Elite Mini 800 G9")
    device = _deploy(fleet, first, on=D(2026, 5, 20))
    # As the import writes them (and rows from before models were recorded): no model.
    DeviceEvent.objects.filter(device=device).update(model=None)
    device = services.device_update(
        actor=SYSTEM,
        device=device,
        expected_version=device.version,
        model=desktop,
        model_changed_on=D(2026, 6, 15),
    )
    event = DeviceEvent.objects.filter(device=device).order_by("-pk").first()
    assert event is not None
    assert (event.occurred_on, event.model_id, event.owner_unit_id) == (
        D(2026, 6, 15),
        desktop.pk,
        first.pk,
    )
    assert event.from_state == event.to_state == "deployed"
    assert device.kind == desktop.kind
    other = _deploy(fleet, first, on=D(2026, 5, 20))
    services.device_update(
        actor=SYSTEM,
        device=other,
        expected_version=other.version,
        owner_unit=second,
        moved_on=D(2026, 6, 10),
        model=desktop,
        model_changed_on=D(2026, 6, 20),
    )
    lines, _ctx = _june(demo)
    assert _entries(lines, device) == {
        (first.pk, "Bärbar dator"): {
            "device": device.pk,
            "ref": device.asset_tag,
            "days": 14,
            "spans": [["2026-06-01", "2026-06-14"]],
            "models": [laptop.pk],
        },
        (first.pk, "Delad stationär dator"): {
            "device": device.pk,
            "ref": device.asset_tag,
            "days": 16,
            "spans": [["2026-06-15", "2026-06-30"]],
            "models": [desktop.pk],
        },
    }
    assert {k: d["days"] for k, d in _entries(lines, other).items()} == {
        (first.pk, "Bärbar dator"): 9,
        (second.pk, "Bärbar dator"): 10,
        (second.pk, "Delad stationär dator"): 11,
    }
    for line in lines:
        if line.unit_id == first.pk:
            assert line.amount == daycount.charge(
                _price(line.service), line.source["device_days"], 30
            )


def test_repair_and_decommissioning_are_not_charged(demo: Any, fleet: Any) -> None:
    unit = _free_unit(demo)
    device = _deploy(fleet, unit, on=D(2026, 5, 10))
    for target, day in (("in_repair", 5), ("deployed", 10), ("decommissioning", 25)):
        device = services.device_transition(
            actor=SYSTEM,
            device=device,
            expected_version=None,
            target=target,
            occurred_on=D(2026, 6, day),
        )
    lines, _ctx = _june(demo)
    # 1-4 and 10-24.
    assert _days_of(lines, device) == {unit.pk: 4 + 15}


def test_a_models_mapping_wins_and_not_charged_is_silent(demo: Any, fleet: Any) -> None:
    unit = _free_unit(demo)
    desktop = DeviceModel.objects.get(name="Elite Mini 800 G9")
    shared = _deploy(fleet, unit, on=D(2026, 6, 1), model=desktop)
    monitor_model = DeviceModel.objects.get(name="P2423")
    monitor = _deploy(fleet, unit, on=D(2026, 6, 1), model=monitor_model, ownership="purchased")
    lines, ctx = _june(demo)
    line = next(ln for ln in lines if any(d["device"] == shared.pk for d in ln.source["devices"]))
    assert line.service == "Delad stationär dator"
    assert _days_of(lines, monitor) == {}
    refs = {r for w in ctx.warnings for r in w["references"]}
    assert monitor.asset_tag not in refs


def test_a_device_without_a_service_is_a_warning(demo: Any, fleet: Any) -> None:
    unit = _free_unit(demo)
    printer_model = DeviceModel.objects.get(name="LaserJet M507")
    printer = _deploy(fleet, unit, on=D(2026, 6, 1), model=printer_model, ownership="purchased")
    lines, ctx = _june(demo)
    assert _days_of(lines, printer) == {}
    warning = next(
        w
        for w in ctx.warnings
        if w["code"] == "unmapped_kind" and printer.asset_tag in w["references"]
    )
    assert warning["source"] == "assets"
    assert unit.name in warning["message"]
    assert warning["municipality"] == demo.node("Melleruds kommun").pk


def test_days_a_subscription_pays_are_not_charged_again(demo: Any, fleet: Any) -> None:
    """Hemtjänst norr subscribes to laptops through the catalogue (the demo's orders): its
    deployed laptops are paid by the subscription, not once more per device."""
    device = _deploy(fleet, fleet.unit, on=D(2026, 6, 1))
    lines, ctx = _june(demo)
    assert _days_of(lines, device) == {}
    assert any(
        w["code"] == "covered_by_subscription" and device.asset_tag in w["references"]
        for w in ctx.warnings
    )


def test_without_a_price_list_in_force_nothing_is_charged_and_it_says_so(
    demo: Any, fleet: Any
) -> None:
    ctx = context_for(demo.cooperation, Period(2031, 1))
    assert list(charging.device_lines(ctx)) == []
    assert any(w["code"] == "no_price" for w in ctx.warnings)


def test_the_source_agrees_with_the_day_counting_for_every_demo_device(demo: Any) -> None:
    """Every demo device's charged days (June) are the pure day counting of its history, less
    the days a subscription of its unit pays."""
    lines, _ctx = _june(demo)
    charged: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for line in lines:
        for d in line.source["devices"]:
            charged[d["device"]][line.unit_id] += d["days"]
    by_kind, by_model = charging.mappings(demo.cooperation.pk)
    covered = {
        (u, s)
        for u, s in Subscription.objects.filter(end_date__isnull=True).values_list(
            "unit_id", "service_id"
        )
    }
    first, last = JUNE.first, JUNE.last
    history: dict[int, list[Step]] = defaultdict(list)
    for device_id, day, state, unit_id in DeviceEvent.objects.order_by(
        "device_id", "occurred_on", "pk"
    ).values_list("device_id", "occurred_on", "to_state", "owner_unit_id"):
        history[device_id].append(Step(day, state, unit_id))
    checked = 0
    for device in Device.objects.filter(cooperation=demo.cooperation).only(
        "pk", "model_id", "kind"
    ):
        service = by_model.get(device.model_id, by_kind.get(device.kind))
        expected = {
            unit: daycount.days(spans)
            for unit, spans in daycount.charged_spans(history[device.pk], first, last).items()
            if service is not None and (unit, service) not in covered
        }
        assert dict(charged.get(device.pk, {})) == expected, device.pk
        checked += bool(expected)
    assert checked > 1000


# --- the billing run on the demo ----------------------------------------------------------------


def test_the_demo_december_charges_devices_and_a_rerun_changes_nothing(demo: Any) -> None:
    ekonom = demo.user("ekonom")
    before = {i.pk: (i.version, i.total) for i in Invoice.objects.filter(period="2026-12")}
    lines = InvoiceLine.objects.filter(invoice__period="2026-12", source__type="devices")
    assert lines.exists()
    assert {ln.service for ln in lines} >= {"Bärbar dator", "Mobiltelefon med abonnemang"}
    for line in lines:
        assert line.amount == daycount.charge(
            line.unit_price, line.source["device_days"], line.source["days_in_month"]
        )
    run = billing_services.billing_run_now(
        actor=ekonom, cooperation=demo.cooperation, period="2026-12"
    )
    assert run.status == "done"
    after = {i.pk: (i.version, i.total) for i in Invoice.objects.filter(period="2026-12")}
    assert after == before
    # Network devices and printers have no service in the demo: named in the run's warnings.
    codes = {w["code"] for w in run.warnings}
    assert "unmapped_kind" in codes
    # No device is charged for more days than the month has.
    days: dict[int, int] = defaultdict(int)
    for line in InvoiceLine.objects.filter(invoice__period="2026-12", source__type="devices"):
        for d in line.source["devices"]:
            days[d["device"]] += d["days"]
    assert days
    assert max(days.values()) <= 31


def test_the_run_page_and_api_show_the_warnings(demo: Any, web_as: Any, api_as: Any) -> None:
    run = billing_services.billing_run_now(
        actor=demo.user("ekonom"), cooperation=demo.cooperation, period="2026-12"
    )
    r = web_as(FINANCE).get(f"/fakturering/korningar/{run.pk}/")
    assert r.status_code == 200
    assert "Varningar" in r.content.decode()
    body = api_as(FINANCE).get(f"/api/v1/billing/runs/{run.pk}/").json()
    assert any(w["source"] == "assets" for w in body["warnings"])


def test_the_invoice_page_names_the_devices_of_a_line(demo: Any, web_as: Any) -> None:
    line = (
        InvoiceLine.objects.filter(invoice__period="2026-12", source__type="devices")
        .order_by("pk")
        .first()
    )
    assert line is not None
    first = line.source["devices"][0]
    assert line.source["summary"].startswith("Prislista 2026 2026-12-01–2026-12-31: ")
    assert f"{first['ref']} ({first['days']} d)" in line.source["summary"]
    r = web_as(FINANCE).get(f"/fakturering/underlag/{line.invoice_id}/")
    assert r.status_code == 200
    assert first["ref"] in r.content.decode()


def test_an_approved_month_is_not_charged_again(demo: Any, fleet: Any) -> None:
    """June is approved in the demo: a device deployed then changes nothing there."""
    _deploy(fleet, _free_unit(demo), on=D(2026, 6, 10))
    before = db_state()
    with pytest.raises(Conflict):
        billing_services.billing_run_now(
            actor=demo.user("ekonom"), cooperation=demo.cooperation, period="2026-06"
        )
    assert_unchanged(before)


# --- the mapping: services, API, page, scoping ---------------------------------------------------


def test_set_replace_and_remove_a_mapping(demo: Any) -> None:
    coop = demo.cooperation
    ekonom = demo.user("ekonom")
    service = Service.objects.get(name="Delad stationär dator")
    mapping = services.charge_mapping_set(
        actor=ekonom, cooperation=coop, kind="printer", service=service
    )
    again = services.charge_mapping_set(
        actor=ekonom, cooperation=coop, kind="printer", service=None
    )
    assert again.pk == mapping.pk
    assert again.service is None
    services.charge_mapping_remove(actor=ekonom, mapping=again, expected_version=again.version)
    again.refresh_from_db()
    assert not again.is_active
    back = services.charge_mapping_set(
        actor=ekonom, cooperation=coop, kind="printer", service=service
    )
    assert back.pk == mapping.pk
    assert back.is_active


def test_a_per_use_service_is_refused(demo: Any) -> None:
    from itfabrik.core.errors import ValidationFailed

    visit = Service.objects.get(name="Platsbesök av tekniker")
    before = db_state()
    with pytest.raises(ValidationFailed) as exc:
        services.charge_mapping_set(
            actor=demo.user("admin"), cooperation=demo.cooperation, kind="printer", service=visit
        )
    assert "service" in exc.value.fields
    assert_unchanged(before)


SET = {ANON: 401, OTHER: 404, SAME: 404, ORDERER: 404, AGENT: 403, FINANCE: 200, ADMIN: 200}


@pytest.mark.parametrize(("actor", "expected"), actor_params(SET))
def test_api_set_mapping(api_as: Any, demo: Any, actor: Any, expected: int) -> None:
    ensure_same_unit_user(demo)
    service = Service.objects.get(name="Delad stationär dator")
    client = api_as(actor)
    before = db_state()
    r = client.post(
        "/api/v1/assets/charging/", {"kind": "printer", "service": service.pk}, format="json"
    )
    assert r.status_code == expected
    if expected == 200:
        assert r.json()["service_name"] == "Delad stationär dator"
        assert ChargeMapping.objects.get(kind="printer", model=None).service_id == service.pk
    else:
        assert_unchanged(before)


SEEN = {ANON: 401, OTHER: 404, SAME: 404, ORDERER: 404, AGENT: 200, FINANCE: 200, ADMIN: 200}


@pytest.mark.parametrize(("actor", "expected"), actor_params(SEEN))
def test_api_mapping_detail(api_as: Any, demo: Any, actor: Any, expected: int) -> None:
    ensure_same_unit_user(demo)
    mapping = ChargeMapping.objects.get(kind="computer", model=None)
    r = api_as(actor).get(f"/api/v1/assets/charging/{mapping.pk}/")
    assert r.status_code == expected
    if expected == 200:
        assert r.json()["service_name"] == "Bärbar dator"


@pytest.mark.parametrize(("actor", "expected"), actor_params({**SET, FINANCE: 204, ADMIN: 204}))
def test_api_remove_mapping(api_as: Any, demo: Any, actor: Any, expected: int) -> None:
    ensure_same_unit_user(demo)
    mapping = ChargeMapping.objects.get(kind="computer", model=None)
    client = api_as(actor)
    before = db_state()
    r = client.delete(f"/api/v1/assets/charging/{mapping.pk}/")
    assert r.status_code == expected
    if expected != 204:
        assert_unchanged(before)
    else:
        mapping.refresh_from_db()
        assert not mapping.is_active


def test_api_mapping_of_another_cooperation_is_not_found(api_as: Any, demo: Any) -> None:
    from itfabrik.catalog import services as catalog_services
    from itfabrik.tenancy import services as tenancy_services

    other = tenancy_services.cooperation_create(actor=SYSTEM, name="Annan", slug="annan")
    area = catalog_services.area_create(actor=SYSTEM, cooperation=other, name="Område")
    service = catalog_services.service_create(
        actor=SYSTEM,
        cooperation=other,
        area=area,
        name="Annan dator",
        price_model="per_unit_month",
        unit_of_measure="dator",
    )
    mapping = services.charge_mapping_set(
        actor=SYSTEM, cooperation=other, kind="computer", service=service
    )
    client = api_as(ADMIN)
    assert client.get(f"/api/v1/assets/charging/{mapping.pk}/").status_code == 404
    before = db_state()
    assert client.delete(f"/api/v1/assets/charging/{mapping.pk}/").status_code == 404
    assert_unchanged(before)
    ids = {row["id"] for row in client.get("/api/v1/assets/charging/").json()["results"]}
    assert mapping.pk not in ids
    # A service of another cooperation cannot be chosen for this one.
    r = client.post(
        "/api/v1/assets/charging/", {"kind": "printer", "service": service.pk}, format="json"
    )
    assert r.status_code == 400


@pytest.mark.parametrize(
    ("actor", "expected"),
    actor_params({ANON: 302, OTHER: 404, SAME: 404, ORDERER: 404, AGENT: 200, FINANCE: 200,
                  ADMIN: 200}),
)  # fmt: skip
def test_web_charging_page(web_as: Any, demo: Any, actor: Any, expected: int) -> None:
    ensure_same_unit_user(demo)
    r = web_as(actor).get("/enheter/debitering/")
    assert r.status_code == expected
    if expected == 200:
        page = r.content.decode()
        assert "Bärbar dator" in page
        assert "Delad stationär dator" in page
        assert "Nätverksutrustning" in page  # a kind without a service
        assert ("Ange tjänst" in page) == (actor in (FINANCE, ADMIN))


@pytest.mark.parametrize(
    ("actor", "expected"),
    actor_params({ANON: 302, OTHER: 404, SAME: 404, ORDERER: 404, AGENT: 404, FINANCE: 302,
                  ADMIN: 302}),
)  # fmt: skip
def test_web_set_mapping(web_as: Any, demo: Any, actor: Any, expected: int) -> None:
    ensure_same_unit_user(demo)
    service = Service.objects.get(name="Delad stationär dator")
    client = web_as(actor)
    before = db_state()
    r = client.post("/enheter/debitering/", {"kind": "network", "service": service.pk})
    assert r.status_code == expected
    if expected == 302 and actor is not None:
        assert ChargeMapping.objects.get(kind="network", model=None).service_id == service.pk
    else:
        assert_unchanged(before)


def test_web_remove_mapping_refused_for_a_technician(web_as: Any, demo: Any) -> None:
    mapping = ChargeMapping.objects.get(kind="computer", model=None)
    client = web_as("tekniker")
    before = db_state()
    r = client.post(f"/enheter/debitering/{mapping.pk}/ta-bort/")
    assert r.status_code == 302  # back to the page with the refusal as a message
    assert_unchanged(before)
    r = web_as(ADMIN).post(f"/enheter/debitering/{mapping.pk}/ta-bort/")
    mapping.refresh_from_db()
    assert r.status_code == 302
    assert not mapping.is_active


def test_a_municipal_finance_officer_reads_the_mappings_but_may_not_set_them(
    demo: Any, web_as: Any, api_as: Any
) -> None:
    """Charging is set for the whole cooperation: finance on one municipality sees it (its menu
    entry answers 200) and is refused a change with 403, nothing changed."""
    from itfabrik.accounts import services as accounts
    from itfabrik.accounts.choices import Role

    user = accounts.user_create(
        actor=SYSTEM,
        username="ekonom-mellerud",
        password="Lösenord-som-är-långt-nog-1",
        first_name="Test",
        last_name="Ekonom",
        email="ekonom-mellerud@itfabrik.example",
        check_password_strength=False,
    )
    accounts.role_assign(
        actor=SYSTEM, user=user, role=Role.FINANCE, node=demo.node("Melleruds kommun")
    )
    r = web_as("ekonom-mellerud").get("/enheter/debitering/")
    assert r.status_code == 200
    assert "Ange tjänst" not in r.content.decode()
    client = api_as("ekonom-mellerud")
    service = Service.objects.get(name="Delad stationär dator")
    before = db_state()
    r = client.post(
        "/api/v1/assets/charging/", {"kind": "printer", "service": service.pk}, format="json"
    )
    assert r.status_code == 403
    assert_unchanged(before)


def test_moving_a_device_on_the_web_dates_the_new_owner(demo: Any, fleet: Any, web_as: Any) -> None:
    first = _free_unit(demo)
    second = _free_unit(demo, but=first.pk)
    device = _deploy(fleet, first, on=D(2026, 5, 20))
    data = {
        "model": device.model_id,
        "owner_unit": second.pk,
        "serial_number": device.serial_number,
        "asset_tag": device.asset_tag,
        "ownership": device.ownership,
        "lease": "",
        "managed": "on",
        "security_level": "2",
        "moved_on": "2026-06-15",
        "version": device.version,
    }
    client = web_as(ADMIN)
    assert (
        "Ny ägande enhet från och med"
        in client.get(f"/enheter/{device.pk}/andra/").content.decode()
    )
    assert "moved_on" not in client.get("/enheter/ny/").content.decode()
    r = client.post(f"/enheter/{device.pk}/andra/", data)
    assert r.status_code == 302, r.content.decode()[:2000]
    event = DeviceEvent.objects.filter(device=device).order_by("-pk").first()
    assert event is not None
    assert (event.occurred_on, event.owner_unit_id) == (D(2026, 6, 15), second.pk)
    lines, _ctx = _june(demo)
    assert _days_of(lines, device) == {first.pk: 14, second.pk: 16}
    # A date to come is refused on its field, nothing changed.
    data.update(owner_unit=first.pk, moved_on="2099-01-01", version=device.version + 1)
    before = db_state()
    r = client.post(f"/enheter/{device.pk}/andra/", data)
    assert r.status_code == 400
    assert_unchanged(before)


def test_changing_the_model_on_the_web_dates_it(demo: Any, fleet: Any, web_as: Any) -> None:
    unit = _free_unit(demo)
    device = _deploy(fleet, unit, on=D(2026, 5, 20))
    desktop = DeviceModel.objects.get(name="Elite Mini 800 G9")
    data = {
        "model": desktop.pk,
        "owner_unit": unit.pk,
        "serial_number": device.serial_number,
        "asset_tag": device.asset_tag,
        "ownership": device.ownership,
        "lease": "",
        "managed": "on",
        "security_level": "2",
        "model_changed_on": "2099-01-01",
        "version": device.version,
    }
    client = web_as(ADMIN)
    assert "Ny modell från och med" in client.get(f"/enheter/{device.pk}/andra/").content.decode()
    assert "model_changed_on" not in client.get("/enheter/ny/").content.decode()
    # A date to come is refused on its field, nothing changed.
    before = db_state()
    r = client.post(f"/enheter/{device.pk}/andra/", data)
    assert r.status_code == 400
    assert "Dagen för modellbytet har inte varit än." in r.content.decode()
    assert_unchanged(before)
    data["model_changed_on"] = "2026-06-15"
    r = client.post(f"/enheter/{device.pk}/andra/", data)
    assert r.status_code == 302, r.content.decode()[:2000]
    event = DeviceEvent.objects.filter(device=device).order_by("-pk").first()
    assert event is not None
    assert (event.occurred_on, event.model_id) == (D(2026, 6, 15), desktop.pk)
    lines, _ctx = _june(demo)
    assert {k: d["days"] for k, d in _entries(lines, device).items()} == {
        (unit.pk, "Bärbar dator"): 14,
        (unit.pk, "Delad stationär dator"): 16,
    }


# --- corrections of an approved month (ADR 0044) -------------------------------------------------


def _approve(demo: Any, period: str) -> None:
    for invoice in Invoice.objects.filter(cooperation=demo.cooperation, period=period):
        billing_services.invoice_approve(actor=SYSTEM, invoice=invoice)


def _run(demo: Any, period: str) -> Any:
    run = billing_services.billing_run_now(
        actor=demo.user("ekonom"), cooperation=demo.cooperation, period=period
    )
    assert run.status == "done", run.message
    return run


def _corrections(period: str) -> list[InvoiceLine]:
    return list(
        InvoiceLine.objects.filter(
            invoice__period=period, source__type=charging.CORRECTION
        ).order_by("invoice_id", "position")
    )


def _laptop_billed_for_june_2025(demo: Any, fleet: Any, unit: Any) -> tuple[Any, InvoiceLine]:
    """A price list for 2025, and a laptop on `unit` deployed on 20 May 2025: June is billed
    (30 days on the laptop line) and approved."""
    from itfabrik.catalog import services as catalog_services
    from itfabrik.catalog.models import PriceList

    catalog_services.price_list_copy(
        actor=SYSTEM,
        source=PriceList.objects.get(name="Prislista 2026"),
        name="Prislista 2025",
        valid_from=D(2025, 1, 1),
        valid_to=D(2025, 12, 31),
        decision_reference="Test 2025",
    )
    device = fleet.device(owner_unit=unit, state="received", occurred_on=D(2025, 5, 2), lease=None)
    device = services.device_transition(
        actor=SYSTEM,
        device=device,
        expected_version=None,
        target="deployed",
        occurred_on=D(2025, 5, 20),
    )
    _run(demo, "2025-06")
    june = InvoiceLine.objects.get(
        invoice__period="2025-06", source__type="devices", unit=unit, service="Bärbar dator"
    )
    assert {d["device"]: d["days"] for d in june.source["devices"]}[device.pk] == 30
    _approve(demo, "2025-06")
    return device, june


def test_a_retroactive_move_in_an_approved_month_is_corrected_in_the_next(
    demo: Any, fleet: Any
) -> None:
    """June 2025 is billed and approved with the device at its first unit all month; then the
    device is said to have moved on the 15th. July's run credits the first unit 16 days and
    charges the second 16 days of June (in Decimal, to the öre, from the lines' own counts);
    June stays as approved, and neither a rerun of July nor August's run charges it again."""
    first = _free_unit(demo)
    second = _free_unit(demo, but=first.pk)
    device, june = _laptop_billed_for_june_2025(demo, fleet, first)
    approved = {i.pk: (i.version, i.total) for i in Invoice.objects.filter(period="2025-06")}
    june_lines = list(
        InvoiceLine.objects.filter(invoice__period="2025-06").values_list("pk", "amount")
    )
    _run(demo, "2025-07")
    assert _corrections("2025-07") == []  # nothing changed yet

    services.device_update(
        actor=SYSTEM,
        device=device,
        expected_version=None,
        owner_unit=second,
        moved_on=D(2025, 6, 15),
    )
    _run(demo, "2025-07")
    lines = {ln.unit_id: ln for ln in _corrections("2025-07")}
    assert set(lines) == {first.pk, second.pk}
    price = _price("Bärbar dator")
    credit, debit = lines[first.pk], lines[second.pk]
    days_before = june.source["device_days"]
    assert credit.kind == debit.kind == "correction"
    assert credit.amount == daycount.charge(price, days_before - 16, 30) - june.amount
    assert credit.amount < 0
    second_june = InvoiceLine.objects.filter(
        invoice__period="2025-06", source__type="devices", unit=second, service="Bärbar dator"
    ).first()
    had_days = second_june.source["device_days"] if second_june else 0
    had = second_june.amount if second_june else Decimal(0)
    assert debit.amount == daycount.charge(price, had_days + 16, 30) - had
    if not had_days:
        assert debit.amount == (price * 16 / 30).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert credit.source["period"] == debit.source["period"] == "2025-06"
    assert credit.source["devices"] == [
        {
            "device": device.pk,
            "ref": device.asset_tag,
            "days_before": 30,
            "days": 14,
            "spans": [["2025-06-01", "2025-06-14"]],
            "models": [device.model_id],
        }
    ]
    assert debit.source["devices"][0]["days_before"] == 0
    assert debit.source["devices"][0]["spans"] == [["2025-06-15", "2025-06-30"]]
    assert credit.cost_centre == first.cost_centre
    assert debit.cost_centre == second.cost_centre
    assert "2025-06" in credit.description
    # The approved month is as it was.
    assert {i.pk: (i.version, i.total) for i in Invoice.objects.filter(period="2025-06")} == (
        approved
    )
    assert (
        list(InvoiceLine.objects.filter(invoice__period="2025-06").values_list("pk", "amount"))
        == june_lines
    )
    # A rerun of July gives the same lines, ids and versions.
    july = {i.pk: i.version for i in Invoice.objects.filter(period="2025-07")}
    ids = [ln.pk for ln in _corrections("2025-07")]
    _run(demo, "2025-07")
    assert {i.pk: i.version for i in Invoice.objects.filter(period="2025-07")} == july
    assert [ln.pk for ln in _corrections("2025-07")] == ids
    # Once July is approved, its corrections count as charged: August does not repeat them.
    _approve(demo, "2025-07")
    _run(demo, "2025-08")
    assert _corrections("2025-08") == []

    # A device deployed retroactively in June (not charged then) is charged in August, on top
    # of what June's line and July's correction charged the second unit for June.
    late = fleet.device(owner_unit=second, state="received", occurred_on=D(2025, 5, 2), lease=None)
    services.device_transition(
        actor=SYSTEM,
        device=late,
        expected_version=None,
        target="deployed",
        occurred_on=D(2025, 6, 10),
    )
    _run(demo, "2025-08")
    # It was deployed all of the approved July as well: corrected too.
    by_month = {ln.source["period"]: ln for ln in _corrections("2025-08")}
    assert set(by_month) == {"2025-06", "2025-07"}
    assert by_month["2025-07"].source["devices"][0]["days"] == 31
    line = by_month["2025-06"]
    assert line.unit_id == second.pk
    assert line.source["devices"] == [
        {
            "device": late.pk,
            "ref": late.asset_tag,
            "days_before": 0,
            "days": 21,
            "spans": [["2025-06-10", "2025-06-30"]],
            "models": [late.model_id],
        }
    ]
    assert Decimal(line.source["charged_before"]) == had + debit.amount
    assert line.amount == daycount.charge(price, had_days + 16 + 21, 30) - (had + debit.amount)


def test_a_retroactive_model_change_in_an_approved_month_is_corrected_in_the_next(
    demo: Any, fleet: Any
) -> None:
    """June 2025 is billed and approved with the device as a laptop all month; then it is said
    to have become a shared desktop on the 15th. July's run credits the laptop line 16 days and
    charges the desktop's service 16 days of June; the laptop days keep the service they were
    charged through although the laptops' mapping changed since; a rerun of July and August's
    run add nothing."""
    unit = _free_unit(demo)
    laptop, desktop = fleet.model, DeviceModel.objects.get(name="Elite Mini 800 G9")
    device, june = _laptop_billed_for_june_2025(demo, fleet, unit)
    approved = {i.pk: (i.version, i.total) for i in Invoice.objects.filter(period="2025-06")}
    _run(demo, "2025-07")
    assert _corrections("2025-07") == []
    # The laptops' mapping changes after June was approved: June's laptop days keep theirs.
    services.charge_mapping_set(
        actor=SYSTEM,
        cooperation=demo.cooperation,
        kind="computer",
        service=Service.objects.get(name="Elev-Chromebook"),
    )

    services.device_update(
        actor=SYSTEM,
        device=device,
        expected_version=None,
        model=desktop,
        model_changed_on=D(2025, 6, 15),
    )
    _run(demo, "2025-07")
    lines = {ln.service: ln for ln in _corrections("2025-07")}
    assert set(lines) == {"Bärbar dator", "Delad stationär dator"}
    credit, debit = lines["Bärbar dator"], lines["Delad stationär dator"]
    assert credit.unit_id == debit.unit_id == unit.pk
    assert credit.kind == debit.kind == "correction"
    assert credit.amount == (
        daycount.charge(june.unit_price, june.source["device_days"] - 16, 30) - june.amount
    )
    assert credit.amount < 0
    assert credit.source["devices"] == [
        {
            "device": device.pk,
            "ref": device.asset_tag,
            "days_before": 30,
            "days": 14,
            "spans": [["2025-06-01", "2025-06-14"]],
            "models": [laptop.pk],
        }
    ]
    desktop_june = InvoiceLine.objects.filter(
        invoice__period="2025-06", source__type="devices", unit=unit, service=debit.service
    ).first()
    had_days = desktop_june.source["device_days"] if desktop_june else 0
    had = desktop_june.amount if desktop_june else Decimal(0)
    assert debit.amount == daycount.charge(_price("Delad stationär dator"), had_days + 16, 30) - had
    assert debit.amount > 0
    assert debit.source["devices"] == [
        {
            "device": device.pk,
            "ref": device.asset_tag,
            "days_before": 0,
            "days": 16,
            "spans": [["2025-06-15", "2025-06-30"]],
            "models": [desktop.pk],
        }
    ]
    assert credit.source["period"] == debit.source["period"] == "2025-06"
    # July itself, still open, charges the desktop all month.
    july_entries = {
        ln.service: d
        for ln in InvoiceLine.objects.filter(invoice__period="2025-07", source__type="devices")
        for d in ln.source["devices"]
        if d["device"] == device.pk
    }
    assert {k: d["days"] for k, d in july_entries.items()} == {"Delad stationär dator": 31}
    assert {i.pk: (i.version, i.total) for i in Invoice.objects.filter(period="2025-06")} == (
        approved
    )
    # A rerun of July gives the same lines; once July is approved, August adds nothing.
    july = {i.pk: i.version for i in Invoice.objects.filter(period="2025-07")}
    ids = [ln.pk for ln in _corrections("2025-07")]
    _run(demo, "2025-07")
    assert {i.pk: i.version for i in Invoice.objects.filter(period="2025-07")} == july
    assert [ln.pk for ln in _corrections("2025-07")] == ids
    _approve(demo, "2025-07")
    _run(demo, "2025-08")
    assert _corrections("2025-08") == []
