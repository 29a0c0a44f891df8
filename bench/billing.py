"""Billing at national scale: one month's billing run and a municipality's cost dashboard.

Usage (from the repository root):

    .venv/bin/python bench/billing.py --scale national            # PostgreSQL
    .venv/bin/python bench/billing.py --scale tiny --fresh        # quick look

It builds on the organisation data set of `generate.py` (same database, `itfabrik_bench_<scale>`)
and adds, with bulk inserts (services would write an audit row per record): per cooperation a
small catalogue (devices, accounts, licences, servers) with a 2026 price list, one order per unit
whose lines back the subscriptions, subscriptions over 2026 (SUBSCRIPTION_MONTHS in all), usage
records over 2026 (USAGE_RECORDS in all), a Bas-IT pool with a budget and a fund with an
inhabitants key. Then, in a fresh child process (so that the peak memory is the run's, not the
generator's), it bills PERIOD for every cooperation — the whole country's month — and measures
time, queries and peak RSS; and it asks for the cost dashboard of a municipality (the overview
and the municipality page, as the cooperation administrator) REPEATS times and reports the
server-side time in process. Results go to bench/results/billing-<database>-<scale>-<UTC>.json
and latest-billing-<database>-<scale>.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
sys.path.insert(0, str(REPO_DIR))

from bench import generate, run  # noqa: E402

PERIOD = "2026-06"
YEAR = 2026
# Whole-country volumes of the issue; smaller scales take the same share per municipality.
NATIONAL_MUNICIPALITIES = 290
SUBSCRIPTION_MONTHS = 2_000_000
USAGE_RECORDS = 1_000_000
BATCH = 5000

SERVICES = [
    # name, unit of measure, monthly price, weight (how many a unit has)
    ("Bärbar dator", "dator", "390.00", 6),
    ("Stationär dator", "dator", "290.00", 3),
    ("Elevdator", "enhet", "95.00", 4),
    ("Mobiltelefon", "telefon", "245.00", 3),
    ("Användarkonto", "konto", "35.00", 8),
    ("Microsoft 365", "licens", "120.00", 7),
    ("Support", "användare", "55.00", 7),
    ("Virtuell server", "server", "1450.00", 1),
]
USAGE_SERVICES = [("Platsbesök", "650.00"), ("Leverans", "250.00"), ("Konsulttimme", "950.00")]


def _scaled(total: int, municipalities: int) -> int:
    return max(1, round(total * municipalities / NATIONAL_MUNICIPALITIES))


def _insert(model: Any, objs: list[Any]) -> None:
    """Bulk insert without returning ids: COPY on PostgreSQL (several times faster than a
    multi-row INSERT at a million rows), bulk_create elsewhere."""
    from django.db import connection

    if not objs:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objs, batch_size=BATCH)
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
    ):
        for obj in objs:
            copy.write_row([f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields])


def database_name(args: argparse.Namespace) -> str:
    # Its own database: run.py's organisation benchmarks stay on data without billing.
    return f"itfabrik_bench_billing_{args.scale}"


def database_url(args: argparse.Namespace) -> str:
    return run.database_url(args, database_name(args))


def billing_generated(namespace: str) -> bool:
    from itfabrik.billing.models import CostPool

    return CostPool.objects.filter(code=f"{namespace}-bas-it").exists()


def generate_billing(*, namespace: str, seed: int, verbose: bool = True) -> dict[str, int]:
    """The catalogue, subscriptions, usage and pools of every bench cooperation (bulk)."""
    from django.db import transaction
    from django.utils import timezone

    from itfabrik.billing.choices import KeyMethod, PoolKind
    from itfabrik.billing.models import AllocationKey, CostPool, PoolBudget, UsageRecord
    from itfabrik.catalog.choices import OrderStatus, PriceModel
    from itfabrik.catalog.models import (
        Order,
        OrderLine,
        Price,
        PriceList,
        Service,
        ServiceArea,
        Subscription,
    )
    from itfabrik.tenancy.models import Cooperation, OrgNode

    started = time.monotonic()
    rng = random.Random(seed)
    coops = list(Cooperation.objects.filter(slug__startswith=f"{namespace}-").order_by("slug"))
    units = list(
        OrgNode.objects.filter(cooperation__in=coops, kind="unit")
        .exclude(cost_centre="")
        .values_list("pk", "cooperation_id", "municipality_id", "cost_centre")
    )
    n_municipalities = OrgNode.objects.filter(cooperation__in=coops, kind="municipality").count()
    sub_months = _scaled(SUBSCRIPTION_MONTHS, n_municipalities)
    usage_total = _scaled(USAGE_RECORDS, n_municipalities)
    now = timezone.now()
    counts: dict[str, int] = {}
    with transaction.atomic():
        areas = ServiceArea.objects.bulk_create(
            [ServiceArea(cooperation=c, name="IT-arbetsplats", sort_order=10) for c in coops]
        )
        services: dict[int, list[Any]] = {}
        for coop, area in zip(coops, areas, strict=True):
            services[coop.pk] = Service.objects.bulk_create(
                [
                    Service(
                        cooperation=coop,
                        area=area,
                        name=name,
                        price_model=PriceModel.PER_UNIT_MONTH,
                        unit_of_measure=unit,
                    )
                    for name, unit, _price, _w in SERVICES
                ]
            )
        lists = PriceList.objects.bulk_create(
            [
                PriceList(
                    cooperation=c,
                    name=f"Prislista {YEAR}",
                    valid_from=dt.date(YEAR, 1, 1),
                    valid_to=dt.date(YEAR, 12, 31),
                    decision_reference="BENCH",
                )
                for c in coops
            ]
        )
        Price.objects.bulk_create(
            [
                Price(price_list=pl, service=s, amount=Decimal(price))
                for pl, c in zip(lists, coops, strict=True)
                for s, (_n, _u, price, _w) in zip(services[c.pk], SERVICES, strict=True)
            ]
        )
        _log(verbose, started, "catalogue and price lists")

        orders = Order.objects.bulk_create(
            [
                Order(
                    cooperation_id=coop_id,
                    unit_id=unit_id,
                    status=OrderStatus.DELIVERED,
                    delivered_on=dt.date(YEAR - 1, 12, 1),
                    submitted_at=now,
                    decided_at=now,
                )
                for unit_id, coop_id, _m, _cc in units
            ],
            batch_size=BATCH,
        )
        lines = OrderLine.objects.bulk_create(
            [
                OrderLine(order=o, service=s, quantity=1)
                for o, (_u, coop_id, _m, _cc) in zip(orders, units, strict=True)
                for s in services[coop_id]
            ],
            batch_size=BATCH,
        )
        line_of = {(ln.order.unit_id, ln.service_id): ln for ln in lines}
        _log(verbose, started, f"{len(orders)} orders, {len(lines)} order lines")

        # 70 % run the whole year, 30 % start in a month of the year (6.5 months on average):
        # about 10.35 months each.
        n_subs = round(sub_months / 10.35)
        weights = [w for *_x, w in SERVICES]
        subs: list[Any] = []
        months = 0
        for _i in range(n_subs):
            unit_id, coop_id, _m, _cc = units[rng.randrange(len(units))]
            k = rng.choices(range(len(SERVICES)), weights=weights)[0]
            service = services[coop_id][k]
            if rng.random() < 0.7:
                start = dt.date(YEAR - 1, rng.randint(1, 12), 1)
                months += 12
            else:
                m = rng.randint(1, 12)
                start = dt.date(YEAR, m, rng.randint(1, 28))
                months += 13 - m
            subs.append(
                Subscription(
                    cooperation_id=coop_id,
                    unit_id=unit_id,
                    service=service,
                    quantity=rng.choice((1, 1, 1, 2, 3, 5, 10)),
                    start_date=start,
                    order_line=line_of[(unit_id, service.pk)],
                )
            )
            if len(subs) >= 50_000:
                _insert(Subscription, subs)
                subs.clear()
        _insert(Subscription, subs)
        counts["subscriptions"] = n_subs
        counts["subscription_months_2026"] = months
        _log(verbose, started, f"{n_subs} subscriptions ({months} subscription-months)")

        # Plain rows straight into COPY on PostgreSQL: a million model instances would double
        # the generator's time.
        from django.db import connection

        columns = [
            "unit_id",
            "municipality_id",
            "cost_centre",
            "service",
            "description",
            "quantity",
            "unit_price",
            "amount",
            "used_on",
            "is_credit",
            "import_reference",
            "created_at",
            "updated_at",
        ]
        rows: list[tuple[Any, ...]] = []
        for _i in range(usage_total):
            unit_id, _coop_id, municipality_id, cost_centre = units[rng.randrange(len(units))]
            name, price = USAGE_SERVICES[rng.randrange(len(USAGE_SERVICES))]
            q = Decimal(rng.choice((1, 1, 2, 3)))
            rows.append(
                (
                    unit_id,
                    municipality_id,
                    cost_centre,
                    name,
                    "",
                    q,
                    Decimal(price),
                    q * Decimal(price),
                    dt.date(YEAR, rng.randint(1, 12), rng.randint(1, 28)),
                    False,
                    "bench",
                    now,
                    now,
                )
            )
        if connection.vendor == "postgresql":
            cols = ", ".join(columns)
            with (
                connection.cursor() as cursor,
                cursor.cursor.copy(f"COPY billing_usagerecord ({cols}) FROM STDIN") as copy,
            ):
                for row in rows:
                    copy.write_row(row)
        else:
            UsageRecord.objects.bulk_create(
                [UsageRecord(**dict(zip(columns, row, strict=True))) for row in rows],
                batch_size=BATCH,
            )
        del rows
        counts["usage_records"] = usage_total
        _log(verbose, started, f"{usage_total} usage records")

        pools = CostPool.objects.bulk_create(
            [
                CostPool(cooperation=c, kind=kind, code=f"{namespace}-{code}", name=name)
                for c in coops
                for kind, code, name in (
                    (PoolKind.SHARED, "bas-it", "Bas-IT"),
                    (PoolKind.FUND, "fond", "Digitaliseringsfond"),
                )
            ]
        )
        PoolBudget.objects.bulk_create(
            [
                PoolBudget(
                    pool=p,
                    year=YEAR,
                    amount=Decimal(rng.randint(2_000_000, 30_000_000))
                    if p.kind == PoolKind.SHARED
                    else Decimal(rng.randint(200_000, 2_000_000)),
                )
                for p in pools
            ]
        )
        AllocationKey.objects.bulk_create(
            [
                AllocationKey(
                    pool=p,
                    method=KeyMethod.INHABITANTS,
                    valid_from=dt.date(YEAR, 1, 1),
                    decision_reference="BENCH",
                )
                for p in pools
                if p.kind == PoolKind.FUND
            ]
        )
        counts["pools"] = len(pools)
        _log(verbose, started, "pools, budgets and keys")
    return counts


def _log(verbose: bool, started: float, msg: str) -> None:
    if verbose:
        print(f"  [{time.monotonic() - started:6.1f}s] {msg}", flush=True)


# --- the measured phase (a child process) -----------------------------------------------------


class QueryCounter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.count += 1
        return execute(sql, params, many, context)


def _peak_rss_mb() -> float:
    """This process's peak resident memory. Not getrusage's ru_maxrss: Linux carries that over
    an exec, so a child would report its parent's (the generator's) peak."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _backend_cpu_seconds() -> float | None:
    """CPU time of this connection's PostgreSQL backend (same machine): with the client's CPU
    time it is what the run costs, whatever else the machine is doing."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cur:
        cur.execute("SELECT pg_backend_pid()")
        pid = cur.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _cpu_seconds() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _fill_year_to_date(coops: list[Any]) -> int:
    """The dashboard sums the year to date: give January–May the measured month's invoices and
    lines (as drafts, so that no month is closed for the next measurement), copied in SQL.
    PostgreSQL only; a no-op when they are there."""
    from django.db import connection

    from itfabrik.billing.models import Invoice

    if connection.vendor != "postgresql":
        return 0
    june = list(Invoice.objects.filter(cooperation__in=coops, period=PERIOD))
    filled = 0
    for month in range(1, int(PERIOD[5:])):
        code = f"{PERIOD[:4]}-{month:02d}"
        if Invoice.objects.filter(cooperation__in=coops, period=code).exists():
            continue
        copies = Invoice.objects.bulk_create(
            [
                Invoice(
                    cooperation_id=i.cooperation_id,
                    municipality_id=i.municipality_id,
                    period=code,
                    total=i.total,
                    shared_total=i.shared_total,
                    fund_total=i.fund_total,
                    consumption_total=i.consumption_total,
                )
                for i in june
            ]
        )
        cols = (
            "position, kind, amount, unit_id, cost_centre, cost_pool_id, service, description, "
            "quantity, unit_price, allocation_key_id, usage_record_id, source"
        )
        with connection.cursor() as cur:
            cur.execute("CREATE TEMP TABLE bench_map (old bigint, new bigint)")
            with cur.cursor.copy("COPY bench_map (old, new) FROM STDIN") as copy:
                for old, new in zip(june, copies, strict=True):
                    copy.write_row((old.pk, new.pk))
            cur.execute(
                f"INSERT INTO billing_invoiceline (invoice_id, {cols}) "
                f"SELECT m.new, {', '.join('l.' + c.strip() for c in cols.split(','))} "
                "FROM billing_invoiceline l JOIN bench_map m ON l.invoice_id = m.old"
            )
            cur.execute("DROP TABLE bench_map")
        filled += 1
    with connection.cursor() as cur:
        cur.execute("ANALYZE billing_invoice")
        cur.execute("ANALYZE billing_invoiceline")
    return filled


def measure(*, namespace: str, repeats: int) -> dict[str, Any]:
    from django.db import connection
    from django.test import Client

    from itfabrik.accounts.models import User
    from itfabrik.billing.models import Invoice, InvoiceLine
    from itfabrik.billing.services import produce_drafts
    from itfabrik.billing.sources import Period
    from itfabrik.tenancy.models import Cooperation

    out: dict[str, Any] = {"period": PERIOD}
    coops = list(Cooperation.objects.filter(slug__startswith=f"{namespace}-").order_by("slug"))
    period = Period.parse(PERIOD)
    # A first run, not a rerun: the month's drafts of an earlier measurement go first.
    InvoiceLine.objects.filter(invoice__cooperation__in=coops, invoice__period=PERIOD).delete()
    Invoice.objects.filter(cooperation__in=coops, period=PERIOD).delete()
    rss_before = _peak_rss_mb()
    cpu_before = _cpu_seconds()
    db_cpu_before = _backend_cpu_seconds()
    counter = QueryCounter()
    per_coop: list[float] = []
    started = time.monotonic()
    from django.db import transaction

    with connection.execute_wrapper(counter):
        for coop in coops:
            t = time.monotonic()
            with transaction.atomic():
                produce_drafts(cooperation=coop, period=period)
            per_coop.append(time.monotonic() - t)
    total = time.monotonic() - started
    rss_after = _peak_rss_mb()
    out["run"] = {
        "cooperations": len(coops),
        "seconds": round(total, 2),
        "process_cpu_seconds": round(_cpu_seconds() - cpu_before, 2),
        "postgres_backend_cpu_seconds": (
            round(db_after - db_cpu_before, 2)
            if (db_after := _backend_cpu_seconds()) is not None and db_cpu_before is not None
            else None
        ),
        "slowest_cooperation_seconds": round(max(per_coop), 2),
        "queries": counter.count,
        "invoices": Invoice.objects.filter(cooperation__in=coops, period=PERIOD).count(),
        "lines": InvoiceLine.objects.filter(
            invoice__cooperation__in=coops, invoice__period=PERIOD
        ).count(),
        "peak_rss_mb": rss_after,
        "peak_rss_before_run_mb": rss_before,
    }
    print(f"  run: {out['run']}", flush=True)

    # Rerunning an unchanged month changes nothing (and is how a draft is refreshed).
    counter2 = QueryCounter()
    started = time.monotonic()
    with connection.execute_wrapper(counter2):
        for coop in coops:
            with transaction.atomic():
                produce_drafts(cooperation=coop, period=period)
    out["rerun"] = {"seconds": round(time.monotonic() - started, 2), "queries": counter2.count}
    print(f"  rerun: {out['rerun']}", flush=True)

    out["year_to_date_months_filled"] = _fill_year_to_date(coops)

    admin = User.objects.get(username=f"{namespace}-bench-admin")
    coop = Cooperation.objects.get(pk=admin.home_unit.cooperation_id)  # type: ignore[union-attr]
    invoice = (
        Invoice.objects.filter(cooperation=coop, period=PERIOD)
        .order_by("municipality__name")
        .first()
    )
    assert invoice is not None
    client = Client()
    users = generate.bench_users(namespace=namespace, seed=1)["users"]
    cookie_name, cookie_value = run.session_cookie(admin.pk, users["admin"]["otp_device"]).split(
        "="
    )
    client.cookies[cookie_name] = cookie_value
    pages = {
        "overview": f"/fakturering/?period={PERIOD}",
        "municipality": f"/fakturering/kommun/{invoice.municipality_id}/?period={PERIOD}",
        "invoice": f"/fakturering/underlag/{invoice.pk}/",
    }
    out["dashboard"] = {}
    for name, url in pages.items():
        times: list[float] = []
        c = QueryCounter()
        cpu: list[float] = []
        for i in range(repeats + 3):
            q = QueryCounter()
            t = time.perf_counter()
            c0 = _cpu_seconds() + (_backend_cpu_seconds() or 0)
            with connection.execute_wrapper(q):
                r = client.get(url, HTTP_HOST="127.0.0.1")
            elapsed = (time.perf_counter() - t) * 1000
            spent = (_cpu_seconds() + (_backend_cpu_seconds() or 0) - c0) * 1000
            assert r.status_code == 200, (url, r.status_code)
            if i >= 3:  # warm-up
                times.append(elapsed)
                cpu.append(spent)
                c = q
        times.sort()
        out["dashboard"][name] = {
            "url": url,
            "p50_ms": round(statistics.median(times), 1),
            "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 1),
            "max_ms": round(times[-1], 1),
            "queries": c.count,
            # Python and PostgreSQL CPU of a request (10 ms clock ticks): its cost on an
            # idle machine, where the wall time above is inflated by the load.
            "cpu_p50_ms": round(statistics.median(cpu), 1),
        }
        print(f"  {name}: {out['dashboard'][name]}", flush=True)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = run.data_bench_parser(__doc__, repeats=20)
    args = parser.parse_args(argv)
    if args.phase == "measure":
        generate.setup_django(database_url(args))
        print(json.dumps(measure(namespace="bench", repeats=args.repeats)), flush=True)
        return 0

    def make() -> dict[str, Any]:
        counts = generate_billing(namespace="bench", seed=args.seed)
        if args.database == "postgres":
            from django.db import connection

            with connection.cursor() as cur:
                cur.execute("ANALYZE")
        return counts

    return run.generate_and_measure(
        args,
        database=database_name(args),
        kind="billing",
        script=__file__,
        what="billing data",
        data_key="billing_data",
        generated=lambda: billing_generated("bench"),
        make=make,
    )


if __name__ == "__main__":
    raise SystemExit(main())
