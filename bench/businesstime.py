"""Measure the pure SLA module: due times per second on the demo calendar "Servicedesk Dalsland".

    .venv/bin/python bench/businesstime.py
    .venv/bin/python bench/businesstime.py --count 200000 --repeats 5

Issue 8's target: at least 50,000 due times per second. A due time is one
`add_business_time(calendar, reported_at, target)` with `reported_at` spread over two years
(minute resolution, any hour, weekends and holidays included) and the targets of the default
policies (response / resolution in business hours: P1 0.5/4, P2 1/8, P3 4/24, P4 8/40,
P5 16/80). Also measured: `business_time_between` over the same spans (accrued time), and a
cold pass on a fresh calendar (the per-day cache empty), as a worker sees it after a restart.
No database, no Django. Writes bench/results/businesstime-<UTC timestamp>.json and
bench/results/latest-businesstime.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
RESULTS_DIR = BENCH_DIR / "results"
sys.path.insert(0, str(REPO_DIR / "src"))

from itfabrik.servicedesk.businesstime import (  # noqa: E402
    Calendar,
    add_business_time,
    business_time_between,
    swedish_closed_days,
)

TARGET_PER_SECOND = 50_000
# (response, resolution) business hours of the default policies, issue 8 point 14.
POLICIES = {"P1": (0.5, 4), "P2": (1, 8), "P3": (4, 24), "P4": (8, 40), "P5": (16, 80)}


def dalsland(years: range) -> Calendar:
    workday = ((dt.time(8), dt.time(16, 30)),)
    return Calendar(
        timezone="Europe/Stockholm",
        week=(workday,) * 5 + ((), ()),
        closed_days=swedish_closed_days(years),
    )


def cases(count: int, seed: int) -> list[tuple[datetime, timedelta]]:
    rng = random.Random(seed)
    zone = ZoneInfo("Europe/Stockholm")
    base = datetime(2026, 1, 1, tzinfo=dt.UTC)
    targets = [timedelta(hours=h) for pair in POLICIES.values() for h in pair]
    return [
        (
            (base + timedelta(minutes=rng.randrange(2 * 365 * 24 * 60))).astimezone(zone),
            rng.choice(targets),
        )
        for _ in range(count)
    ]


def per_second(
    work: list[tuple[datetime, timedelta]], cal: Calendar
) -> tuple[float, float, list[datetime]]:
    """Due times per second of wall time and per second of this process's CPU time: on a
    shared machine the second is what the code costs, the first what the machine gave it."""
    t0, c0 = time.perf_counter(), time.process_time()
    due = [add_business_time(cal, start, target) for start, target in work]
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    return len(work) / wall, len(work) / max(cpu, 1e-9), due


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="due times per second of servicedesk.businesstime")
    p.add_argument("--count", type=int, default=100_000, help="due times per timed pass")
    p.add_argument("--repeats", type=int, default=3, help="warm passes; the best is reported")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--label", default="", help="suffix of the result file names")
    args = p.parse_args(argv)
    if args.count < 1 or args.repeats < 1:
        p.error("count and repeats must be positive")

    years = range(2025, 2031)
    work = cases(args.count, args.seed)
    loadavg_before = [round(x, 2) for x in os.getloadavg()]

    cold, cold_cpu, _ = per_second(work, dalsland(years))  # a new calendar: empty day cache
    cal = dalsland(years)
    warm_runs, warm_cpu_runs = [], []
    for _ in range(args.repeats):
        rate, cpu_rate, due = per_second(work, cal)
        warm_runs.append(rate)
        warm_cpu_runs.append(cpu_rate)
    warm = max(warm_runs)

    t0 = time.perf_counter()
    for (start, _), end in zip(work, due, strict=True):
        business_time_between(cal, start, end)
    between = len(work) / (time.perf_counter() - t0)

    # Check what was timed, so a broken module cannot post a fast number.
    wrong = sum(
        business_time_between(cal, start, end) != target
        for (start, target), end in zip(work[:2000], due, strict=False)
    )
    spans = [end - start for (start, _), end in zip(work, due, strict=True)]

    git = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=REPO_DIR, capture_output=True, text=True
    )
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    result = {
        "benchmark": "businesstime",
        "timestamp": stamp,
        "count": args.count,
        "repeats": args.repeats,
        "seed": args.seed,
        "calendar": "Servicedesk Dalsland (Mon–Fri 08:00–16:30 Europe/Stockholm, holidays, eves)",
        "targets_hours": POLICIES,
        "due_times_per_second": {
            "warm_best": round(warm),
            "warm_runs": [round(r) for r in warm_runs],
            "cold": round(cold),
            "per_cpu_second_warm_best": round(max(warm_cpu_runs)),
            "per_cpu_second_cold": round(cold_cpu),
        },
        "business_time_between_per_second": round(between),
        "checked_round_trips": min(2000, len(work)),
        "wrong_round_trips": wrong,
        "mean_real_span_hours": round(sum(s.total_seconds() for s in spans) / len(spans) / 3600, 1),
        "target": {
            "due_times_per_second_at_least": TARGET_PER_SECOND,
            "met": warm >= TARGET_PER_SECOND,
        },
        "environment": {
            "git_commit": git.stdout.strip(),
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "machine": platform.machine(),
            # Other work on the machine skews every number; the load average makes that visible.
            "loadavg_before": loadavg_before,
            "loadavg_after": [round(x, 2) for x in os.getloadavg()],
        },
    }
    RESULTS_DIR.mkdir(exist_ok=True)
    text = json.dumps(result, indent=2, ensure_ascii=False)
    name = "businesstime" + (f"-{args.label}" if args.label else "")
    (RESULTS_DIR / f"{name}-{stamp}.json").write_text(text)
    (RESULTS_DIR / f"latest-{name}.json").write_text(text)

    print(f"due times per second (warm, best of {args.repeats}): {warm:,.0f}")
    print(f"due times per second (cold cache):          {cold:,.0f}")
    print(
        f"due times per CPU second (warm / cold):     {max(warm_cpu_runs):,.0f} / {cold_cpu:,.0f}"
    )
    print(f"business_time_between per second:           {between:,.0f}")
    print(f"target (>= {TARGET_PER_SECOND:,} due times/s) met: {result['target']['met']}")
    if wrong:
        print(f"{wrong} due times do not measure back to their target", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
