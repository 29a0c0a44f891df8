"""Measure itfabrik against a real server: latency percentiles, throughput and query counts.

    .venv/bin/python bench/run.py --database postgres --scale national
    .venv/bin/python bench/run.py --database sqlite --scale tiny --requests 100

Steps: create and migrate the bench database, generate the data set (or reuse it), count the
queries of every measured request in-process, start gunicorn with the production settings,
send the requests from this process over loopback, stop the server, write the results.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import http.client
import json
import math
import os
import platform
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
VAR_DIR = BENCH_DIR / "var"
RESULTS_DIR = BENCH_DIR / "results"
sys.path.insert(0, str(REPO_DIR))

from bench import generate  # noqa: E402

PAGE_SIZE = 50
TARGET_P95_MS = 100.0
SERVER_START_TIMEOUT = 60.0
REQUEST_TIMEOUT = 60.0
IN_PROCESS_REPEATS = 20


@dataclass
class Endpoint:
    name: str
    path: str
    user: str  # a key of generate.BENCH_ROLES
    auth: str  # "token" or "session"
    headers: dict[str, str] = field(default_factory=dict)
    result: dict[str, Any] = field(default_factory=dict)


# --- database ------------------------------------------------------------------------------


def database_url(args: argparse.Namespace, name: str | None = None) -> str:
    """The bench database: `itfabrik_bench_<scale>`, or `name` for a benchmark that keeps its
    data apart (billing, service desk)."""
    name = name or f"itfabrik_bench_{args.scale}"
    if args.database == "postgres":
        url = f"{args.postgres.rstrip('/')}/{name}"
        if args.pg_options:
            # Connection options (e.g. "-c jit=off") try a server setting without touching src.
            url += "?options=" + urllib.parse.quote(args.pg_options)
        return url
    return f"sqlite:///{VAR_DIR / f'{name}.sqlite3'}"


def prepare_database(args: argparse.Namespace, name: str | None = None) -> None:
    """Create the database (dropping it first with --fresh); migrations run afterwards."""
    name = name or f"itfabrik_bench_{args.scale}"
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    if args.database == "sqlite":
        db = VAR_DIR / f"{name}.sqlite3"
        if args.fresh:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{db}{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    with psycopg.connect(f"{args.postgres.rstrip('/')}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and args.fresh:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def setup(args: argparse.Namespace, name: str | None = None) -> dict[str, Any]:
    """Database, migrations, static files (pages render with production storage) and the
    organisation data set."""
    prepare_database(args, name)
    generate.setup_django(database_url(args, name))
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    # The production static storage needs its manifest, or every page fails to render.
    call_command("collectstatic", interactive=False, verbosity=0)
    started = time.monotonic()
    data = generate.generate(scale=args.scale, seed=args.seed, verbose=True)
    data["generate_seconds"] = round(time.monotonic() - started, 1)
    if args.database == "postgres":
        from django.db import connection

        with connection.cursor() as cur:
            # Fresh bulk-loaded tables have no statistics until autovacuum comes round.
            cur.execute("ANALYZE")
    return data


def measure_in_child(script: str) -> dict[str, Any] | None:
    """Run `script --phase measure` with this process's arguments in a fresh process (so that
    its peak memory and caches are the measurement's, not the generator's); print its progress
    and return the JSON of its last line, or None when it failed."""
    from django.db import connections

    connections.close_all()
    child = subprocess.run(
        [sys.executable, script, "--phase", "measure", *sys.argv[1:]],
        capture_output=True,
        text=True,
        check=False,
    )
    sys.stderr.write(child.stderr)
    if child.returncode != 0:
        print(child.stdout)
        return None
    print(child.stdout.rstrip().rsplit("\n", 1)[0], flush=True)
    result: dict[str, Any] = json.loads(child.stdout.rstrip().rsplit("\n", 1)[-1])
    return result


def save_result(kind: str, args: argparse.Namespace, record: dict[str, Any]) -> None:
    """bench/results/<kind>-<database>-<scale>[-label]-<UTC>.json and its latest-* copy."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    suffix = f"-{args.label}" if args.label else ""
    record = {
        "database": args.database,
        "scale": args.scale,
        "load_average": os.getloadavg(),
        "cpu_count": os.cpu_count(),
        **record,
    }
    RESULTS_DIR.mkdir(exist_ok=True)
    name = f"{kind}-{args.database}-{args.scale}{suffix}"
    (RESULTS_DIR / f"{name}-{stamp}.json").write_text(json.dumps(record, indent=2, default=str))
    (RESULTS_DIR / f"latest-{name}.json").write_text(json.dumps(record, indent=2, default=str))
    print(f"-> bench/results/{name}-{stamp}.json", flush=True)


