"""Identity's part of the Dalsland demo: about 170 persons with employments, standard accounts
and addresses in the four municipalities (a few employed by two), business roles per
municipality, privileged accounts for the IT staff, external consultants, a service account,
licence pools, and a handful of policy violations to find. The few definitions go through the
services; the many persons, accounts and grants are bulk-inserted (the demo loads fast)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone
from stdnum import luhn

from itfabrik.core.actors import SYSTEM
from itfabrik.core.registry import demo_step

from . import rules, services
from .choices import AccountKind, AccountStatus, EntitlementKind, GrantSource, GrantStatus
from .models import Account, Employment, Grant, MailAddress, NamingPolicy, Person

MUNICIPALITIES = ("Åmål", "Mellerud", "Bengtsfors", "Färgelanda")
FIRST = [
    "Anna",
    "Erik",
    "Åsa",
    "Lars",
    "Maria",
    "Björn",
    "Karin",
    "Örjan",
    "Eva",
    "Per",
    "Sofia",
    "Jonas",
    "Ingrid",
    "Mikael",
    "Linnéa",
    "Göran",
    "Helena",
    "Anders",
    "Märta",
    "José",
]
LAST = [
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
    "Pettersson",
    "Jönsson",
    "Öberg",
    "Åkesson",
    "Lindström",
    "Bäckström",
    "Hägglund",
    "Sjöberg",
    "Müller",
    "Ström",
]
PER_MUNICIPALITY = 40
# (entitlement, kind, system, privileged, licence product)
ENTITLEMENTS = [
    ("Microsoft 365 E3", EntitlementKind.LICENCE, "Microsoft 365", False, "Microsoft 365 E3"),
    ("Microsoft 365 F3", EntitlementKind.LICENCE, "Microsoft 365", False, "Microsoft 365 F3"),
    ("Alla medarbetare", EntitlementKind.GROUP, "Entra ID", False, None),
    ("Lifecare – utförare", EntitlementKind.SYSTEM, "Lifecare", False, None),
    ("Treserva – handläggare", EntitlementKind.SYSTEM, "Treserva", False, None),
    ("Skolplattformen – lärare", EntitlementKind.SYSTEM, "Skolplattformen", False, None),
    ("Visma – personalhandläggare", EntitlementKind.SYSTEM, "Visma", False, None),
    ("Ekonomisystem – attestant", EntitlementKind.SYSTEM, "Raindance", False, None),
    ("Entra ID – global administratör", EntitlementKind.SYSTEM, "Entra ID", True, None),
    ("Intune – administratör", EntitlementKind.SYSTEM, "Intune", True, None),
    ("Serverdrift – administratör", EntitlementKind.GROUP, "Active Directory", True, None),
]
POOLS = [("Microsoft 365 E3", 400, "310.00"), ("Microsoft 365 F3", 250, "85.00")]
# (role, unit, title, entitlements)
ROLES = [
    ("Undersköterska hemtjänst", "Hemtjänst norr", "Undersköterska",
     ["Microsoft 365 F3", "Alla medarbetare", "Lifecare – utförare"]),
    ("Handläggare IFO", "Individ- och familjeomsorg", "Socialsekreterare",
     ["Microsoft 365 E3", "Alla medarbetare", "Treserva – handläggare"]),
    ("Lärare grundskola", "Grundskola F–6", "Lärare",
     ["Microsoft 365 E3", "Alla medarbetare", "Skolplattformen – lärare"]),
    ("HR-handläggare", "HR-enheten", "HR-konsult",
     ["Microsoft 365 E3", "Alla medarbetare", "Visma – personalhandläggare"]),
    ("Ekonom", "Ekonomienheten", "Ekonom",
     ["Microsoft 365 E3", "Alla medarbetare", "Ekonomisystem – attestant"]),
]  # fmt: skip
IT_STAFF = [("Tove", "Lindqvist"), ("Hampus", "Ek"), ("Sanna", "Ödman"), ("Rasmus", "Fält")]
CONSULTANTS = [("Kalle", "Konsult"), ("Nina", "Nätverk"), ("Olle", "Öhman")]


def is_loaded() -> bool:
    return Person.objects.exists()


def _pnr(born: dt.date, serial: int) -> str:
    body = born.strftime("%y%m%d") + f"{serial % 1000:03d}"
    return born.strftime("%Y%m%d") + f"{serial % 1000:03d}" + luhn.calc_check_digit(body)


@demo_step("identity", after=["tenancy", "accounts", "catalog"], loaded=is_loaded)
def load(ctx: dict[str, Any]) -> None:
    coop = ctx["cooperation"]
    nodes = ctx["nodes"]
    users = ctx["users"]
    today = timezone.localdate()
    NamingPolicy.objects.create(cooperation=coop)
    pools = {
        product: services.licence_pool_create(
            actor=SYSTEM, cooperation=coop, product=product, purchased=n, monthly_price=Decimal(p)
        )
        for product, n, p in POOLS
    }
    ents = {
        name: services.entitlement_create(
            actor=SYSTEM, cooperation=coop, name=name, kind=kind, system=system,
            is_privileged=priv, licence_pool=pools[pool] if pool else None,
        )
        for name, kind, system, priv, pool in ENTITLEMENTS
    }  # fmt: skip
    roles: dict[tuple[str, str], Any] = {}
    for muni in MUNICIPALITIES:
        for name, _unit, _title, ent_names in ROLES:
            roles[(muni, name)] = services.business_role_create(
                actor=SYSTEM,
                municipality=nodes[muni],
                name=name,
                entitlements=[ents[e] for e in ent_names],
                owner=users["bestallare-mellerud"] if muni == "Mellerud" else None,
            )

    # Persons: deterministic names, so there are collisions (anna.andersson2) and diacritics.
    persons: list[Person] = []
    plan: list[tuple[Person, str, tuple[Any, ...]]] = []
    serial = 0
    for m_index, muni in enumerate(MUNICIPALITIES):
        for i in range(PER_MUNICIPALITY):
            serial += 1
            first = FIRST[(i * 7 + m_index) % len(FIRST)]
            last = LAST[(i * 3 + m_index * 5) % len(LAST)]
            born = dt.date(1960 + serial % 40, 1 + serial % 12, 1 + serial % 28)
            p = Person(
                cooperation=coop, home=nodes[muni], first_name=first, last_name=last,
                personal_number=_pnr(born, serial) if serial % 3 else "",
                birth_date=born if serial % 3 else None,
            )  # fmt: skip
            persons.append(p)
            plan.append((p, muni, ROLES[i % len(ROLES)]))
    it_staff = []
    for first, last in IT_STAFF:
        serial += 1
        p = Person(cooperation=coop, home=nodes["Åmål"], first_name=first, last_name=last)
        persons.append(p)
        it_staff.append(p)
    consultants = []
    for first, last in CONSULTANTS:
        p = Person(cooperation=coop, home=nodes["Åmål"], first_name=first, last_name=last)
        persons.append(p)
        consultants.append(p)
    # A probable duplicate: the same person registered twice in Bengtsfors.
    twin = plan[PER_MUNICIPALITY * 2][0]
    duplicate = Person(
        cooperation=coop, home=twin.home, first_name=twin.first_name, last_name=twin.last_name,
        birth_date=twin.birth_date,
    )  # fmt: skip
    persons.append(duplicate)
    # A leaver whose account is still active (the leaver job has not run: a violation).
    leaver = Person(cooperation=coop, home=nodes["Färgelanda"], first_name="Lena", last_name="Slut")
    persons.append(leaver)
    Person.objects.bulk_create(persons)

    employments: list[Employment] = []
    for p, muni, (role_name, unit_name, title, _e) in plan:
        employments.append(
            Employment(
                person=p, municipality=nodes[muni], unit=nodes[f"{muni}/{unit_name}"],
                title=title, start=dt.date(2020, 1, 1) + dt.timedelta(days=p.pk % 900),
                business_role=roles[(muni, role_name)],
            )
        )  # fmt: skip
    # Employed by two municipalities: a few of Mellerud's also work in Åmål and Bengtsfors.
    doubles = [plan[PER_MUNICIPALITY + k][0] for k in (1, 6, 11)]
    for k, p in enumerate(doubles):
        other = ("Åmål", "Bengtsfors", "Färgelanda")[k]
        employments.append(
            Employment(
                person=p, municipality=nodes[other], unit=nodes[f"{other}/Hemtjänst söder"],
                title="Undersköterska (timanställd)", start=dt.date(2024, 9, 1),
            )
        )  # fmt: skip
    for p in it_staff:
        employments.append(
            Employment(
                person=p, municipality=nodes["Åmål"], unit=nodes["Åmål/Kommunledningskontoret"],
                title="IT-tekniker", start=dt.date(2021, 3, 1),
            )
        )  # fmt: skip
    employments.append(
        Employment(
            person=duplicate, municipality=twin.home, unit=nodes["Bengtsfors/Hemtjänst söder"],
            title="Vikarie", start=dt.date(2025, 1, 1),
        )
    )  # fmt: skip
    employments.append(
        Employment(
            person=leaver, municipality=nodes["Färgelanda"], unit=nodes["Färgelanda/Fastighet"],
            title="Fastighetsskötare", start=dt.date(2019, 5, 1),
            end=today - dt.timedelta(days=20),
        )
    )  # fmt: skip
    Employment.objects.bulk_create(employments)

    # Standard accounts and addresses from the naming policy, computed in memory.
    taken_addr: set[str] = set()
    taken_user: set[str] = set()
    accounts: list[Account] = []
    addresses: list[tuple[Account, Any, str]] = []
    by_person: dict[int, Account] = {}
    first_local: dict[int, str] = {}
    for e in employments:
        p = e.person
        domain = e.municipality.email_domain
        account = by_person.get(p.pk)
        if account is None:
            addr = rules.address(
                rules.DEFAULT_PATTERN, p.first_name, p.last_name, domain, taken_addr
            )
            username = rules.first_free(addr.split("@")[0], taken_user)
            taken_user.add(username)
            account = Account(
                cooperation=coop, kind=AccountKind.STANDARD, username=username, person=p,
                municipality=e.municipality, mfa_enrolled=True,
            )  # fmt: skip
            by_person[p.pk] = account
            first_local[p.pk] = addr.split("@")[0]
            accounts.append(account)
        else:
            own = f"{first_local[p.pk]}@{domain}"
            addr = (
                own
                if own not in taken_addr
                else rules.address(
                    rules.DEFAULT_PATTERN, p.first_name, p.last_name, domain, taken_addr
                )
            )
        taken_addr.add(addr)
        addresses.append((account, e.municipality, addr))
    privileged = []
    for k, p in enumerate(it_staff):
        username = f"adm-{by_person[p.pk].username}"
        taken_user.add(username)
        privileged.append(
            Account(
                cooperation=coop, kind=AccountKind.PRIVILEGED, username=username, person=p,
                municipality=nodes["Åmål"], mfa_enrolled=k != 1,
                note="Drift och identitet",
            )
        )  # fmt: skip
    sponsor = it_staff[0]
    externals = [
        Account(
            cooperation=coop, kind=AccountKind.EXTERNAL,
            username="ext-" + rules.local_part(rules.DEFAULT_PATTERN, p.first_name, p.last_name),
            person=p, sponsor=sponsor, municipality=nodes["Åmål"], mfa_enrolled=True,
            expires_on=today + dt.timedelta(days=90) if k else today - dt.timedelta(days=10),
            note="Konsult, nätverksprojektet",
        )
        for k, p in enumerate(consultants)
    ]  # fmt: skip
    shared = Account(
        cooperation=coop, kind=AccountKind.SERVICE, username="hemtjanst-norr-surfplatta",
        owner=plan[PER_MUNICIPALITY][0], municipality=nodes["Mellerud"], mfa_required=False,
        is_shared=True, note="Delad inloggning på surfplattan i hemtjänsten",
    )  # fmt: skip
    service = Account(
        cooperation=coop, kind=AccountKind.SERVICE, username="svc-lonesystem-import",
        owner=it_staff[1], municipality=nodes["Åmål"], mfa_required=False,
        note="Nattlig import från lönesystemet",
    )  # fmt: skip
    Account.objects.bulk_create([*accounts, *privileged, *externals, shared, service])
    MailAddress.objects.bulk_create(
        [MailAddress(account=a, municipality=m, address=addr) for a, m, addr in addresses]
    )

    now = timezone.now()
    grants: list[Grant] = []
    for e in employments:
        if e.business_role is None:
            continue
        for ent_name in next(r[3] for r in ROLES if r[0] == e.business_role.name):
            grants.append(
                Grant(
                    account=by_person[e.person.pk], entitlement=ents[ent_name],
                    source=GrantSource.ROLE, employment=e, status=GrantStatus.ACTIVE,
                    decided_at=now,
                )
            )  # fmt: skip
    for k, a in enumerate(privileged):
        for ent_name in ("Entra ID – global administratör", "Intune – administratör")[: 1 + k % 2]:
            grants.append(
                Grant(account=a, entitlement=ents[ent_name], source=GrantSource.DIRECT,
                      status=GrantStatus.ACTIVE, valid_until=today + dt.timedelta(days=365),
                      reason="Drift", decided_at=now)
            )  # fmt: skip
    for p in it_staff:
        grants.append(
            Grant(account=by_person[p.pk], entitlement=ents["Microsoft 365 E3"],
                  source=GrantSource.DIRECT, status=GrantStatus.ACTIVE,
                  valid_until=today + dt.timedelta(days=365), reason="Standardlicens",
                  decided_at=now)
        )  # fmt: skip
    # A privileged right on a standard account (a violation) ...
    grants.append(
        Grant(account=by_person[it_staff[2].pk], entitlement=ents["Serverdrift – administratör"],
              source=GrantSource.DIRECT, status=GrantStatus.ACTIVE,
              valid_until=today + dt.timedelta(days=200), reason="Tillfälligt", decided_at=now)
    )  # fmt: skip
    # ... and a direct grant waiting for Mellerud's approver.
    grants.append(
        Grant(account=by_person[doubles[0].pk], entitlement=ents["Visma – personalhandläggare"],
              source=GrantSource.DIRECT, status=GrantStatus.PENDING,
              valid_until=today + dt.timedelta(days=120), reason="Vikariat som handläggare")
    )  # fmt: skip
    Grant.objects.bulk_create(grants)
    assert all(a.status == AccountStatus.ACTIVE for a in accounts)
