"""Identity at national scale: a manager's access-review page, the violations report and a SCIM
`userName` lookup, on 100,000 persons, 300,000 accounts and 3,000,000 grants (issue 10).

Usage (from the repository root):

    .venv/bin/python bench/identity.py --scale national                 # PostgreSQL
    .venv/bin/python bench/identity.py --database sqlite --scale national
    .venv/bin/python bench/identity.py --scale tiny --fresh --repeats 5  # quick look

It builds on the organisation data set of `generate.py`, in a database of its own
(`itfabrik_bench_identity_<scale>`), and adds per cooperation identity's reference data as the
Dalsland demo has it (`identity/demo.py`), written through the services: a naming policy, the
licence pools, the demo's entitlements plus EXTRA_ENTITLEMENTS business-system entitlements, and
the demo's five business roles in every municipality. Then, with bulk inserts (the services would
write an audit row per record), PERSONS persons with an employment each (one in fifty with a
second one in another municipality of the cooperation), ACCOUNTS accounts — one standard account
per person with an address per municipality of employment, a privileged account for one person in
ten, an external account (sponsor, expiry) for one in thirty, the rest service accounts with an
owner — and GRANTS grants of entitlements to accounts ("3 million entitlements" of the issue: the
role's three, then business-system entitlements, on the standard accounts; one or two privileged
ones on each privileged account). The same share per municipality at smaller scales.

A handful of policy violations per cooperation (a privileged right on a standard account, a
privileged account without a second factor, an ended employment with an active account, an
expired external account, a shared account, a duplicate person), an access-review campaign of the
bench orderer's municipality through `review_campaign_create` (the orderer is the manager: their
administration's items are theirs to decide) and a SCIM token of the largest cooperation through
`scim_token_create` (its secret is kept in bench/var/identity-<database>-<scale>.json).

Then, in a fresh child process, it measures in process (Django's test client, production
settings; server time, no network): the manager's access-review page, the violations report as the
cooperation administrator (page and `/api/v1/identity/violations/`) and SCIM
`GET /scim/v2/Users?filter=userName eq "…"` with the bearer token.

Targets (issue 10): the access-review page under 200 ms, the violations report under 2 s, the
SCIM lookup under 20 ms. Nothing here asserts a time: the results go to
bench/results/identity-<database>-<scale>-<UTC>.json and latest-identity-<database>-<scale>.json,
with the load average, since other work on the machine inflates every number.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import time
import urllib.parse
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
sys.path.insert(0, str(REPO_DIR))

from bench import generate, run  # noqa: E402
from bench.billing import BATCH, _insert, _scaled  # noqa: E402
from bench.servicedesk import _timed  # noqa: E402

PERSONS = 100_000
ACCOUNTS = 300_000
GRANTS = 3_000_000
EXTRA_ENTITLEMENTS = 40
PRIVILEGED_SHARE = 0.10
EXTERNAL_SHARE = 1 / 30
SECOND_EMPLOYMENT_SHARE = 0.02
TOKEN_NAME = "Bench Entra ID"
# Last names: generate.py's fifteen are too few for 100,000 people (every name would be shared
# by hundreds); compound Swedish surnames give about 3,000 first/last combinations.
_STEMS = ["Lind", "Berg", "Holm", "Sjö", "Dahl", "Sand", "Löv", "Ahl", "Wall", "Ny", "Ek", "Björk"]
_ENDS = ["berg", "ström", "qvist", "gren", "lund", "man", "din", "bäck", "holm", "stedt"]


def database_name(args: argparse.Namespace) -> str:
    return f"itfabrik_bench_identity_{args.scale}"


def database_url(args: argparse.Namespace) -> str:
    return run.database_url(args, database_name(args))


def secrets_file(args: argparse.Namespace) -> Path:
    return run.VAR_DIR / f"identity-{args.database}-{args.scale}.json"


def _free(taken: dict[str, int], base: str) -> str:
    """The next free username of a base: `base`, then `base2`, `base3`..."""
    n = taken.get(base, 0) + 1
    taken[base] = n
    return base if n == 1 else f"{base}{n}"


def identity_generated(namespace: str) -> bool:
    from itfabrik.identity.models import Person

    return Person.objects.filter(cooperation__slug__startswith=f"{namespace}-").exists()


def _reference_data(coop: Any, municipalities: list[Any]) -> tuple[dict[str, Any], dict[Any, Any]]:
    """The demo's naming policy, pools, entitlements and roles for one cooperation, through the
    services; returns the entitlements by name and the roles by (municipality id, role name)."""
    from decimal import Decimal

    from itfabrik.core.actors import SYSTEM
    from itfabrik.identity import demo, services
    from itfabrik.identity.choices import EntitlementKind
    from itfabrik.identity.models import NamingPolicy

    NamingPolicy.objects.create(cooperation=coop)  # as the demo does: no service writes it
    pools = {
        product: services.licence_pool_create(
            actor=SYSTEM, cooperation=coop, product=product, purchased=n * 100,
            monthly_price=Decimal(price),
        )
        for product, n, price in demo.POOLS
    }  # fmt: skip
    ents = {
        name: services.entitlement_create(
            actor=SYSTEM, cooperation=coop, name=name, kind=kind, system=system,
            is_privileged=priv, licence_pool=pools[pool] if pool else None,
        )
        for name, kind, system, priv, pool in demo.ENTITLEMENTS
    }  # fmt: skip
    for n in range(EXTRA_ENTITLEMENTS):
        name = f"Verksamhetssystem {n + 1:02d} – användare"
        ents[name] = services.entitlement_create(
            actor=SYSTEM, cooperation=coop, name=name, kind=EntitlementKind.SYSTEM,
            system=f"System {n + 1:02d}",
        )  # fmt: skip
    roles = {}
    for muni in municipalities:
        for name, _unit, _title, ent_names in demo.ROLES:
            roles[(muni.pk, name)] = services.business_role_create(
                actor=SYSTEM,
                municipality=muni,
                name=name,
                entitlements=[ents[e] for e in ent_names],
            )
    return ents, roles


def generate_identity(*, namespace: str, seed: int, verbose: bool = True) -> dict[str, Any]:
    from django.db import connection, transaction
    from django.utils import timezone

    from itfabrik.accounts.models import RoleAssignment, User
    from itfabrik.core.actors import SYSTEM
    from itfabrik.identity import demo, rules, services
    from itfabrik.identity.choices import AccountKind, GrantSource, GrantStatus
    from itfabrik.identity.models import Account, Employment, Grant, MailAddress, Person
    from itfabrik.identity.services import provisioning
    from itfabrik.tenancy.choices import NodeKind
    from itfabrik.tenancy.models import Cooperation, OrgNode

    rng = random.Random(seed)
    today = timezone.localdate()
    now = timezone.now()
    coops = list(Cooperation.objects.filter(slug__startswith=f"{namespace}-").order_by("slug"))
    all_munis = OrgNode.objects.filter(cooperation__in=coops, kind=NodeKind.MUNICIPALITY).count()
    persons_total = min(PERSONS, _scaled(PERSONS, all_munis))
    accounts_total = min(ACCOUNTS, _scaled(ACCOUNTS, all_munis))
    grants_total = min(GRANTS, _scaled(GRANTS, all_munis))
    counts = {"cooperations": len(coops), "persons": 0, "employments": 0, "accounts": 0}
    counts.update({"addresses": 0, "grants": 0, "review_items": 0})
    firsts = generate._FIRST
    lasts = generate._LAST + [s + e for s in _STEMS for e in _ENDS]
    orderer = User.objects.get(username=f"{namespace}-bench-orderer")
    manager_node = RoleAssignment.objects.get(user=orderer, role="orderer").node
    for coop in coops:
        started = time.monotonic()
        with transaction.atomic():
            munis = list(
                OrgNode.objects.filter(cooperation=coop, kind=NodeKind.MUNICIPALITY).order_by(
                    "path"
                )
            )
            units: dict[int, list[int]] = {}
            for unit_id, muni_id in OrgNode.objects.filter(
                cooperation=coop, kind=NodeKind.UNIT
            ).values_list("pk", "municipality_id"):
                units.setdefault(muni_id, []).append(unit_id)
            munis = [m for m in munis if units.get(m.pk)]
            ents, roles = _reference_data(coop, munis)
            share = len(munis) / all_munis
            n_persons = max(10, round(persons_total * share))
            n_accounts = max(n_persons, round(accounts_total * share))
            n_grants = round(grants_total * share)

            # Persons and employments.
            persons = []
            plan = []  # (person, municipality, unit id, role name, title)
            for _i in range(n_persons):
                muni = rng.choice(munis)
                born = dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(40 * 365))
                p = Person(
                    cooperation=coop, home=muni, first_name=rng.choice(firsts),
                    last_name=rng.choice(lasts), birth_date=born,
                )  # fmt: skip
                persons.append(p)
                role_name, _unit, title, _e = rng.choice(demo.ROLES)
                plan.append((p, muni, rng.choice(units[muni.pk]), role_name, title))
            # A probable duplicate (same name and birth date) and a leaver with an active account.
            twin = persons[0]
            duplicate = Person(
                cooperation=coop, home=twin.home, first_name=twin.first_name,
                last_name=twin.last_name, birth_date=twin.birth_date,
            )  # fmt: skip
            persons.append(duplicate)
            Person.objects.bulk_create(persons, batch_size=BATCH)
            employments = []
            for k, (p, muni, unit, role_name, title) in enumerate(plan):
                employments.append(
                    Employment(
                        person=p, municipality=muni, unit_id=unit, title=title,
                        start=dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(3000)),
                        end=today - dt.timedelta(days=20) if k == 1 else None,
                        ended_processed=False, business_role=roles[(muni.pk, role_name)],
                    )
                )  # fmt: skip
                if len(munis) > 1 and rng.random() < SECOND_EMPLOYMENT_SHARE:
                    other = rng.choice([m for m in munis if m.pk != muni.pk])
                    employments.append(
                        Employment(
                            person=p, municipality=other, unit_id=rng.choice(units[other.pk]),
                            title="Timanställd", start=dt.date(2024, 9, 1),
                        )
                    )  # fmt: skip
            employments.append(
                Employment(
                    person=duplicate, municipality=twin.home, unit_id=plan[0][2], title="Vikarie",
                    start=dt.date(2025, 1, 1),
                )
            )  # fmt: skip
            Employment.objects.bulk_create(employments, batch_size=BATCH)

            # Accounts: the naming policy's addresses, computed in memory (rules.first_free walks
            # the taken names one digit at a time; a counter per name is the same at this size).
            next_n: dict[str, int] = {}

            local_cache: dict[tuple[str, str], str] = {}
            standard: dict[int, Account] = {}
            accounts: list[Account] = []
            addresses: list[tuple[Account, Any, str]] = []
            external_every = round(1 / EXTERNAL_SHARE)
            for k, p in enumerate(persons):
                key = (p.first_name, p.last_name)
                if key not in local_cache:
                    local_cache[key] = rules.local_part(rules.DEFAULT_PATTERN, *key)
                if k % external_every == external_every - 1:
                    accounts.append(
                        Account(
                            cooperation=coop, kind=AccountKind.EXTERNAL,
                            username=_free(next_n, "ext-" + local_cache[key]), person=p,
                            sponsor=persons[0], municipality=p.home, mfa_enrolled=True,
                            expires_on=today + dt.timedelta(days=90 if k > 100 else -10),
                        )
                    )  # fmt: skip
                    continue
                a = Account(
                    cooperation=coop, kind=AccountKind.STANDARD,
                    username=_free(next_n, local_cache[key]), person=p, municipality=p.home,
                    mfa_enrolled=True,
                )  # fmt: skip
                standard[p.pk] = a
                accounts.append(a)
            for e in employments:
                std = standard.get(e.person.pk)
                if std is not None:
                    domain = e.municipality.email_domain or "bench.example"
                    addresses.append((std, e.municipality, f"{std.username}@{domain}"))
            privileged: list[Account] = []
            for p in persons:
                if p.pk in standard and rng.random() < PRIVILEGED_SHARE:
                    privileged.append(
                        Account(
                            cooperation=coop, kind=AccountKind.PRIVILEGED,
                            username="adm-" + standard[p.pk].username, person=p,
                            municipality=p.home, mfa_enrolled=len(privileged) != 1,
                        )
                    )  # fmt: skip
            accounts.extend(privileged)
            owners = list(standard.values())
            owner_persons = [p for p in persons if p.pk in standard]
            for k in range(max(1, n_accounts - len(accounts))):
                owner = owner_persons[k % len(owner_persons)]
                accounts.append(
                    Account(
                        cooperation=coop, kind=AccountKind.SERVICE, username=f"svc-{k:06d}",
                        owner=owner, municipality=owner.home, mfa_required=False,
                        is_shared=k == 0, note="Tjänstekonto",
                    )
                )  # fmt: skip
            Account.objects.bulk_create(accounts, batch_size=BATCH)
            _insert(
                MailAddress,
                [MailAddress(account=a, municipality=m, address=x) for a, m, x in addresses],
            )

            # Grants: the role's entitlements, then business systems, on the standard accounts;
            # privileged entitlements on the privileged accounts (and, once, on a standard one).
            role_ents = {name: [ents[e] for e in names] for name, _u, _t, names in demo.ROLES}
            systems = [e for name, e in ents.items() if name.startswith("Verksamhetssystem")]
            priv_ents = [e for e in ents.values() if e.is_privileged]
            first_employment: dict[int | None, Employment] = {
                e.person_id: e for e in reversed(employments)
            }
            per_account = max(3, (n_grants - len(privileged) * 2) // max(1, len(standard)))
            grants: list[Grant] = []

            def flush(rows: list[Grant]) -> list[Grant]:
                _insert(Grant, rows)
                counts["grants"] += len(rows)
                return []

            for a in standard.values():
                e = first_employment[a.person_id]
                role = e.business_role.name if e.business_role else demo.ROLES[0][0]
                chosen = role_ents[role]
                chosen = chosen + rng.sample(systems, min(len(systems), per_account - len(chosen)))
                for ent in chosen:
                    grants.append(
                        Grant(
                            account=a, entitlement=ent, source=GrantSource.ROLE, employment=e,
                            status=GrantStatus.ACTIVE, decided_at=now,
                        )
                    )  # fmt: skip
                if len(grants) >= BATCH:
                    grants = flush(grants)
            valid = today + dt.timedelta(days=365)
            for a in privileged:
                for ent in rng.sample(priv_ents, 2):
                    grants.append(
                        Grant(
                            account=a, entitlement=ent, source=GrantSource.DIRECT,
                            status=GrantStatus.ACTIVE, valid_until=valid, reason="Drift",
                            decided_at=now,
                        )
                    )  # fmt: skip
            some = owners[len(owners) // 2]
            grants.append(
                Grant(
                    account=some, entitlement=priv_ents[0], source=GrantSource.DIRECT,
                    status=GrantStatus.ACTIVE, valid_until=valid, reason="Tillfälligt",
                    decided_at=now,
                )
            )  # fmt: skip
            flush(grants)
            counts["persons"] += len(persons)
            counts["employments"] += len(employments)
            counts["accounts"] += len(accounts)
            counts["addresses"] += len(addresses)

            # The manager's campaign, and the SCIM client of the bench users' cooperation.
            manager_muni = next((m for m in munis if m.pk == manager_node.municipality_id), None)
            if manager_muni is not None:
                campaign = services.review_campaign_create(
                    actor=SYSTEM,
                    municipality=manager_muni,
                    name="Granskning 2026",
                    due=today + dt.timedelta(days=30),
                )
                counts["review_items"] += campaign.items.count()
                counts["campaign"] = campaign.pk
                _token, secret = provisioning.scim_token_create(
                    actor=SYSTEM, cooperation=coop, name=TOKEN_NAME
                )
                counts["scim_cooperation"] = coop.pk
                counts["scim_secret"] = secret  # type: ignore[assignment]
        if verbose:
            print(
                f"  {coop.slug}: {len(persons)} persons, {len(accounts)} accounts "
                f"in {time.monotonic() - started:.1f} s",
                flush=True,
            )
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    return counts


def measure(*, namespace: str, repeats: int, secret: str) -> dict[str, Any]:
    from django.test import Client
    from django.urls import reverse

    from itfabrik.accounts.models import User
    from itfabrik.identity.choices import AccountKind
    from itfabrik.identity.models import Account, Grant, Person, ReviewCampaign, ReviewItem
    from itfabrik.identity.selectors import review_item_list, scim_token_get, violation_list
    from itfabrik.tenancy.models import Cooperation

    users = generate.bench_users(namespace=namespace, seed=1)["users"]
    orderer = User.objects.get(pk=users["orderer"]["id"])
    admin = User.objects.get(pk=users["admin"]["id"])
    coops = Cooperation.objects.filter(slug__startswith=f"{namespace}-")
    out: dict[str, Any] = {
        "persons": Person.objects.filter(cooperation__in=coops).count(),
        "accounts": Account.objects.filter(cooperation__in=coops).count(),
        "grants": Grant.objects.filter(account__cooperation__in=coops).count(),
    }
    campaign = ReviewCampaign.objects.order_by("-pk").first()
    assert campaign is not None
    out["campaign_items"] = ReviewItem.objects.filter(campaign=campaign).count()
    out["manager_items"] = review_item_list(actor=orderer, campaign=campaign).count()
    out["violations_visible_to_admin"] = len(violation_list(actor=admin))

    manager = Client()
    name, value = run.session_cookie(orderer.pk, users["orderer"]["otp_device"]).split("=")
    manager.cookies[name] = value
    out["access_review"] = _timed(manager, reverse("identity:review", args=[campaign.pk]), repeats)
    print(f"  access_review: {out['access_review']}", flush=True)

    staff = Client()
    name, value = run.session_cookie(admin.pk, users["admin"]["otp_device"]).split("=")
    staff.cookies[name] = value
    out["violations_page"] = _timed(staff, reverse("identity:violations"), repeats)
    print(f"  violations_page: {out['violations_page']}", flush=True)
    auth = {"HTTP_AUTHORIZATION": f"Token {users['admin']['token']}"}
    out["violations_api"] = _timed(Client(), "/api/v1/identity/violations/", repeats, **auth)
    print(f"  violations_api: {out['violations_api']}", flush=True)

    token = scim_token_get(secret=secret)
    assert token is not None, "SCIM token not found: rebuild with --fresh"
    accounts = Account.objects.filter(
        cooperation_id=token.cooperation_id, kind=AccountKind.STANDARD
    ).order_by("pk")
    username = accounts[accounts.count() // 2].username
    query = urllib.parse.urlencode({"filter": f'userName eq "{username.upper()}"'})
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    out["scim_username"] = _timed(Client(), f"/scim/v2/Users?{query}", repeats, **bearer)
    print(f"  scim_username: {out['scim_username']}", flush=True)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = run.data_bench_parser(__doc__, repeats=30)
    args = parser.parse_args(argv)
    if args.phase == "measure":
        generate.setup_django(database_url(args))
        secret = json.loads(secrets_file(args).read_text())["scim_secret"]
        print(json.dumps(measure(namespace="bench", repeats=args.repeats, secret=secret)))
        return 0

    def make() -> dict[str, Any]:
        counts = generate_identity(namespace="bench", seed=args.seed)
        secret = counts.pop("scim_secret")
        secrets_file(args).write_text(json.dumps({"scim_secret": secret}))
        return counts

    return run.generate_and_measure(
        args,
        database=database_name(args),
        kind="identity",
        script=__file__,
        what="identity data",
        data_key="identity_data",
        generated=lambda: identity_generated("bench") and secrets_file(args).exists(),
        make=make,
    )


if __name__ == "__main__":
    raise SystemExit(main())