def data_bench_parser(doc: str | None, *, repeats: int) -> argparse.ArgumentParser:
    """The options every data bench (billing, servicedesk, assets, identity) takes; a bench adds
    its own before it parses."""
    parser = argparse.ArgumentParser(description=(doc or "").split("\n\n")[0])
    parser.add_argument("--database", choices=("postgres", "sqlite"), default="postgres")
    parser.add_argument("--scale", choices=sorted(generate.SCALES), default="national")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--pg-options", default="")
    parser.add_argument("--fresh", action="store_true", help="drop the bench database first")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=repeats, help="timed requests per page")
    parser.add_argument("--label", default="")
    parser.add_argument(
        "--phase", choices=("all", "measure"), default="all", help=argparse.SUPPRESS
    )
    return parser


def generate_and_measure(
    args: argparse.Namespace,
    *,
    kind: str,
    database: str,
    script: str,
    what: str,
    data_key: str,
    generated: Callable[[], bool],
    make: Callable[[], dict[str, Any]],
) -> int:
    """A data bench's whole run in its own database: the organisation data set, the bench's own
    data (reused when `generated()` says it is there, else `make()`), the measurement in a fresh
    process (`script --phase measure`) and the result file."""
    data = setup(args, database)
    started = time.monotonic()
    if generated():
        print(f"{what} already there: reused", flush=True)
        counts: dict[str, Any] = {"reused": True}
    else:
        counts = make()
    counts["generate_seconds"] = round(time.monotonic() - started, 1)
    print(f"{what}: {counts}", flush=True)
    result = measure_in_child(script)
    if result is None:
        return 1
    save_result(kind, args, {"organisation": data.get("counts", data), data_key: counts, **result})
    return 0


