"""The service desk at national scale: an agent's queue, a ticket with 50 replies and ticket
creation through the API, on 1,000,000 tickets (issue 8).

Usage (from the repository root):

    .venv/bin/python bench/servicedesk.py --scale national                 # PostgreSQL
    .venv/bin/python bench/servicedesk.py --database sqlite --scale national
    .venv/bin/python bench/servicedesk.py --scale tiny --fresh --repeats 5  # quick look

It builds on the organisation data set of `generate.py`, in a database of its own
(`itfabrik_bench_desk_<scale>`), and adds per cooperation what the Dalsland demo's service desk
has — the calendar "Servicedesk" (Monday to Friday 08:00-16:30, holidays and eves closed), the
default policies P1-P5 and seven assignment groups, written through the services — and then, with
bulk inserts (the services would write an audit row per ticket), TICKETS tickets over the past
year in all (the same share per municipality at smaller scales), about OPEN_SHARE of them open,
spread over the groups, with due times; every tenth ticket has a reply, and one ticket per
cooperation has LONG_THREAD replies.

Then, in a fresh child process, it measures in process (server time, no network):
- the agent's queue page (the first-line group, open, by resolution due, 50 per page) and the
  same list through the API;
- the page of the ticket with LONG_THREAD replies;
and, with gunicorn (`--workers`, 2 by default) and `--concurrency` clients posting for
`--seconds`, the rate of ticket creation through `POST /api/v1/tickets/`. The tickets it creates
are deleted before and after the measurement, so that each run meets the data set as generated.

Targets (issue 8): queue p95 under 50 ms on PostgreSQL (150 ms on SQLite); the long ticket under
100 ms; at least 150 created tickets per second with two workers on PostgreSQL. Nothing here
asserts a time: the results go to bench/results/servicedesk-<database>-<scale>-<UTC>.json and
latest-servicedesk-<database>-<scale>.json, with the load average, since other work on the
machine inflates every number.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import random
import statistics
import sys
import threading
import time
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
sys.path.insert(0, str(REPO_DIR))

from bench import generate, run  # noqa: E402
from bench.billing import (  # noqa: E402
    BATCH,
    QueryCounter,
    _insert,
    _scaled,
)

TICKETS = 1_000_000
OPEN_SHARE = 0.12
LONG_THREAD = 50
FIRST_LINE_SHARE = 0.45
IMPACTS = ("high", "medium", "low")
TITLES = (
    "Kan inte logga in",
    "Skrivaren skriver inte ut",
    "Outlook startar inte",
    "Wi-Fi fungerar inte",
    "Beställning av programvara",
    "Telefonen ringer inte",
    "Verksamhetssystemet är långsamt",
)


def database_name(args: argparse.Namespace) -> str:
    return f"itfabrik_bench_desk_{args.scale}"


def database_url(args: argparse.Namespace) -> str:
    return run.database_url(args, database_name(args))


def _flush(model: Any, rows: list[Any], counts: dict[str, int], key: str) -> list[Any]:
    """Insert a batch, count it, and return the empty list the next batch starts from."""
    _insert(model, rows)
    counts[key] += len(rows)
    return []


def desk_generated(namespace: str) -> bool:
    from itfabrik.servicedesk.models import Ticket

    return Ticket.objects.filter(cooperation__slug__startswith=f"{namespace}-").exists()


def _desk_setup(coop: Any, lead: Any) -> tuple[dict[str, Any], list[Any]]:
    """The demo's calendar, policies and groups for one cooperation, through the services."""
    from itfabrik.core.actors import SYSTEM
    from itfabrik.servicedesk import demo, services

    policies = demo.calendar_and_policies(coop, name="Servicedesk")
    # `lead` leads the first-line group only: the queue measured is one group's.
    groups = [
        services.group_create(
            actor=SYSTEM, cooperation=coop, name=name, kind=kind, lead=lead if i == 0 else None
        )
        for i, (name, kind, _team) in enumerate(demo.GROUPS)
    ]
    return policies, groups


