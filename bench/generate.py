"""Generate a national-scale organisation data set for the benchmarks.

Usage (from the repository root):

    .venv/bin/python bench/generate.py --scale national --database-url postgres://postgres@127.0.0.1:5432/itfabrik_bench_national

The data is written through the real models with bulk inserts; services would write an audit row
per node and hash a password per user, which turns minutes into hours at this size. Everything a
service would derive is derived here the same way (tree path/depth/numchild, `parent`,
`municipality`, `cooperation`, `Cooperation.root` and `.host`).

Re-running is safe: when the data set of this namespace is already there with the same shape the
generator changes nothing and only rewrites the bench-user file; when a different scale is there
it refuses (exit code 2). Start over by dropping the database (`bench/run.py --fresh`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import math
import os
import random
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
BENCH_PASSWORD = "bench-password-not-secret"
BATCH = 2000


@dataclass(frozen=True)
class Scale:
    cooperations: int
    municipalities: int
    users: int
    units: tuple[int, int] = (20, 40)
    administrations: tuple[int, int] = (3, 5)


SCALES = {
    "national": Scale(cooperations=60, municipalities=290, users=100_000),
    "small": Scale(cooperations=10, municipalities=48, users=10_000),
    "tiny": Scale(cooperations=2, municipalities=6, users=200),
}

# The bench users whose requests are measured; each gets a known API token.
BENCH_ROLES = ("end_user", "orderer", "agent", "technician", "admin", "superuser")


def setup_django(database_url: str | None = None) -> None:
    """Configure Django like production does, pointed at the bench database."""
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itfabrik.config.settings.prod")
    os.environ.setdefault("SECRET_KEY", "bench")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("ITFABRIK_DATA_DIR", str(BENCH_DIR / "var"))
    import django

    django.setup()


# --- names ---------------------------------------------------------------------------------

_PREFIXES = [
    "Alm",
    "Ask",
    "Berg",
    "Björk",
    "Dal",
    "Ek",
    "Fors",
    "Gran",
    "Hag",
    "Holm",
    "Lind",
    "Ljung",
    "Malm",
    "Norr",
    "Sjö",
    "Sand",
    "Sten",
    "Sunds",
    "Torp",
    "Vik",
    "Åker",
    "Öster",
    "Väster",
    "Söder",
    "Hav",
    "Mo",
    "Ny",
    "Rya",
    "Ström",
    "Kvarn",
]
_SUFFIXES = [
    "by",
    "backa",
    "bo",
    "fors",
    "hult",
    "köping",
    "lund",
    "näs",
    "red",
    "ryd",
    "stad",
    "sund",
    "vik",
    "å",
    "ås",
    "berga",
    "holm",
    "hed",
    "torp",
    "sjö",
]
_ADMINISTRATIONS = [
    "Kommunstyrelseförvaltningen",
    "Socialförvaltningen",
    "Barn- och utbildningsförvaltningen",
    "Samhällsbyggnadsförvaltningen",
    "Kultur- och fritidsförvaltningen",
]
_UNITS = [
    "Hemtjänst",
    "Särskilt boende",
    "Förskola",
    "Grundskola",
    "Gymnasieskola",
    "Elevhälsa",
    "Individ- och familjeomsorg",
    "LSS",
    "Bygg och miljö",
    "Gata och park",
    "Vatten och avlopp",
    "Fastighet",
    "Ekonomi",
    "HR",
    "Kommunikation",
    "Bibliotek",
    "Fritidsgård",
    "Kostenhet",
    "Räddningstjänst",
    "Kundtjänst",
]
_AREAS = ["norr", "söder", "öster", "väster", "centrum"]
_TEAMS = [
    ("Ledning", []),
    ("Support och drift – 1:a linjen", []),
    ("2:a linjen", ["Nätverk", "Identitet", "Verksamhetssystem"]),
    ("Specialister – 3:e linjen", []),
    ("Digitaliseringsenhet", []),
]
_FIRST = [
    "Anna",
    "Erik",
    "Maria",
    "Lars",
    "Karin",
    "Johan",
    "Sara",
    "Per",
    "Eva",
    "Nils",
    "Lena",
    "Oskar",
    "Ida",
    "Karl",
    "Elin",
    "Anders",
    "Maja",
    "Olof",
    "Frida",
    "Gustav",
]
_LAST = [
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Lind",
    "Berg",
    "Holm",
    "Ek",
    "Ström",
]


def token_key(namespace: str, seed: int, role: str) -> str:
    """A deterministic 40-character token, so a re-run and the runner agree without a lookup."""
    return hashlib.sha1(f"itfabrik-bench:{namespace}:{seed}:{role}".encode()).hexdigest()


# --- tree ----------------------------------------------------------------------------------


class _TreeBuilder:
    """Builds OrgNode objects with treebeard-compatible paths, then inserts them level by level."""

    def __init__(self, model: Any, first_root_position: int) -> None:
        self.model = model
        self.next_root = first_root_position
        self.children: dict[int, int] = defaultdict(int)
        self.by_depth: dict[int, list[Any]] = defaultdict(list)

    def _step(self, position: int) -> str:
        return self.model._get_path(None, 1, position)

    def add(self, parent: Any | None, **fields: Any) -> Any:
        if parent is None:
            path = self._step(self.next_root)
            self.next_root += 1
            depth = 1
        else:
            self.children[id(parent)] += 1
            path = parent.path + self._step(self.children[id(parent)])
            depth = parent.depth + 1
        if len(path) != depth * self.model.steplen:
            raise OverflowError(f"tree step overflow at {path}")
        node = self.model(path=path, depth=depth, numchild=0, parent=parent, **fields)
        self.by_depth[depth].append(node)
        return node

    def save(self) -> int:
        total = 0
        for depth in sorted(self.by_depth):
            nodes = self.by_depth[depth]
            for n in nodes:
                n.numchild = self.children.get(id(n), 0)
            # Parents were inserted with the previous level, so their pks are known now.
            self.model.objects.bulk_create(nodes, batch_size=BATCH)
            total += len(nodes)
        return total


def _municipality_name(rng: random.Random, used: set[str]) -> str:
    for _ in range(1000):
        name = rng.choice(_PREFIXES) + rng.choice(_SUFFIXES)
        if name not in used:
            used.add(name)
            return name
    name = f"{rng.choice(_PREFIXES)}{len(used)}"
    used.add(name)
    return name


def _split(rng: random.Random, total: int, parts: int, minimum: int) -> list[int]:
    sizes = [minimum] * parts
    for _ in range(total - minimum * parts):
        # Preferential attachment: a few large cooperations and many of two to five members.
        weights = [s * s for s in sizes]
        sizes[rng.choices(range(parts), weights=weights)[0]] += 1
    return sizes


def _free_codes(used: set[str], count: int) -> list[str]:
    # Counted down from 9999 so bench codes stay clear of real SCB codes (0114–2584).
    out: list[str] = []
    for n in range(9999, 999, -1):
        code = f"{n:04d}"
        if code not in used:
            out.append(code)
            if len(out) == count:
                return out
    raise RuntimeError("no free municipal codes left")


# --- generation ----------------------------------------------------------------------------


def existing(namespace: str) -> dict[str, int] | None:
    from itfabrik.accounts.models import User
    from itfabrik.tenancy.models import Cooperation, OrgNode

    coops = Cooperation.objects.filter(slug__startswith=f"{namespace}-")
    if not coops.exists():
        return None
    return {
        "cooperations": coops.count(),
        "municipalities": OrgNode.objects.filter(
            cooperation__in=coops, kind="municipality"
        ).count(),
        "users": User.objects.filter(username__startswith=f"{namespace}-u").count(),
    }


def generate(
    *, scale: str = "tiny", seed: int = 1, namespace: str = "bench", verbose: bool = False
) -> dict[str, Any]:
    """Create the data set; returns the bench users (username, id, token) and counts."""
    from django.db import transaction

    spec = SCALES[scale]
    found = existing(namespace)
    if found is not None:
        expected = {
            "cooperations": spec.cooperations,
            "municipalities": spec.municipalities,
            "users": spec.users,
        }
        if found != expected:
            raise AlreadyGenerated(
                f"namespace {namespace!r} holds {found}, not the {scale!r} scale {expected}"
            )
        return {"reused": True, "counts": found, **bench_users(namespace=namespace, seed=seed)}
    with transaction.atomic():
        counts = _generate(spec, seed=seed, namespace=namespace, verbose=verbose)
    return {"reused": False, "counts": counts, **bench_users(namespace=namespace, seed=seed)}


class AlreadyGenerated(Exception):
    pass


def _log(verbose: bool, started: float, msg: str) -> None:
    if verbose:
        print(f"[{time.monotonic() - started:7.1f}s] {msg}", flush=True)


def _generate(spec: Scale, *, seed: int, namespace: str, verbose: bool) -> dict[str, int]:
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from rest_framework.authtoken.models import Token

    from itfabrik.accounts.choices import Role
    from itfabrik.accounts.models import RoleAssignment, User
    from itfabrik.tenancy.choices import NodeKind, ServiceLine
    from itfabrik.tenancy.models import Cooperation, InhabitantCount, Membership, OrgNode, Position

    started = time.monotonic()
    rng = random.Random(seed)
    today = dt.date(2025, 6, 1)

    # New roots go after every existing root, exactly where add_root would put them.
    last_root = OrgNode.objects.get_last_root_node()
    first_pos = OrgNode._str2int(last_root.path[: OrgNode.steplen]) + 1 if last_root else 1
    tree = _TreeBuilder(OrgNode, first_pos)

    used_codes = set(
        OrgNode.objects.exclude(municipal_code="").values_list("municipal_code", flat=True)
    )
    codes = iter(_free_codes(used_codes, spec.municipalities))
    sizes = _split(rng, spec.municipalities, spec.cooperations, 2)

    coops = Cooperation.objects.bulk_create(
        [
            Cooperation(
                name=f"Benchsamverkan {namespace} {i + 1:02d}", slug=f"{namespace}-{i + 1:02d}"
            )
            for i in range(spec.cooperations)
        ]
    )
    used_names: set[str] = set()
    roots: list[Any] = []
    municipalities: list[Any] = []  # (node, cooperation)
    units_of: dict[int, list[Any]] = {}  # id(municipality) -> units
    admins_of: dict[int, list[Any]] = {}
    teams_of: dict[int, list[Any]] = {}  # cooperation index -> teams
    for ci, coop in enumerate(coops):
        root = tree.add(None, name=coop.name, kind=NodeKind.COOPERATION, cooperation=coop)
        roots.append(root)
        for _m in range(sizes[ci]):
            code = next(codes)
            mname = _municipality_name(rng, used_names)
            muni = tree.add(
                root,
                name=f"{mname} kommun",
                kind=NodeKind.MUNICIPALITY,
                cooperation=coop,
                municipality=None,
                municipal_code=code,
                email_domain=f"k{code}.bench.example",
            )
            municipalities.append((muni, ci))
            n_adm = rng.randint(*spec.administrations)
            n_units = rng.randint(*spec.units)
            admins = [
                tree.add(
                    muni,
                    name=_ADMINISTRATIONS[a],
                    kind=NodeKind.ADMINISTRATION,
                    cooperation=coop,
                    municipality=muni,
                )
                for a in range(n_adm)
            ]
            units: list[Any] = []
            sibling_names: dict[int, set[str]] = {}
            for u in range(n_units):
                # About one unit in eight sits below another unit (a sub-unit of a home care area).
                parent = rng.choice(units) if units and rng.random() < 0.125 else admins[u % n_adm]
                name = f"{rng.choice(_UNITS)} {rng.choice(_AREAS)}"
                # Open siblings may not share a name (tenancy_unique_open_sibling_name).
                taken = sibling_names.setdefault(id(parent), set())
                if name in taken:
                    name = f"{name} {u + 1}"
                taken.add(name)
                units.append(
                    tree.add(
                        parent,
                        name=name,
                        kind=NodeKind.UNIT,
                        cooperation=coop,
                        municipality=muni,
                        cost_centre=f"{code}-{u + 1:04d}",
                    )
                )
            admins_of[id(muni)] = admins
            units_of[id(muni)] = units
        it_org = tree.add(
            root,
            name=f"IT-organisation {coop.name}",
            kind=NodeKind.IT_ORGANISATION,
            cooperation=coop,
        )
        teams: list[Any] = []
        for tname, subs in _TEAMS:
            team = tree.add(it_org, name=tname, kind=NodeKind.TEAM, cooperation=coop)
            teams.append(team)
            teams.extend(
                tree.add(team, name=f"{tname} – {s}", kind=NodeKind.TEAM, cooperation=coop)
                for s in subs
            )
        teams_of[ci] = teams
    node_count = tree.save()
    _log(verbose, started, f"{node_count} nodes")

    # The host is the first (largest) municipality of each cooperation, as cooperation_set_host
    # requires: a municipality of the same cooperation.
    hosts: dict[int, Any] = {}
    for muni, ci in municipalities:
        hosts.setdefault(ci, muni)
    for ci, coop in enumerate(coops):
        coop.root = roots[ci]
        coop.host = hosts[ci]
    Cooperation.objects.bulk_update(coops, ["root", "host"], batch_size=BATCH)

    inhabitants: dict[int, int] = {}
    counts: list[Any] = []
    memberships: list[Any] = []
    for muni, ci in municipalities:
        is_host = hosts[ci] is muni
        people = int(min(1_000_000, max(2_500, rng.lognormvariate(math.log(15_000), 0.9))))
        if is_host:
            people = max(people, 30_000)
        inhabitants[id(muni)] = people
        for year in (2021, 2022, 2023):
            counts.append(
                InhabitantCount(
                    municipality=muni,
                    year=year,
                    inhabitants=int(people * (1 + 0.004 * (year - 2023))),
                )
            )
        r = rng.random()
        joined = dt.date(rng.randint(2010, 2024), rng.choice((1, 7)), 1)
        if is_host or r < 0.85:
            memberships.append(
                Membership(
                    cooperation=coops[ci],
                    municipality=muni,
                    joined_on=joined,
                    decision_reference=f"KF {joined.year}/{rng.randint(1, 200)}",
                )
            )
        elif r < 0.92:
            # Left the cooperation: keeps its history, no longer a member today.
            left = dt.date(rng.randint(joined.year, 2024), 12, 31)
            memberships.append(
                Membership(
                    cooperation=coops[ci],
                    municipality=muni,
                    joined_on=joined,
                    left_on=min(left, today - dt.timedelta(days=1)),
                )
            )
        # else: a municipality in the tree that has never joined.
    InhabitantCount.objects.bulk_create(counts, batch_size=BATCH)
    Membership.objects.bulk_create(memberships, batch_size=BATCH)

    positions = [
        Position(team=team, title=f"IT-tekniker {k + 1}", line=ServiceLine.SECOND_LINE)
        for ci in teams_of
        for team in teams_of[ci]
        for k in range(3)
    ]
    Position.objects.bulk_create(positions, batch_size=BATCH)
    _log(verbose, started, f"{len(memberships)} memberships, {len(counts)} inhabitant counts")

    # One hash for everybody: hashing 100k passwords with argon2 would take hours.
    password = make_password(BENCH_PASSWORD)
    now = timezone.now()
    weights = [inhabitants[id(m)] for m, _ci in municipalities]
    users: list[Any] = []
    plan: list[tuple[str, Any]] = []  # role, node — per user, same order as `users`
    staff_roles = [Role.AGENT, Role.TECHNICIAN, Role.TECHNICIAN, Role.AGENT, Role.COOPERATION_ADMIN]

    def user(i: int, home: Any) -> Any:
        first, last = rng.choice(_FIRST), rng.choice(_LAST)
        return User(
            username=f"{namespace}-u{i:06d}",
            first_name=first,
            last_name=last,
            email=f"{namespace}-u{i:06d}@bench.example",
            password=password,
            home_unit=home,
            is_active=True,
            date_joined=now,
        )

    n_staff = max(spec.cooperations * 6, spec.users // 250)
    for i in range(spec.users):
        if i < n_staff:
            ci = i % spec.cooperations
            users.append(user(i, rng.choice(teams_of[ci])))
            plan.append((staff_roles[(i // spec.cooperations) % len(staff_roles)], roots[ci]))
            continue
        muni, _ci = rng.choices(municipalities, weights=weights)[0]
        users.append(user(i, rng.choice(units_of[id(muni)])))
        plan.append((Role.END_USER, muni))
    User.objects.bulk_create(users, batch_size=BATCH)
    _log(verbose, started, f"{len(users)} users")

    assignments = [
        RoleAssignment(user=u, role=role, node=node, recursive=True)
        for u, (role, node) in zip(users, plan, strict=True)
    ]
    # Orderers: about one end user in 150 orders for their own administration.
    for u, (role, _node) in zip(users, plan, strict=True):
        if role == Role.END_USER and rng.random() < 1 / 150:
            admin = u.home_unit
            while admin.kind != NodeKind.ADMINISTRATION:
                admin = admin.parent
            assignments.append(RoleAssignment(user=u, role=Role.ORDERER, node=admin))
    RoleAssignment.objects.bulk_create(assignments, batch_size=BATCH)
    _log(verbose, started, f"{len(assignments)} role assignments")

    # Bench users live in the cooperation with most municipalities: the widest scope to measure.
    big = max(range(spec.cooperations), key=lambda c: (sizes[c], -c))
    muni = next(m for m, ci in municipalities if ci == big)
    bench: dict[str, Any] = {}
    for role in BENCH_ROLES:
        home = (
            rng.choice(units_of[id(muni)]) if role in ("end_user", "orderer") else teams_of[big][0]
        )
        u = User(
            username=f"{namespace}-bench-{role}",
            first_name="Bench",
            last_name=role,
            email=f"{namespace}-bench-{role}@bench.example",
            password=password,
            home_unit=home,
            is_active=True,
            is_superuser=role == "superuser",
            is_staff=role == "superuser",
            date_joined=now,
        )
        u.save()
        bench[role] = u
    grants = [
        (bench["end_user"], Role.END_USER, muni),
        (bench["orderer"], Role.END_USER, muni),
        (bench["orderer"], Role.ORDERER, admins_of[id(muni)][0]),
        (bench["agent"], Role.AGENT, roots[big]),
        (bench["technician"], Role.TECHNICIAN, roots[big]),
        (bench["admin"], Role.COOPERATION_ADMIN, roots[big]),
    ]
    RoleAssignment.objects.bulk_create(
        [RoleAssignment(user=u, role=r, node=n, recursive=True) for u, r, n in grants]
    )
    Token.objects.bulk_create(
        [Token(user=u, key=token_key(namespace, seed, role)) for role, u in bench.items()]
    )
    # Staff and superusers must pass TOTP in production; a confirmed device lets the runner
    # mark a session as verified instead of switching the requirement off.
    TOTPDevice.objects.bulk_create(
        [
            TOTPDevice(user=bench[r], name="bench", confirmed=True)
            for r in ("agent", "technician", "admin", "superuser")
        ]
    )
    _log(verbose, started, "bench users, tokens and devices")
    return {
        "cooperations": len(coops),
        "municipalities": len(municipalities),
        "nodes": node_count,
        "users": len(users),
        "role_assignments": len(assignments) + len(grants),
        "memberships": len(memberships),
        "inhabitant_counts": len(counts),
        "positions": len(positions),
    }


def bench_users(*, namespace: str, seed: int) -> dict[str, Any]:
    """The measured users as the runner needs them (read back, so a re-run gives the same)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from rest_framework.authtoken.models import Token

    from itfabrik.accounts.models import User

    out: dict[str, Any] = {}
    for role in BENCH_ROLES:
        u = User.objects.get(username=f"{namespace}-bench-{role}")
        token = Token.objects.get(user=u)
        if token.key != token_key(namespace, seed, role):
            raise AlreadyGenerated(f"data set was generated with another seed than {seed}")
        device = TOTPDevice.objects.filter(user=u, confirmed=True).first()
        out[role] = {
            "username": u.username,
            "id": u.pk,
            "home_unit": u.home_unit_id,
            "token": token.key,
            "otp_device": device.persistent_id if device else None,
        }
    return {"users": out}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="small")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--namespace", default="bench", help="prefix of slugs and usernames")
    parser.add_argument("--migrate", action="store_true", help="run migrations first")
    parser.add_argument(
        "--out", type=Path, help="bench users JSON (default bench/var/users-<scale>.json)"
    )
    args = parser.parse_args(argv)
    setup_django(args.database_url)
    if args.migrate:
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)
    started = time.monotonic()
    try:
        result = generate(scale=args.scale, seed=args.seed, namespace=args.namespace, verbose=True)
    except AlreadyGenerated as exc:
        print(f"refusing: {exc}", file=sys.stderr)
        return 2
    result["scale"] = args.scale
    result["seed"] = args.seed
    result["seconds"] = round(time.monotonic() - started, 1)
    out = args.out or BENCH_DIR / "var" / f"users-{args.scale}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2))
    state = "reused" if result["reused"] else "generated"
    print(f"{state} {args.scale}: {result['counts']} in {result['seconds']}s; users -> {out}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO_DIR))
    raise SystemExit(main())