def session_cookie(user_id: int, otp_device: str | None) -> str:
    """A signed-in (and, for staff, TOTP-verified) session, as the login views would leave it."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from itfabrik.accounts.models import User

    user = User.objects.get(pk=user_id)
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    if otp_device:
        store["otp_device_id"] = otp_device
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def endpoints(users: dict[str, Any]) -> list[Endpoint]:
    from itfabrik.accounts.models import User
    from itfabrik.tenancy import selectors

    def last_page(role: str) -> int:
        actor = User.objects.get(pk=users[role]["id"])
        count = selectors.node_list(actor=actor, include_inactive=True).count()
        return max(1, math.ceil(count / PAGE_SIZE))

    api = "/api/v1/organisations/"
    out = [
        Endpoint("home end_user", "/", "end_user", "session"),
        Endpoint("home admin", "/", "admin", "session"),
        Endpoint("orgs end_user", api, "end_user", "token"),
        Endpoint("orgs agent", api, "agent", "token"),
        Endpoint("orgs admin", api, "admin", "token"),
        Endpoint("orgs superuser", api, "superuser", "token"),
        Endpoint("orgs kind=municipality agent", f"{api}?kind=municipality", "agent", "token"),
        Endpoint(
            "orgs kind=municipality superuser", f"{api}?kind=municipality", "superuser", "token"
        ),
        Endpoint("orgs last page admin", f"{api}?page={last_page('admin')}", "admin", "token"),
        Endpoint(
            "orgs last page superuser",
            f"{api}?page={last_page('superuser')}",
            "superuser",
            "token",
        ),
    ]
    cookies: dict[str, str] = {}
    for ep in out:
        u = users[ep.user]
        if ep.auth == "token":
            ep.headers["Authorization"] = f"Token {u['token']}"
        else:
            if ep.user not in cookies:
                cookies[ep.user] = session_cookie(u["id"], u.get("otp_device"))
            ep.headers["Cookie"] = cookies[ep.user]
    return out


# --- in-process query counts ---------------------------------------------------------------


def count_queries(eps: list[Endpoint], explain: bool) -> None:
    """The same requests through Django's test client, with every query captured."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    for ep in eps:
        client = Client(headers=ep.headers, HTTP_HOST="127.0.0.1")
        client.get(ep.path)  # first request of a user fills caches the others do not repeat
        # CPU time of this process is far less disturbed by other load on the machine than wall
        # time: it shows what the Python side of a request costs (the database's CPU not included).
        walls, cpus = [], []
        for _ in range(IN_PROCESS_REPEATS):
            w0, c0 = time.perf_counter(), time.process_time()
            client.get(ep.path)
            walls.append((time.perf_counter() - w0) * 1000)
            cpus.append((time.process_time() - c0) * 1000)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(ep.path)
        body: Any = None
        if response.get("Content-Type", "").startswith("application/json"):
            body = response.json()
        queries = [
            {"ms": round(float(q["time"]) * 1000, 2), "sql": q["sql"]} for q in ctx.captured_queries
        ]
        ep.result.update(
            status=response.status_code,
            queries=len(queries),
            query_ms=round(sum(q["ms"] for q in queries), 2),
            rows_total=body.get("count") if isinstance(body, dict) else None,
            items=len(body["results"]) if isinstance(body, dict) and "results" in body else None,
            in_process={"wall_ms": percentiles(walls), "python_cpu_ms": percentiles(cpus)},
            slowest_query=max(queries, key=lambda q: q["ms"]) if queries else None,
        )
        if explain and connection.vendor == "postgresql":
            plans = []
            with connection.cursor() as cur:
                for q in sorted(queries, key=lambda q: -q["ms"])[:2]:
                    cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + q["sql"])
                    plans.append({"sql": q["sql"], "plan": "\n".join(r[0] for r in cur.fetchall())})
            ep.result["explain"] = plans