def generate_desk(*, namespace: str, seed: int, verbose: bool = True) -> dict[str, int]:
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.utils import timezone

    from itfabrik.core.actors import SYSTEM
    from itfabrik.servicedesk import rules, services
    from itfabrik.servicedesk.choices import (
        Channel,
        EntryKind,
        TicketStatus,
        TicketType,
    )
    from itfabrik.servicedesk.models import Ticket, TicketEntry
    from itfabrik.tenancy.choices import NodeKind
    from itfabrik.tenancy.models import Cooperation, OrgNode

    User = get_user_model()
    rng = random.Random(seed)
    now = timezone.now()
    coops = list(Cooperation.objects.filter(slug__startswith=f"{namespace}-").order_by("slug"))
    municipalities = OrgNode.objects.filter(
        cooperation__in=coops, kind=NodeKind.MUNICIPALITY
    ).count()
    total = min(TICKETS, _scaled(TICKETS, municipalities))
    per_coop = max(LONG_THREAD, total // max(1, len(coops)))
    agent = User.objects.get(username=f"{namespace}-bench-agent")
    open_statuses = [
        TicketStatus.NEW,
        TicketStatus.ASSIGNED,
        TicketStatus.IN_PROGRESS,
        TicketStatus.WAITING_REQUESTER,
        TicketStatus.WAITING_SUPPLIER,
    ]
    counts = {"tickets": 0, "entries": 0, "cooperations": len(coops)}
    for index, coop in enumerate(coops):
        started = time.monotonic()
        with transaction.atomic():
            # The bench agent leads and works in its own cooperation's first-line group only,
            # as an agent does: "my groups" are one group, not every cooperation's.
            own = agent.home_unit is not None and agent.home_unit.cooperation_id == coop.pk
            policies, groups = _desk_setup(coop, agent if own else None)
            if own:
                services.group_add_members(actor=SYSTEM, group=groups[0], users=[agent])
            users = list(
                User.objects.filter(home_unit__cooperation=coop, is_active=True)
                .exclude(home_unit__municipality=None)
                .values_list("pk", "home_unit_id", "home_unit__municipality_id")[:2000]
            )
            if not users:
                continue
            tickets = []
            for n in range(per_coop):
                requester, unit, municipality = rng.choice(users)
                impact, urgency = rng.choice(IMPACTS), rng.choice(IMPACTS)
                priority = rules.DEFAULT_MATRIX[(impact, urgency)]
                reported = now - dt.timedelta(minutes=rng.randint(30, 365 * 24 * 60))
                is_open = rng.random() < OPEN_SHARE or n == 0
                status = (
                    rng.choice(open_statuses)
                    if is_open
                    else rng.choice([TicketStatus.RESOLVED, TicketStatus.CLOSED])
                )
                group = groups[0] if rng.random() < FIRST_LINE_SHARE else rng.choice(groups[1:])
                policy = policies[priority]
                response_due = reported + dt.timedelta(minutes=policy.response_minutes * 2)
                resolution_due = reported + dt.timedelta(
                    minutes=policy.resolution_minutes * rng.uniform(1.5, 3.5)
                )
                resolved_at = None if is_open else reported + dt.timedelta(hours=rng.randint(1, 80))
                tickets.append(
                    Ticket(
                        cooperation_id=coop.pk,
                        reference=f"B{index:03d}-{n:08d}",
                        type=rng.choice([TicketType.INCIDENT, TicketType.SERVICE_REQUEST]),
                        title=rng.choice(TITLES),
                        description="Genererat för mätning.",
                        requester_id=requester,
                        municipality_id=municipality,
                        unit_id=unit,
                        channel=rng.choice([Channel.PORTAL, Channel.PHONE, Channel.EMAIL]),
                        impact=impact,
                        urgency=urgency,
                        priority=priority,
                        group_id=group.pk,
                        status=status,
                        reported_at=reported,
                        created_by_id=requester,
                        policy_id=policy.pk,
                        response_due=response_due,
                        resolution_due=resolution_due,
                        first_response_at=None if is_open else response_due,
                        resolved_at=resolved_at,
                        closed_at=resolved_at if status == TicketStatus.CLOSED else None,
                        clock_started_at=reported,
                    )
                )
                if len(tickets) >= BATCH:
                    tickets = _flush(Ticket, tickets, counts, "tickets")
            _flush(Ticket, tickets, counts, "tickets")
            # Replies: one on every tenth ticket, LONG_THREAD on the cooperation's first one.
            ids = list(
                Ticket.objects.filter(cooperation=coop)
                .order_by("reference")
                .values_list("pk", "requester_id")
            )
            entries = []
            for i, (pk, requester) in enumerate(ids):
                replies = LONG_THREAD if i == 0 else (1 if i % 10 == 0 else 0)
                for r in range(replies):
                    entries.append(
                        TicketEntry(
                            ticket_id=pk,
                            kind=EntryKind.PUBLIC if r % 3 else EntryKind.INTERNAL,
                            author_id=agent.pk if r % 2 == 0 else requester,
                            body=f"Svar {r + 1}: vi tittar på det och återkommer.",
                        )
                    )
                if len(entries) >= BATCH:
                    entries = _flush(TicketEntry, entries, counts, "entries")
            _flush(TicketEntry, entries, counts, "entries")
        if verbose:
            print(
                f"  {coop.slug}: {per_coop} tickets in {time.monotonic() - started:.1f} s",
                flush=True,
            )
    if connection.vendor == "postgresql":
        # VACUUM too: a million freshly copied rows have neither hint bits nor a visibility map,
        # so the first measurement would pay for setting them (and the index-only count of the
        # queue would read the heap). Outside a transaction, as VACUUM requires.
        with connection.cursor() as cur:
            cur.execute("VACUUM (ANALYZE) servicedesk_ticket")
            cur.execute("VACUUM (ANALYZE) servicedesk_ticketentry")
    return counts


def _timed(client: Any, url: str, repeats: int, **extra: Any) -> dict[str, Any]:
    from django.db import connection

    times: list[float] = []
    queries = 0
    for i in range(repeats + 3):
        counter = QueryCounter()
        t = time.perf_counter()
        with connection.execute_wrapper(counter):
            r = client.get(url, HTTP_HOST="127.0.0.1", **extra)
        elapsed = (time.perf_counter() - t) * 1000
        assert r.status_code == 200, (url, r.status_code)
        if i >= 3:  # warm-up
            times.append(elapsed)
            queries = counter.count
    times.sort()
    return {
        "url": url,
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 1),
        "max_ms": round(times[-1], 1),
        "queries": queries,
        "n": len(times),
    }


