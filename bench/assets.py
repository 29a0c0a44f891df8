"""The device register at national scale: the device list, a municipality's compliance page and
an import of a device-management export, on 500,000 devices (issue 9, "Speed").

Usage (from the repository root):

    .venv/bin/python bench/assets.py --scale national                 # PostgreSQL
    .venv/bin/python bench/assets.py --database sqlite --scale national
    .venv/bin/python bench/assets.py --scale tiny --fresh --repeats 5  # quick look

It builds on the organisation data set of `generate.py`, in a database of its own
(`itfabrik_bench_assets_<scale>`), and adds per cooperation, through the services as the assets
demo does, the demo's model catalogue (`assets.demo.MODELS`, one model out of support) and a
charge mapping per device kind ("not charged": the bench has no service catalogue); per
municipality the demo's twelve lease contracts ending quarter by quarter. Then, with bulk inserts
(the services would write an audit row per device), DEVICES devices in all (the same share per
municipality at smaller scales): the demo's state mix, leased kinds on the municipality's leases
(more on the contracts ending in two years), owning units from the generated units, and a few
that break the policy (unmanaged, a local administrator, no security level, a leased kind without
a lease); two of the local administrators per municipality get an exception through the service.
No device history rows are generated (the measured pages do not read them).

Then, in a fresh child process, as the cooperation administrator of the largest cooperation, it
measures in process (Django's test client against production settings: the server's time,
without the network), `--repeats` requests after three warm-up requests:
- the device list page filtered by municipality and state, sorted by lease end, 50 per page;
- the same list through the API (`/api/v1/assets/?municipality=&state=&ordering=lease_end`);
- the municipality's compliance page;
and an import of IMPORT_ROWS rows (the same share at smaller scales): an Intune-style CSV
written to a temporary directory (three quarters new devices spread over the cooperation's
municipalities by the primary user's e-mail domain, a quarter changes to existing devices), read
back and written through `assets.imports.import_run`, timed end to end (reading the file,
checking every row, writing in one transaction, the commit). The imported devices are deleted
afterwards (outside the time) so that the next run measures the same thing.

Targets (issue 9): list p95 under 100 ms of server time on PostgreSQL; the compliance page under
300 ms; the import of 100,000 rows under 60 s. Nothing here asserts a time: the results go to
bench/results/assets-<database>-<scale>-<UTC>.json and latest-assets-<database>-<scale>.json,
with the load average, since other work on the machine inflates every number.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import random
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
sys.path.insert(0, str(REPO_DIR))

from bench import generate, run  # noqa: E402
from bench.billing import (  # noqa: E402
    BATCH,
    QueryCounter,
    _cpu_seconds,
    _insert,
    _peak_rss_mb,
    _scaled,
)
from bench.servicedesk import _timed  # noqa: E402

DEVICES = 500_000
IMPORT_ROWS = 100_000
IMPORT_UPDATE_SHARE = 0.25
LEASES_PER_MUNICIPALITY = 12
EXCEPTIONS_PER_MUNICIPALITY = 2
MEASURED_STATE = "deployed"
# How often each model is bought (the demo's weights, in the order of demo.MODELS).
MODEL_WEIGHTS = [30, 20, 6, 14, 9, 8, 5, 10, 1, 2]
# Compliance, ownership and encryption of a changed row.
TAIL = ("Compliant", "Corporate", "Yes")
SITES = ["Kommunhuset", "Skolan", "Vård- och omsorgsboendet", "Biblioteket", ""]


def database_name(args: argparse.Namespace) -> str:
    return f"itfabrik_bench_assets_{args.scale}"


def database_url(args: argparse.Namespace) -> str:
    return run.database_url(args, database_name(args))


def assets_generated(namespace: str) -> bool:
    from itfabrik.assets.models import Device

    return Device.objects.filter(cooperation__slug__startswith=f"{namespace}-").exists()


def _reference_data(
    coop: Any, municipalities: list[Any], today: dt.date, rng: random.Random
) -> tuple[list[Any], dict[int, list[Any]]]:
    """The demo's models, a mapping per kind and the leases of every municipality, through the
    services (audited)."""
    from itfabrik.assets import demo, services
    from itfabrik.assets.choices import DeviceKind
    from itfabrik.core.actors import SYSTEM

    models = [
        services.model_create(
            actor=SYSTEM,
            cooperation=coop,
            manufacturer=maker,
            name=name,
            kind=kind,
            end_of_support=None if eos is None else today + dt.timedelta(days=eos),
            lease_months=months,
            price=Decimal(price),
        )
        for maker, name, kind, eos, months, price in demo.MODELS
    ]
    for kind in DeviceKind.values:
        services.charge_mapping_set(actor=SYSTEM, cooperation=coop, kind=kind, service=None)
    leases: dict[int, list[Any]] = {}
    for m in municipalities:
        leases[m.pk] = [
            services.lease_create(
                actor=SYSTEM,
                municipality=m,
                lessor=("Atea Finance" if k % 2 else "Dustin Leasing"),
                contract_number=f"{m.municipal_code}-{2023 + k // 4}-{k + 1:02d}",
                starts_on=today + dt.timedelta(days=91 * k - 1095),
                ends_on=today + dt.timedelta(days=91 * k + 40),
                monthly_cost=Decimal(rng.randrange(18000, 60000)),
                buyout_price=Decimal(rng.randrange(20000, 90000)),
            )
            for k in range(LEASES_PER_MUNICIPALITY)
        ]
    return models, leases


def generate_assets(*, namespace: str, seed: int, verbose: bool = True) -> dict[str, int]:
    from django.db import connection, transaction
    from django.utils import timezone

    from itfabrik.assets import demo, rules, services
    from itfabrik.assets.choices import Ownership
    from itfabrik.assets.models import Device
    from itfabrik.core.actors import SYSTEM
    from itfabrik.tenancy.models import Cooperation, OrgNode

    rng = random.Random(seed)
    today = timezone.localdate()
    now = timezone.now()
    started = time.monotonic()
    coops = list(Cooperation.objects.filter(slug__startswith=f"{namespace}-").order_by("slug"))
    municipalities = list(
        OrgNode.objects.filter(cooperation__in=coops, kind="municipality").order_by("path")
    )
    units_of: dict[int, list[int]] = {}
    for unit_id, municipality_id in OrgNode.objects.filter(
        cooperation__in=coops, kind="unit"
    ).values_list("pk", "municipality_id"):
        units_of.setdefault(municipality_id, []).append(unit_id)
    total = _scaled(DEVICES, len(municipalities))
    per, extra = divmod(total, len(municipalities))
    counts = {"devices": 0, "models": 0, "leases": 0, "exceptions": 0}
    with transaction.atomic():
        for coop in coops:
            mine = [m for m in municipalities if m.cooperation_id == coop.pk]
            models, leases = _reference_data(coop, mine, today, rng)
            counts["models"] += len(models)
            counts["leases"] += sum(len(v) for v in leases.values())
            devices: list[Device] = []
            for m in mine:
                index = municipalities.index(m)
                units = units_of.get(m.pk) or [m.pk]
                for n in range(1, per + (1 if index < extra else 0) + 1):
                    model = rng.choices(models, MODEL_WEIGHTS)[0]
                    state = rng.choice(demo.STATES)
                    leased = model.kind in rules.LEASED_KINDS
                    lease = (
                        leases[m.pk][min(int(rng.triangular(0, 12, 8)), 11)]
                        if leased and rng.random() > 0.01
                        else None
                    )
                    client = model.kind in rules.CLIENT_KINDS
                    devices.append(
                        Device(
                            cooperation_id=coop.pk,
                            municipality_id=m.pk,
                            owner_unit_id=rng.choice(units),
                            model_id=model.pk,
                            kind=model.kind,
                            manufacturer=model.manufacturer,
                            serial_number=f"S{m.municipal_code}{n:07d}",
                            asset_tag=f"{m.municipal_code}-{n:06d}",
                            name=f"{m.municipal_code}-{'PC' if client else 'DEV'}{n:06d}",
                            site=rng.choice(SITES),
                            state=state,
                            state_since=today - dt.timedelta(days=rng.randrange(1, 700)),
                            ownership=Ownership.LEASED if leased else Ownership.PURCHASED,
                            lease_id=lease.pk if lease else None,
                            lease_end=lease.ends_on if lease else None,
                            purchased_on=None
                            if leased
                            else today - dt.timedelta(days=rng.randrange(30, 1500)),
                            purchase_price=None if leased else model.price,
                            os={"computer": "Windows", "tablet": "iPadOS", "phone": "iOS"}.get(
                                model.kind, ""
                            ),
                            os_version={
                                "computer": "11 23H2",
                                "tablet": "17.5",
                                "phone": "17.5",
                            }.get(model.kind, ""),
                            encrypted=True if client else None,
                            managed=client and rng.random() > 0.02,
                            last_check_in=now - dt.timedelta(hours=rng.randrange(1, 200))
                            if client
                            else None,
                            local_admin=client and rng.random() < 0.01,
                            security_level=(
                                None if client and rng.random() < 0.01 else rng.choice([1, 2, 2, 3])
                            )
                            if client
                            else None,
                            erasure_certificate=f"RAD-{m.municipal_code}-{n}"
                            if state == "disposed"
                            else "",
                        )
                    )
                    if len(devices) >= BATCH:
                        _insert(Device, devices)
                        counts["devices"] += len(devices)
                        devices = []
            _insert(Device, devices)
            counts["devices"] += len(devices)
            # The policy's exceptions: two local administrators per municipality, excepted.
            for m in mine:
                for device in Device.objects.filter(
                    municipality_id=m.pk, local_admin=True, state=MEASURED_STATE
                ).order_by("pk")[:EXCEPTIONS_PER_MUNICIPALITY]:
                    services.exception_grant(
                        actor=SYSTEM,
                        device=device,
                        rule=rules.LOCAL_ADMIN,
                        decision="Verksamhetssystemet kräver lokal administratör.",
                        valid_until=today + dt.timedelta(days=180),
                        reference="BENCH-1",
                    )
                    counts["exceptions"] += 1
            if verbose:
                print(
                    f"  [{time.monotonic() - started:6.1f}s] {coop.slug}: "
                    f"{counts['devices']} devices so far",
                    flush=True,
                )
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE assets_device")
            cur.execute("ANALYZE assets_lease")
    return counts


# --- the measured phase (a child process) -----------------------------------------------------


def _import_file(
    directory: Path, coop: Any, rows: int, prefix: str, rng: random.Random
) -> tuple[Path, int]:
    """An Intune-style export: new devices by the primary user's domain, and changes (a new OS
    version) to existing devices of the cooperation. Returns the file and its number of
    changes."""
    from itfabrik.assets import imports
    from itfabrik.assets.models import Device, DeviceModel
    from itfabrik.tenancy.models import OrgNode

    models = list(DeviceModel.objects.filter(cooperation=coop).order_by("pk"))
    domains = list(
        OrgNode.objects.filter(cooperation=coop, kind="municipality", is_active=True)
        .exclude(email_domain="")
        .values_list("email_domain", flat=True)
    )
    n_updates = int(rows * IMPORT_UPDATE_SHARE)
    existing = list(
        Device.objects.filter(cooperation=coop)
        .order_by("pk")
        .values_list("serial_number", "manufacturer", "model__name", "name")[:n_updates]
    )
    path = directory / "intune-export.csv"
    check_in = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.0000000")
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow([c.title() for c in imports.COLUMNS])
        for serial, maker, model_name, name in existing:
            w.writerow([name, serial, maker, model_name, "Windows", prefix, "", check_in, *TAIL])
        for n in range(rows - len(existing)):
            model = models[n % len(models)]
            w.writerow(
                [
                    f"IMP-{n:07d}",
                    f"{prefix}{n:07d}",
                    model.manufacturer,
                    model.name,
                    "Windows",
                    "11 24H2",
                    f"bench.user{n}@{rng.choice(domains)}",
                    check_in,
                    rng.choice(["Compliant", "Compliant", "Noncompliant"]),
                    "Corporate",
                    "Yes",
                ]
            )
    return path, len(existing)


def measure_import(*, coop: Any, actor: Any, rows: int) -> dict[str, Any]:
    from django.db import connection

    from itfabrik.assets import imports
    from itfabrik.assets.models import Device, DeviceEvent

    prefix = "I" + dt.datetime.now(dt.UTC).strftime("%H%M%S")
    with tempfile.TemporaryDirectory(prefix="bench-assets-") as tmp:
        path, updates = _import_file(Path(tmp), coop, rows, prefix, random.Random(7))
        size = path.stat().st_size
        counter = QueryCounter()
        cpu0 = _cpu_seconds()
        t = time.perf_counter()
        with connection.execute_wrapper(counter):
            result = imports.import_run(
                actor=actor,
                cooperation=coop,
                data=path.read_bytes(),
                file_name=path.name,
                dry_run=False,
            )
        seconds = time.perf_counter() - t
        cpu = _cpu_seconds() - cpu0
    out = {
        "rows": rows,
        "file_bytes": size,
        "seconds": round(seconds, 2),
        "rows_per_second": round(rows / seconds),
        "process_cpu_seconds": round(cpu, 2),
        "queries": counter.count,
        "counts": result.counts,
        "written": result.written,
        "updates_in_file": updates,
        "peak_rss_mb": _peak_rss_mb(),
    }
    # Undo the new devices (outside the time); the changed ones keep their new OS version.
    created = Device.objects.filter(cooperation=coop, serial_number__startswith=prefix)
    DeviceEvent.objects.filter(device__in=created).delete()
    created.delete()
    return out


def measure(*, namespace: str, repeats: int) -> dict[str, Any]:
    from django.db.models import Count
    from django.test import Client
    from django.urls import reverse

    from itfabrik.accounts.models import User
    from itfabrik.assets.models import Device
    from itfabrik.tenancy.models import Cooperation, OrgNode

    admin = User.objects.get(username=f"{namespace}-bench-admin")
    coop = Cooperation.objects.get(pk=admin.home_unit.cooperation_id)  # type: ignore[union-attr]
    # The cooperation's municipality with most devices.
    top = (
        Device.objects.filter(cooperation=coop)
        .values("municipality_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "municipality_id")
        .first()
    )
    assert top is not None
    municipality_id = top["municipality_id"]
    users = generate.bench_users(namespace=namespace, seed=1)["users"]
    out: dict[str, Any] = {
        "devices": Device.objects.filter(cooperation__slug__startswith=f"{namespace}-").count(),
        "municipality_devices": top["n"],
        "municipality_matching": Device.objects.filter(
            municipality_id=municipality_id, state=MEASURED_STATE
        ).count(),
    }
    client = Client()
    name, value = run.session_cookie(admin.pk, users["admin"]["otp_device"]).split("=")
    client.cookies[name] = value
    pages = {
        "list_page": f"{reverse('assets:devices')}?kommun={municipality_id}&steg={MEASURED_STATE}",
        "compliance_page": f"{reverse('assets:compliance')}?kommun={municipality_id}",
    }
    for key, url in pages.items():
        out[key] = _timed(client, url, repeats)
        print(f"  {key}: {out[key]}", flush=True)
    api = Client()
    auth: dict[str, Any] = {"HTTP_AUTHORIZATION": f"Token {users['admin']['token']}"}
    api_url = (
        f"/api/v1/assets/?municipality={municipality_id}&state={MEASURED_STATE}&ordering=lease_end"
    )
    out["list_api"] = _timed(api, api_url, repeats, **auth)
    body = api.get(api_url, HTTP_HOST="127.0.0.1", **auth).json()
    out["list_api"]["count"] = body["count"]
    out["list_api"]["items"] = len(body["results"])
    print(f"  list_api: {out['list_api']}", flush=True)
    n_municipalities = OrgNode.objects.filter(
        cooperation__slug__startswith=f"{namespace}-", kind="municipality"
    ).count()
    out["import"] = measure_import(
        coop=coop, actor=admin, rows=_scaled(IMPORT_ROWS, n_municipalities)
    )
    print(f"  import: {out['import']}", flush=True)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = run.data_bench_parser(__doc__, repeats=30)
    args = parser.parse_args(argv)
    if args.phase == "measure":
        generate.setup_django(database_url(args))
        print(json.dumps(measure(namespace="bench", repeats=args.repeats)), flush=True)
        return 0

    return run.generate_and_measure(
        args,
        database=database_name(args),
        kind="assets",
        script=__file__,
        what="device data",
        data_key="asset_data",
        generated=lambda: assets_generated("bench"),
        make=lambda: generate_assets(namespace="bench", seed=args.seed),
    )


if __name__ == "__main__":
    raise SystemExit(main())