# --- server --------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(
    args: argparse.Namespace, port: int, access_log: Path, database: str | None = None
) -> subprocess.Popen[bytes]:
    """gunicorn on `port` against `database` (default: this runner's bench database)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "itfabrik.config.settings.prod",
        "SECRET_KEY": "bench",
        "SECURE_SSL_REDIRECT": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DEBUG": "false",
        "DATABASE_URL": database or database_url(args),
        "ITFABRIK_DATA_DIR": str(VAR_DIR),
    }
    cmd = [
        str(Path(sys.executable).with_name("gunicorn")),
        "itfabrik.config.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(args.workers),
        "--access-logfile",
        str(access_log),
        # %(D)s is the time gunicorn spent on the request in microseconds: the server time.
        "--access-logformat",
        "%({x-bench-tag}i)s %(s)s %(D)s",
        "--error-logfile",
        str(VAR_DIR / "gunicorn-error.log"),
        "--timeout",
        "120",
    ]
    # A session of its own, so stopping it reaches the workers and nothing else.
    return subprocess.Popen(cmd, env=env, cwd=REPO_DIR, start_new_session=True)


def wait_ready(proc: subprocess.Popen[bytes], port: int) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {proc.returncode}, see bench/var/*.log")
        with contextlib.suppress(OSError):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/konto/logga-in/")
            conn.getresponse().read()
            conn.close()
            return
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer in time")


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=15)


# --- load ----------------------------------------------------------------------------------


def percentiles(values: list[float]) -> dict[str, float]:
    if not values:
        return {}
    s = sorted(values)

    def rank(p: float) -> float:
        return s[min(len(s) - 1, max(0, math.ceil(p / 100 * len(s)) - 1))]

    return {
        "p50": round(rank(50), 2),
        "p95": round(rank(95), 2),
        "p99": round(rank(99), 2),
        "mean": round(sum(s) / len(s), 2),
        "max": round(s[-1], 2),
        "n": len(s),
    }


def fire(port: int, ep: Endpoint, tag: str, count: int) -> tuple[list[float], int]:
    """`count` sequential requests; returns client latencies (ms) and the number of errors."""
    headers = {**ep.headers, "X-Bench-Tag": tag, "Host": "127.0.0.1"}
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
    times: list[float] = []
    errors = 0
    try:
        for _ in range(count):
            t0 = time.perf_counter()
            conn.request("GET", ep.path, headers=headers)
            resp = conn.getresponse()
            resp.read()
            times.append((time.perf_counter() - t0) * 1000)
            if resp.status != 200:
                errors += 1
    finally:
        conn.close()
    return times, errors


def measure(args: argparse.Namespace, port: int, ep: Endpoint) -> None:
    slug = ep.name.replace(" ", "_")
    fire(port, ep, f"{slug}|warmup", args.warmup)
    t0 = time.perf_counter()
    times, errors = fire(port, ep, f"{slug}|seq", args.requests)
    wall = time.perf_counter() - t0
    ep.result["client_ms"] = percentiles(times)
    ep.result["sequential_rps"] = round(len(times) / wall, 1)
    ep.result["errors"] = errors
    if args.concurrency > 1:
        per = max(1, args.requests // args.concurrency)
        results: list[tuple[list[float], int]] = []
        lock = threading.Lock()

        def worker() -> None:
            r = fire(port, ep, f"{slug}|conc", per)
            with lock:
                results.append(r)

        threads = [threading.Thread(target=worker) for _ in range(args.concurrency)]
        t0 = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=REQUEST_TIMEOUT * per)
        wall = time.perf_counter() - t0
        all_times = [x for r in results for x in r[0]]
        ep.result["concurrent"] = {
            "concurrency": args.concurrency,
            "rps": round(len(all_times) / wall, 1),
            "client_ms": percentiles(all_times),
            "errors": sum(r[1] for r in results),
        }
    print(
        f"  {ep.name:34} p50 {ep.result['client_ms']['p50']:7.1f} ms  "
        f"p95 {ep.result['client_ms']['p95']:7.1f} ms  "
        f"{ep.result['sequential_rps']:6.1f} req/s  queries {ep.result.get('queries')}",
        flush=True,
    )


def server_times(access_log: Path, eps: list[Endpoint]) -> None:
    by_tag: dict[str, list[float]] = defaultdict(list)
    for line in access_log.read_text().splitlines():
        parts = line.split()
        if len(parts) == 3 and "|" in parts[0]:
            by_tag[parts[0]].append(int(parts[2]) / 1000)
    for ep in eps:
        slug = ep.name.replace(" ", "_")
        ep.result["server_ms"] = percentiles(by_tag.get(f"{slug}|seq", []))
        if "concurrent" in ep.result:
            ep.result["concurrent"]["server_ms"] = percentiles(by_tag.get(f"{slug}|conc", []))


# --- main ----------------------------------------------------------------------------------


def environment(args: argparse.Namespace) -> dict[str, Any]:
    import django
    from django.db import connection

    git = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=REPO_DIR, capture_output=True, text=True
    )
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "src"], cwd=REPO_DIR, capture_output=True, text=True
    )
    with connection.cursor() as cur:
        cur.execute("SELECT version()" if connection.vendor == "postgresql" else "SELECT 1")
        server = cur.fetchone()[0] if connection.vendor == "postgresql" else None
    return {
        "git_commit": git.stdout.strip(),
        "src_modified": bool(dirty.stdout.strip()),
        "python": platform.python_version(),
        "django": django.get_version(),
        "database": connection.vendor,
        "database_version": server or f"SQLite {connection.Database.sqlite_version}",
        "cpus": os.cpu_count(),
        "machine": platform.machine(),
        "gunicorn_workers": args.workers,
        # Other work on the machine skews every number; the load average makes that visible.
        "loadavg_before": [round(x, 2) for x in os.getloadavg()],
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="itfabrik benchmark runner")
    p.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    p.add_argument("--scale", choices=sorted(generate.SCALES), default="small")
    p.add_argument("--requests", type=int, default=300, help="timed requests per endpoint")
    p.add_argument("--warmup", type=int, default=30)
    p.add_argument("--concurrency", type=int, default=4, help="clients of the throughput phase")
    p.add_argument("--workers", type=int, default=2, help="gunicorn workers (sync)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--fresh", action="store_true", help="drop the bench database first")
    p.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE slow queries (PG)")
    p.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    p.add_argument("--pg-options", default="", help='libpq options, e.g. "-c jit=off"')
    p.add_argument("--label", default="", help="suffix of the result file names")
    p.add_argument("--only", help="measure only endpoints whose name contains this")
    args = p.parse_args(argv)
    if args.requests < 1 or args.warmup < 0 or args.concurrency < 1:
        p.error("requests must be positive")

    print(f"preparing {args.database} / {args.scale}", flush=True)
    data = setup(args)
    print(f"data set {'reused' if data['reused'] else 'generated'}: {data['counts']}", flush=True)
    eps = endpoints(data["users"])
    if args.only:
        eps = [e for e in eps if args.only in e.name]
    count_queries(eps, args.explain)
    env = environment(args)
    from django.db import connections

    connections.close_all()  # SQLite: leave the file to the server

    port = free_port()
    access_log = VAR_DIR / f"access-{args.database}-{args.scale}.log"
    access_log.unlink(missing_ok=True)
    proc = start_server(args, port, access_log)
    try:
        wait_ready(proc, port)
        print(f"gunicorn on 127.0.0.1:{port} (pid {proc.pid}), {args.requests} requests each")
        for ep in eps:
            measure(args, port, ep)
    finally:
        stop_server(proc)
    server_times(access_log, eps)
    env["loadavg_after"] = [round(x, 2) for x in os.getloadavg()]

    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    result = {
        "database": args.database,
        "scale": args.scale,
        "timestamp": stamp,
        "requests": args.requests,
        "warmup": args.warmup,
        "concurrency": args.concurrency,
        "pg_options": args.pg_options,
        "environment": env,
        "data_set": data["counts"],
        "target": {"endpoint": "/api/v1/organisations/", "server_p95_ms_below": TARGET_P95_MS},
        "endpoints": {
            e.name: {"path": e.path, "user": e.user, "auth": e.auth, **e.result} for e in eps
        },
    }
    orgs = [e for e in eps if e.path.startswith("/api/v1/organisations/")]
    result["target"]["met"] = bool(orgs) and all(
        e.result.get("server_ms", {}).get("p95", math.inf) < TARGET_P95_MS for e in orgs
    )
    RESULTS_DIR.mkdir(exist_ok=True)
    text = json.dumps(result, indent=2, ensure_ascii=False)
    name = f"{args.database}-{args.scale}" + (f"-{args.label}" if args.label else "")
    (RESULTS_DIR / f"{name}-{stamp}.json").write_text(text)
    (RESULTS_DIR / f"latest-{name}.json").write_text(text)
    print(f"\n{'endpoint':34} {'server p50':>10} {'p95':>8} {'p99':>8} {'req/s':>7} {'queries':>7}")
    for e in eps:
        s = e.result.get("server_ms", {})
        print(
            f"{e.name:34} {s.get('p50', 0):10.1f} {s.get('p95', 0):8.1f} {s.get('p99', 0):8.1f} "
            f"{e.result.get('sequential_rps', 0):7.1f} {e.result.get('queries', 0):7}"
        )
    print(f"target (orgs p95 < {TARGET_P95_MS:.0f} ms) met: {result['target']['met']}")
    bad = [e.name for e in eps if e.result.get("status") != 200 or e.result.get("errors")]
    if bad:
        print(f"non-200 answers: {bad}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