def measure_pages(*, namespace: str, repeats: int) -> dict[str, Any]:
    from django.test import Client
    from django.urls import reverse

    from itfabrik.accounts.models import User
    from itfabrik.servicedesk.models import Ticket, TicketEntry

    agent = User.objects.get(username=f"{namespace}-bench-agent")
    coop_id = agent.home_unit.cooperation_id  # type: ignore[union-attr]
    users = generate.bench_users(namespace=namespace, seed=1)["users"]
    client = Client()
    name, value = run.session_cookie(agent.pk, users["agent"]["otp_device"]).split("=")
    client.cookies[name] = value
    long_ticket = (
        Ticket.objects.filter(cooperation_id=coop_id).order_by("reference").values("pk").first()
    )
    assert long_ticket is not None
    replies = TicketEntry.objects.filter(ticket_id=long_ticket["pk"]).count()
    out: dict[str, Any] = {
        "tickets": Ticket.objects.filter(cooperation__slug__startswith=f"{namespace}-").count(),
        "queue_size": Ticket.objects.filter(
            cooperation_id=coop_id,
            group__memberships__user=agent,
            status__in=["new", "assigned", "in_progress", "waiting_requester", "waiting_supplier"],
        ).count(),
    }
    pages = {
        "queue": reverse("servicedesk:queue"),
        "ticket_with_replies": reverse("servicedesk:ticket_detail", args=[long_ticket["pk"]]),
    }
    for key, url in pages.items():
        out[key] = _timed(client, url, repeats)
        print(f"  {key}: {out[key]}", flush=True)
    out["ticket_with_replies"]["replies"] = replies
    api = Client()
    auth = {"HTTP_AUTHORIZATION": f"Token {users['agent']['token']}"}
    out["api_queue"] = _timed(
        api, "/api/v1/tickets/?open=true&ordering=resolution_due", repeats, **auth
    )
    print(f"  api_queue: {out['api_queue']}", flush=True)
    return out


CREATED_TITLE = "Mätning: skrivaren skriver inte ut"
CREATED_DESCRIPTION = "Skapat av bench/servicedesk.py."


