"""The device register's part of the Dalsland demo: a model catalogue, lease contracts per
municipality ending quarter by quarter over the coming three years, and several thousand devices
across the four municipalities (written with bulk_create, so the demo stays quick to load).
A few devices break the policy (unmanaged, a local administrator, no security level, a model
out of support, a leased kind without a lease), and the demo's portal users have devices of
their own ("Mina enheter")."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.utils import timezone

from itfabrik.core.actors import SYSTEM
from itfabrik.core.registry import demo_step
from itfabrik.tenancy.models import OrgNode

from . import rules, services
from .choices import DeviceKind, DeviceState, Ownership
from .models import Device, DeviceEvent, DeviceModel

DEVICES_PER_MUNICIPALITY = 600
# By municipal code: Bengtsfors, Färgelanda, Mellerud, Åmål.
PREFIX = {"1460": "BEN", "1439": "FAR", "1461": "MEL", "1492": "AML"}
# (manufacturer, model, kind, end of support in days from today (None: none known), months, price)
MODELS = [
    ("Lenovo", "ThinkPad T14 Gen 4", DeviceKind.COMPUTER, 1600, 36, "14500.00"),
    ("HP", "EliteBook 840 G9", DeviceKind.COMPUTER, 1300, 36, "13900.00"),
    ("HP", "EliteBook 840 G5", DeviceKind.COMPUTER, -60, 36, "12500.00"),
    ("Dell", "Latitude 5440", DeviceKind.COMPUTER, 1500, 36, "12900.00"),
    ("Apple", "iPad 10th generation", DeviceKind.TABLET, 1200, 36, "5600.00"),
    ("Apple", "iPhone 15", DeviceKind.PHONE, 1400, 24, "9800.00"),
    ("Samsung", "Galaxy A54", DeviceKind.PHONE, 900, 24, "4200.00"),
    ("Dell", "P2423", DeviceKind.MONITOR, None, 60, "2600.00"),
    ("Cisco", "Catalyst 9200", DeviceKind.NETWORK, 2000, 60, "21000.00"),
    ("HP", "LaserJet M507", DeviceKind.PRINTER, 1000, 48, "7400.00"),
]
MY_DEVICES = {
    "anvandare-bengtsfors": [("Lenovo", "ThinkPad T14 Gen 4"), ("Apple", "iPhone 15")],
    "anvandare-fargelanda": [("HP", "EliteBook 840 G9")],
    "bestallare-mellerud": [("Dell", "Latitude 5440")],
}
STATES = (
    [DeviceState.DEPLOYED] * 88
    + [DeviceState.IN_REPAIR] * 3
    + [DeviceState.RECEIVED] * 3
    + [DeviceState.ORDERED] * 2
    + [DeviceState.NEEDS_ANALYSIS]
    + [DeviceState.DECOMMISSIONING]
    + [DeviceState.RETURNED]
    + [DeviceState.DISPOSED]
)


def is_loaded() -> bool:
    return DeviceModel.objects.exists()


# Issue 9, point 8: what deployed devices are charged through, by kind (catalogue service names
# of catalog/demo.py; None: not charged). Network devices and printers are left without a
# service, so the demo's billing run shows its warning about them.
CHARGING = {
    DeviceKind.COMPUTER: "Bärbar dator",
    DeviceKind.PHONE: "Mobiltelefon med abonnemang",
    # The catalogue has no tablet of its own; its managed pupil device is the nearest.
    DeviceKind.TABLET: "Elev-Chromebook",
    DeviceKind.MONITOR: None,  # included in the workplace
}
DESKTOP = ("HP", "Elite Mini 800 G9")
DESKTOP_SERVICE = "Delad stationär dator"


@demo_step("assets", after=["accounts", "servicedesk", "catalog", "billing"], loaded=is_loaded)
def load(ctx: dict[str, Any]) -> None:
    coop = ctx["cooperation"]
    users = ctx["users"]
    today = timezone.localdate()
    rnd = random.Random(9)
    models = {
        (maker, name): services.model_create(
            actor=SYSTEM,
            cooperation=coop,
            manufacturer=maker,
            name=name,
            kind=kind,
            end_of_support=None if eos is None else today + dt.timedelta(days=eos),
            lease_months=months,
            price=Decimal(price),
        )
        for maker, name, kind, eos, months, price in MODELS
    }
    weights = [30, 20, 6, 14, 9, 8, 5, 10, 1, 2]
    catalogue = list(models.values())
    municipalities = OrgNode.objects.filter(
        cooperation=coop, kind="municipality", municipal_code__in=list(PREFIX)
    ).order_by("name")
    units_of: dict[int, list[OrgNode]] = {}
    for unit in OrgNode.objects.filter(cooperation=coop, kind="unit").order_by("path"):
        units_of.setdefault(unit.municipality_id or 0, []).append(unit)
    devices: list[Device] = []
    for municipality in municipalities:
        prefix = PREFIX[municipality.municipal_code]
        leases = [
            services.lease_create(
                actor=SYSTEM,
                municipality=municipality,
                lessor=("Atea Finance" if k % 2 else "Dustin Leasing"),
                contract_number=f"{prefix}-{2023 + k // 4}-{k + 1:02d}",
                starts_on=today + dt.timedelta(days=91 * k - 1095),
                ends_on=today + dt.timedelta(days=91 * k + 40),
                monthly_cost=Decimal(rnd.randrange(18000, 60000)),
                buyout_price=Decimal(rnd.randrange(20000, 90000)),
            )
            for k in range(12)
        ]
        units = units_of.get(municipality.pk) or [municipality]
        for n in range(1, DEVICES_PER_MUNICIPALITY + 1):
            model = rnd.choices(catalogue, weights)[0]
            state = rnd.choice(STATES)
            leased = model.kind in rules.LEASED_KINDS
            # Leases fill unevenly: more devices on the contracts ending in two years' time, so
            # the refresh plan has a hump to smooth.
            lease = (
                leases[min(int(rnd.triangular(0, 12, 8)), 11)]
                if leased and rnd.random() > 0.01
                else None
            )
            client = model.kind in rules.CLIENT_KINDS
            devices.append(
                Device(
                    cooperation=coop,
                    municipality=municipality,
                    owner_unit=rnd.choice(units),
                    model=model,
                    kind=model.kind,
                    manufacturer=model.manufacturer,
                    serial_number=f"{prefix[0]}{municipality.municipal_code}{n:06d}",
                    asset_tag=f"{prefix}-{n:05d}",
                    name=f"{prefix}-{'PC' if model.kind == 'computer' else 'DEV'}{n:05d}",
                    site=rnd.choice(["Kommunhuset", "Skolan", "Vård- och omsorgsboendet", ""]),
                    state=state,
                    state_since=today - dt.timedelta(days=rnd.randrange(1, 700)),
                    ownership=Ownership.LEASED if leased else Ownership.PURCHASED,
                    lease=lease,
                    lease_end=lease.ends_on if lease else None,
                    purchased_on=None
                    if leased
                    else today - dt.timedelta(days=rnd.randrange(30, 1500)),
                    purchase_price=None if leased else model.price,
                    os={"computer": "Windows", "tablet": "iPadOS", "phone": "iOS"}.get(
                        model.kind, ""
                    ),
                    os_version={"computer": "11 23H2", "tablet": "17.5", "phone": "17.5"}.get(
                        model.kind, ""
                    ),
                    encrypted=True if client else None,
                    managed=client and rnd.random() > 0.02,
                    last_check_in=timezone.now() - dt.timedelta(hours=rnd.randrange(1, 200))
                    if client
                    else None,
                    local_admin=client and rnd.random() < 0.01,
                    security_level=(
                        None if client and rnd.random() < 0.01 else rnd.choice([1, 2, 2, 3])
                    )
                    if client
                    else None,
                    erasure_certificate=f"RAD-{prefix}-{n}" if state == "disposed" else "",
                )
            )
    by_model = {(m.manufacturer, m.name): m for m in catalogue}
    for username, wanted in MY_DEVICES.items():
        user = users.get(username)
        if user is None or user.home_unit is None:
            continue
        municipality = user.home_unit.municipality or user.home_unit
        for model_key in wanted:
            mine = next(
                d
                for d in devices
                if d.municipality_id == municipality.pk
                and d.model == by_model[model_key]
                and d.current_user is None
                and d.state == DeviceState.DEPLOYED
            )
            mine.current_user = user
            mine.owner_unit = user.home_unit
            mine.managed = True
            mine.local_admin = False
            mine.security_level = 2
            mine.site = "Kommunhuset"
    # A few of the computers are shared desktops, charged as such (a model's mapping wins).
    desktop = services.model_create(
        actor=SYSTEM,
        cooperation=coop,
        manufacturer=DESKTOP[0],
        name=DESKTOP[1],
        kind=DeviceKind.COMPUTER,
        end_of_support=today + dt.timedelta(days=1500),
        lease_months=36,
        price=Decimal("12900.00"),
    )
    latitude = by_model[("Dell", "Latitude 5440")]
    spare = [d for d in devices if d.model == latitude and d.current_user is None]
    for d in spare[::8]:
        d.model = desktop
        d.name = d.name.replace("-PC", "-DT")
    Device.objects.bulk_create(devices, batch_size=1000)
    if any(d.pk is None for d in devices):
        keyed = dict(Device.objects.values_list("serial_number", "pk"))
        for d in devices:
            d.pk = keyed[d.serial_number]
    DeviceEvent.objects.bulk_create(
        (
            DeviceEvent(
                device_id=d.pk,
                from_state="",
                to_state=d.state,
                occurred_on=d.state_since or today,
                note="Demodata",
                owner_unit_id=d.owner_unit_id,
                model_id=d.model_id,
            )
            for d in devices
        ),
        batch_size=2000,
    )
    _charging(coop, desktop)


def _charging(coop: Any, desktop: DeviceModel) -> None:
    """Map the kinds to the catalogue's workplace services, then run billing again for the
    months still open (the billing demo's December), so that their drafts charge the devices.
    The approved months stay as they were approved."""
    from itfabrik.billing.choices import InvoiceStatus
    from itfabrik.billing.models import Invoice
    from itfabrik.billing.services import billing_run_now
    from itfabrik.catalog.models import Service

    catalogue = {s.name: s for s in Service.objects.filter(cooperation=coop)}
    if not catalogue:
        return
    for kind, name in CHARGING.items():
        services.charge_mapping_set(
            actor=SYSTEM,
            cooperation=coop,
            kind=kind,
            service=catalogue[name] if name else None,
        )
    services.charge_mapping_set(
        actor=SYSTEM, cooperation=coop, model=desktop, service=catalogue[DESKTOP_SERVICE]
    )
    open_periods = sorted(
        set(
            Invoice.objects.filter(cooperation=coop, status=InvoiceStatus.DRAFT).values_list(
                "period", flat=True
            )
        )
    )
    for period in open_periods:
        billing_run_now(actor=SYSTEM, cooperation=coop, period=period)
