"""The device register's services: registration, lifecycle, leases, exceptions, compliance."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from itfabrik.assets import rules, selectors, services
from itfabrik.assets.models import Device, DeviceEvent
from itfabrik.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from itfabrik.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_register_and_walk_the_lifecycle(fleet: Any) -> None:
    device = fleet.device(state="needs_analysis", lease=None, ownership="leased")
    assert device.municipality == fleet.mellerud
    for target in ["ordered", "received", "deployed", "in_repair", "deployed", "decommissioning"]:
        device = services.device_transition(
            actor=fleet.tekniker, device=device, expected_version=device.version, target=target
        )
    device = services.device_transition(
        actor=fleet.tekniker, device=device, expected_version=None, target="returned"
    )
    history = list(selectors.device_event_list(actor=fleet.tekniker, device=device))
    assert [e.to_state for e in reversed(history)] == [
        "needs_analysis", "ordered", "received", "deployed", "in_repair", "deployed",
        "decommissioning", "returned",
    ]  # fmt: skip
    assert [e.from_state for e in reversed(history)][1:3] == ["needs_analysis", "ordered"]
    assert (
        AuditEntry.objects.filter(
            object_type="assets.device", object_id=str(device.pk), action="update"
        ).count()
        == 7
    )


def test_refused_transition_names_the_allowed_ones(fleet: Any) -> None:
    device = fleet.device()
    with pytest.raises(ValidationFailed) as exc:
        services.device_transition(
            actor=fleet.tekniker, device=device, expected_version=None, target="ordered"
        )
    message = str(exc.value.fields["target"][0])
    assert "på reparation" in message
    assert "avvecklas" in message
    device.refresh_from_db()
    assert device.state == "deployed"
    assert DeviceEvent.objects.filter(device=device).count() == 1


def test_disposal_needs_the_erasure_certificate(fleet: Any) -> None:
    device = fleet.device(state="deployed")
    device = services.device_transition(
        actor=fleet.tekniker, device=device, expected_version=None, target="decommissioning"
    )
    with pytest.raises(ValidationFailed) as exc:
        services.device_transition(
            actor=fleet.tekniker, device=device, expected_version=None, target="disposed"
        )
    assert "certificate" in exc.value.fields
    device = services.device_transition(
        actor=fleet.tekniker,
        device=device,
        expected_version=None,
        target="disposed",
        certificate="Blancco 2026-1234",
    )
    assert device.erasure_certificate == "Blancco 2026-1234"
    assert device.current_user is None


def test_stale_version_is_a_conflict(fleet: Any) -> None:
    device = fleet.device()
    with pytest.raises(Conflict):
        services.device_transition(
            actor=fleet.tekniker, device=device, expected_version=99, target="in_repair"
        )


def test_serial_unique_per_manufacturer(fleet: Any) -> None:
    fleet.device(serial_number="SAME1")
    with pytest.raises(ValidationFailed) as exc:
        fleet.device(serial_number="SAME1")
    assert "serial_number" in exc.value.fields


def test_portal_user_may_not_register(fleet: Any, demo: Any) -> None:
    with pytest.raises(NotFound):
        fleet.device(actor=demo.user("anvandare-bengtsfors"))
    agent = demo.user("agent")
    device = fleet.device()
    with pytest.raises(Forbidden):
        services.device_transition(
            actor=agent, device=device, expected_version=None, target="in_repair"
        )


def test_correct_a_device_follows_the_lease(fleet: Any) -> None:
    device = fleet.device(lease=None)
    assert device.lease_end is None
    device = services.device_update(
        actor=fleet.tekniker,
        device=device,
        expected_version=device.version,
        lease=fleet.lease,
        security_level=3,
    )
    assert device.lease_end == fleet.lease.ends_on
    with pytest.raises(ValidationFailed) as exc:
        services.device_update(
            actor=fleet.tekniker, device=device, expected_version=None, security_level=7
        )
    assert "security_level" in exc.value.fields
    new_end = fleet.lease.ends_on + dt.timedelta(days=30)
    services.lease_update(
        actor=fleet.tekniker, lease=fleet.lease, expected_version=None, ends_on=new_end
    )
    device.refresh_from_db()
    assert device.lease_end == new_end


def test_lease_of_another_municipality_is_refused(fleet: Any, demo: Any) -> None:
    other = services.lease_create(
        actor=fleet.admin,
        municipality=demo.node("Bengtsfors kommun"),
        lessor="X",
        contract_number="1",
        starts_on=dt.date(2025, 1, 1),
        ends_on=dt.date(2028, 1, 1),
        monthly_cost=Decimal(10),
    )
    with pytest.raises(ValidationFailed) as exc:
        fleet.device(lease=other)
    assert "lease" in exc.value.fields


def test_compliance_matches_the_pure_rules(fleet: Any) -> None:
    """The database's policy (the compliance page) and the pure one (the device card) agree on
    every device of Mellerud."""
    today = timezone.localdate()
    fleet.device(managed=False, local_admin=True, security_level=None, lease=None)
    summary = selectors.compliance_summary(
        actor=fleet.admin, municipality=fleet.mellerud, today=today
    )
    devices = Device.objects.filter(municipality=fleet.mellerud).select_related("model")
    for rule in rules.RULES:
        expected = sum(
            1 for d in devices if rule in rules.findings(selectors.device_facts_get(d), today)
        )
        assert summary[rule] + summary[f"{rule}__excepted"] == expected, rule
    assert summary["unmanaged"] >= 1


def test_an_exception_takes_a_device_off_the_list(fleet: Any, demo: Any) -> None:
    device = fleet.device(local_admin=True)
    before = selectors.compliance_summary(actor=fleet.admin, municipality=fleet.mellerud)
    sakerhet = demo.user("sakerhet")
    exception = services.exception_grant(
        actor=sakerhet,
        device=device,
        rule="local_admin",
        decision="Mätutrustningens program kräver lokal administratör.",
        reference="KS 2026/12",
        valid_until=timezone.localdate() + dt.timedelta(days=30),
    )
    after = selectors.compliance_summary(actor=fleet.admin, municipality=fleet.mellerud)
    assert after["local_admin"] == before["local_admin"] - 1
    assert after["local_admin__excepted"] == before["local_admin__excepted"] + 1
    findings = selectors.device_finding_list(device=device)
    assert ("local_admin", exception) in findings
    with pytest.raises(Forbidden):
        services.exception_grant(
            actor=fleet.tekniker,
            device=device,
            rule="local_admin",
            decision="x",
            valid_until=timezone.localdate(),
        )
    services.exception_withdraw(actor=sakerhet, exception=exception, expected_version=None)
    again = selectors.compliance_summary(actor=fleet.admin, municipality=fleet.mellerud)
    assert again["local_admin"] == before["local_admin"]


def test_forecast_counts_and_costs_by_quarter(fleet: Any) -> None:
    report = selectors.forecast_report(actor=fleet.admin, municipality=fleet.mellerud)
    rows = report["rows"]
    assert len(rows) == selectors.HORIZON_QUARTERS
    base = rows[-1]["count"]
    lease = services.lease_update(
        actor=fleet.admin,
        lease=fleet.lease,
        expected_version=None,
        ends_on=rules.quarters(rules.Quarter.of(timezone.localdate()), 12)[-1].first_day,
    )
    fleet.device(lease=lease)
    rows = selectors.forecast_report(actor=fleet.admin, municipality=fleet.mellerud)["rows"]
    assert rows[-1]["count"] >= base + 1
    assert sum(r["count"] for r in rows) == sum(r["planned_count"] for r in rows)
    assert sum(r["cost"] for r in rows) == sum(r["planned_cost"] for r in rows)
    with pytest.raises(NotFound):
        selectors.forecast_report(
            actor=fleet.tekniker.__class__.objects.get(username="anvandare-bengtsfors"),
            municipality=fleet.mellerud,
        )


def test_no_device_is_registered_on_or_moved_to_a_closed_unit(fleet: Any) -> None:
    from itfabrik.tenancy.models import OrgNode

    device = fleet.device()
    closed = (
        OrgNode.objects.filter(municipality=fleet.mellerud, kind=fleet.unit.kind, is_active=True)
        .exclude(pk=fleet.unit.pk)
        .first()
    )
    assert closed is not None
    OrgNode.objects.filter(pk=closed.pk).update(is_active=False)
    closed.refresh_from_db()
    events = DeviceEvent.objects.filter(device=device).count()

    with pytest.raises(ValidationFailed) as exc:
        services.device_update(
            actor=fleet.tekniker, device=device, expected_version=device.version, owner_unit=closed
        )
    assert "avslutad" in str(exc.value.fields["owner_unit"][0])
    fresh = Device.objects.get(pk=device.pk)
    assert (fresh.owner_unit_id, fresh.version) == (fleet.unit.pk, device.version)
    assert DeviceEvent.objects.filter(device=device).count() == events

    with pytest.raises(ValidationFailed) as exc:
        fleet.device(owner_unit=closed)
    assert "owner_unit" in exc.value.fields

    # A device already on a unit that closes afterwards stays correctable.
    OrgNode.objects.filter(pk=fleet.unit.pk).update(is_active=False)
    fleet.unit.refresh_from_db()
    device = services.device_update(
        actor=fleet.tekniker, device=fresh, expected_version=fresh.version, security_level=3
    )
    assert device.security_level == 3


def test_a_model_change_is_a_dated_step_of_the_history(fleet: Any) -> None:
    """A new model is a step of its own day (today when not given): never in the future, never
    before the device's latest step (a move included), refused on its field with nothing
    changed; audited like any correction."""
    from itfabrik.assets.models import DeviceModel
    from itfabrik.core.tests import assert_unchanged, db_state
    from itfabrik.tenancy.models import OrgNode

    desktop = DeviceModel.objects.get(name="Elite Mini 800 G9")
    device = fleet.device(lease=None, occurred_on=dt.date(2026, 6, 1))
    today = timezone.localdate()
    refused = (
        (dt.date(2099, 1, 1), "Dagen för modellbytet har inte varit än."),
        (
            dt.date(2026, 5, 31),
            "Modellen kan inte bytas före enhetens senaste steg (2026-06-01).",
        ),
    )
    for day, message in refused:
        before = db_state()
        with pytest.raises(ValidationFailed) as exc:
            services.device_update(
                actor=fleet.tekniker,
                device=device,
                expected_version=device.version,
                model=desktop,
                model_changed_on=day,
            )
        assert [str(m) for m in exc.value.fields["model_changed_on"]] == [message]
        assert_unchanged(before)

    # A move on the 20th is the latest step now: neither a new model nor another move may be
    # dated before it.
    other = (
        OrgNode.objects.filter(municipality=fleet.mellerud, kind=fleet.unit.kind, is_active=True)
        .exclude(pk=fleet.unit.pk)
        .first()
    )
    assert other is not None
    device = services.device_update(
        actor=fleet.tekniker,
        device=device,
        expected_version=device.version,
        owner_unit=other,
        moved_on=dt.date(2026, 6, 20),
    )
    before = db_state()
    with pytest.raises(ValidationFailed) as exc:
        services.device_update(
            actor=fleet.tekniker,
            device=device,
            expected_version=device.version,
            model=desktop,
            model_changed_on=dt.date(2026, 6, 10),
        )
    assert "2026-06-20" in str(exc.value.fields["model_changed_on"][0])
    with pytest.raises(ValidationFailed) as exc:
        services.device_update(
            actor=fleet.tekniker,
            device=device,
            expected_version=device.version,
            owner_unit=fleet.unit,
            moved_on=dt.date(2026, 6, 10),
        )
    assert "moved_on" in exc.value.fields
    assert_unchanged(before)

    device = services.device_update(
        actor=fleet.tekniker, device=device, expected_version=device.version, model=desktop
    )
    assert (device.model_id, device.kind) == (desktop.pk, desktop.kind)
    event = DeviceEvent.objects.filter(device=device).order_by("-pk").first()
    assert event is not None
    assert (event.occurred_on, event.model_id, event.owner_unit_id) == (today, desktop.pk, other.pk)
    assert str(desktop) in event.note
    entry = (
        AuditEntry.objects.filter(object_type="assets.device", object_id=str(device.pk))
        .order_by("-pk")
        .first()
    )
    assert entry is not None
    assert "model_id" in entry.changed_fields
    # Registration records the model; a transition or a move keeps the one before it.
    first = DeviceEvent.objects.filter(device=device).order_by("pk").first()
    assert first is not None
    assert first.model_id == fleet.model.pk
    moved = DeviceEvent.objects.get(device=device, occurred_on=dt.date(2026, 6, 20))
    assert moved.model_id is None