def remove_created(*, namespace: str) -> int:
    """Delete the tickets earlier creation phases added, so that every run measures the data set
    as generated: they all went to the agent's first-line group, and its queue count grows with
    them (915 open tickets when generated, 6,895 after two runs)."""
    from itfabrik.servicedesk.models import Ticket

    deleted, _ = Ticket.objects.filter(
        cooperation__slug__startswith=f"{namespace}-",
        title=CREATED_TITLE,
        description=CREATED_DESCRIPTION,
    ).delete()
    return deleted


def measure_creation(args: argparse.Namespace, *, namespace: str) -> dict[str, Any]:
    """Clients posting tickets as the agent to gunicorn for `args.seconds` seconds."""
    from itfabrik.accounts.models import User

    users = generate.bench_users(namespace=namespace, seed=1)["users"]
    token = users["agent"]["token"]
    agent = User.objects.get(username=f"{namespace}-bench-agent")
    requesters = list(
        User.objects.filter(
            home_unit__cooperation_id=agent.home_unit.cooperation_id,  # type: ignore[union-attr]
            home_unit__municipality__isnull=False,
            is_active=True,
        ).values_list("pk", flat=True)[:500]
    )
    port = run.free_port()
    access_log = run.VAR_DIR / "gunicorn-desk-access.log"
    access_log.unlink(missing_ok=True)
    proc = run.start_server(args, port, access_log, database=database_url(args))
    created = 0
    errors = 0
    latencies: list[float] = []
    lock = threading.Lock()
    stop_at = 0.0

    def client(seed: int) -> None:
        nonlocal created, errors
        rng = random.Random(seed)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=run.REQUEST_TIMEOUT)
        try:
            while time.monotonic() < stop_at:
                body = json.dumps(
                    {
                        "title": CREATED_TITLE,
                        "description": CREATED_DESCRIPTION,
                        "requester": rng.choice(requesters),
                        "impact": rng.choice(IMPACTS),
                        "urgency": rng.choice(IMPACTS),
                        "channel": "phone",
                    }
                )
                t = time.perf_counter()
                conn.request(
                    "POST",
                    "/api/v1/tickets/",
                    body=body,
                    headers={
                        "Authorization": f"Token {token}",
                        "Content-Type": "application/json",
                        "Host": "127.0.0.1",
                        "X-Bench-Tag": "create|conc",
                    },
                )
                resp = conn.getresponse()
                resp.read()
                with lock:
                    latencies.append((time.perf_counter() - t) * 1000)
                    if resp.status == 201:
                        created += 1
                    else:
                        errors += 1
        finally:
            conn.close()

    try:
        run.wait_ready(proc, port)
        stop_at = time.monotonic() + 2  # warm-up
        client(0)
        created = errors = 0
        latencies.clear()
        threads = [threading.Thread(target=client, args=(i + 1,)) for i in range(args.concurrency)]
        started = time.monotonic()
        stop_at = started + args.seconds
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.monotonic() - started
    finally:
        run.stop_server(proc)
    return {
        "workers": args.workers,
        "concurrency": args.concurrency,
        "seconds": round(wall, 1),
        "created": created,
        "errors": errors,
        "per_second": round(created / wall, 1),
        "client_ms": run.percentiles(latencies),
    }


def main(argv: list[str] | None = None) -> int:
    parser = run.data_bench_parser(__doc__, repeats=30)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--concurrency", type=int, default=8, help="clients creating tickets")
    parser.add_argument("--seconds", type=float, default=15.0, help="length of creation phase")
    args = parser.parse_args(argv)
    if args.phase == "measure":
        generate.setup_django(database_url(args))
        removed = remove_created(namespace="bench")
        result = {"pages": measure_pages(namespace="bench", repeats=args.repeats)}
        result["creation"] = measure_creation(args, namespace="bench")
        result["creation"]["removed_before"] = removed
        print(f"  creation: {result['creation']}", flush=True)
        remove_created(namespace="bench")
        print(json.dumps(result), flush=True)
        return 0

    return run.generate_and_measure(
        args,
        database=database_name(args),
        kind="servicedesk",
        script=__file__,
        what="service desk data",
        data_key="desk_data",
        generated=lambda: desk_generated("bench"),
        make=lambda: generate_desk(namespace="bench", seed=args.seed),
    )


if __name__ == "__main__":
    raise SystemExit(main())
