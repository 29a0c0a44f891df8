"""The Dalsland demo cooperation, loaded through the same services as any real data.

Facts from shared/design/DOMAIN.md: inhabitants 31 Dec 2023 (SCB) and municipal codes; only
Färgelanda's organisation number is verified, the others are left for the installation to fill in.
Names of administrations and units are typical of Swedish municipalities, not copied from the four.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction

from itfabrik.accounts import services as account_services
from itfabrik.accounts.choices import Role
from itfabrik.accounts.models import User
from itfabrik.core.actors import SYSTEM
from itfabrik.tenancy import services
from itfabrik.tenancy.choices import NodeKind, ServiceLine
from itfabrik.tenancy.models import Cooperation, OrgNode, Position

SLUG = "dalsland"
DEMO_PASSWORD = "itfabrik-demo"
MEMBERS_SINCE = dt.date(2025, 1, 1)


@dataclass(frozen=True)
class MunicipalityFacts:
    name: str
    code: str
    inhabitants_2023: int | None
    domain: str
    organisation_number: str = ""
    member: bool = True
    host: bool = False
    # The official name where it is not "<name> kommun" (genitive s: "Åmåls kommun").
    official_name: str = ""

    @property
    def full_name(self) -> str:
        return self.official_name or f"{self.name} kommun"


MUNICIPALITIES = [
    MunicipalityFacts("Åmål", "1492", 12006, "amal.se", host=True, official_name="Åmåls kommun"),
    MunicipalityFacts("Mellerud", "1461", 9165, "mellerud.se", official_name="Melleruds kommun"),
    MunicipalityFacts("Bengtsfors", "1460", 9138, "bengtsfors.se"),
    MunicipalityFacts("Färgelanda", "1439", 6434, "fargelanda.se", "212000-1421"),
    # The fifth Dalsland municipality: not a member, the demo of a municipality joining later.
    MunicipalityFacts(
        "Dals-Ed", "1438", None, "dalsed.se", member=False, official_name="Dals-Eds kommun"
    ),
]

# Administration → units. Cost centre = municipal code + a four-digit local number.
ADMINISTRATIONS: list[tuple[str, list[tuple[str, str]]]] = [
    (
        "Kommunstyrelseförvaltningen",
        [
            ("Kommunledningskontoret", "100"),
            ("Ekonomienheten", "110"),
            ("HR-enheten", "120"),
            ("Kommunikation och medborgarservice", "130"),
        ],
    ),
    (
        "Socialförvaltningen",
        [
            ("Hemtjänst norr", "310"),
            ("Hemtjänst söder", "311"),
            ("Särskilt boende", "320"),
            ("Individ- och familjeomsorg", "330"),
            ("LSS och socialpsykiatri", "340"),
        ],
    ),
    (
        "Barn- och utbildningsförvaltningen",
        [
            ("Förskolorna", "410"),
            ("Grundskola F–6", "420"),
            ("Högstadieskolan", "430"),
            ("Gymnasie- och vuxenutbildning", "440"),
            ("Elevhälsan", "450"),
        ],
    ),
    (
        "Samhällsbyggnadsförvaltningen",
        [
            ("Bygg och miljö", "510"),
            ("Gata och park", "520"),
            ("Vatten och avlopp", "530"),
            ("Fastighet", "540"),
        ],
    ),
]

IT_ORGANISATION = "Dalslands IT- och digitaliseringsorganisation"

# Where the staff accounts work: their team in the joint organisation (the council member sits in
# Åmål's municipal executive office).
STAFF_TEAMS = {
    "admin": "Ledning",
    "agent": "Support och drift – 1:a linjen",
    "tekniker": "2:a linjen",
    "ekonom": "Ledning",
    "strateg": "Digitaliseringsenhet",
    "sakerhet": "Digitaliseringsenhet",
    "radsmedlem": "Kommunledningskontoret Åmål",
}


@dataclass
class TeamSpec:
    name: str
    positions: list[tuple[str, str, str, int]] = field(default_factory=list)  # title, line, spec, n
    children: list[TeamSpec] = field(default_factory=list)


# R3: one head over two units; 28 positions. The 16 second-line technicians are spread evenly
# over the four specialisations the pre-study names (an assumption: it gives only the total).
TEAMS = [
    TeamSpec("Ledning", [("Digitaliseringschef", ServiceLine.MANAGEMENT, "", 1)]),
    TeamSpec(
        "Teknikenhet",
        [("Driftchef IT", ServiceLine.MANAGEMENT, "", 1)],
        [
            TeamSpec(
                "Support och drift – 1:a linjen",
                [
                    ("Teamledare support och drift", ServiceLine.MANAGEMENT, "", 1),
                    ("IT-tekniker 1:a linjen", ServiceLine.FIRST_LINE, "", 3),
                ],
            ),
            TeamSpec(
                "2:a linjen",
                [
                    ("IT-tekniker 2:a linjen", ServiceLine.SECOND_LINE, "Nätverk", 4),
                    ("IT-tekniker 2:a linjen", ServiceLine.SECOND_LINE, "Identitet", 4),
                    ("IT-tekniker 2:a linjen", ServiceLine.SECOND_LINE, "Verksamhetssystem", 4),
                    ("IT-tekniker 2:a linjen", ServiceLine.SECOND_LINE, "Telefoni", 4),
                ],
            ),
            TeamSpec(
                "Specialister – 3:e linjen",
                [
                    ("Nätverksspecialist", ServiceLine.THIRD_LINE, "Nätverk", 1),
                    (
                        "Systemspecialist",
                        ServiceLine.THIRD_LINE,
                        "Servrar och verksamhetssystem",
                        2,
                    ),
                    ("Office 365-specialist", ServiceLine.THIRD_LINE, "Microsoft 365", 1),
                ],
            ),
        ],
    ),
    TeamSpec(
        "Digitaliseringsenhet",
        [
            ("Digitaliseringsstrateg", ServiceLine.DIGITALISATION, "Portföljstyrning", 1),
            (
                "Informationssäkerhetsansvarig",
                ServiceLine.DIGITALISATION,
                "Informationssäkerhet",
                1,
            ),
        ],
    ),
]


@dataclass(frozen=True)
class DemoAccount:
    username: str
    first_name: str
    last_name: str
    description: str


DEMO_ACCOUNTS = [
    DemoAccount("admin", "Anna", "Admin", "samverkansadministratör"),
    DemoAccount("agent", "Alva", "Andersson", "servicedesk, 1:a linjen"),
    DemoAccount("tekniker", "Tore", "Karlsson", "tekniker, 2:a linjen (identitet)"),
    DemoAccount("ekonom", "Eva", "Nilsson", "ekonom"),
    DemoAccount("strateg", "Sara", "Lind", "digitaliseringsstrateg, portföljansvarig"),
    DemoAccount("sakerhet", "Sven", "Holm", "informationssäkerhetsansvarig"),
    DemoAccount("radsmedlem", "Rolf", "Berg", "ledamot i IT-råd Dalsland"),
    DemoAccount(
        "bestallare-mellerud", "Maria", "Svensson", "beställare, Socialförvaltningen Mellerud"
    ),
    DemoAccount("anvandare-bengtsfors", "Björn", "Ek", "användare, Grundskola F–6 Bengtsfors"),
    DemoAccount("anvandare-fargelanda", "Fia", "Ström", "användare, Hemtjänst norr Färgelanda"),
]


def is_loaded() -> bool:
    return Cooperation.objects.filter(slug=SLUG).exists()


def _add(parent: OrgNode, kind: str, name: str, **extra: str) -> OrgNode:
    return services.node_create(actor=SYSTEM, parent=parent, kind=kind, name=name, **extra)


def _teams(parent: OrgNode, specs: list[TeamSpec], out: dict[str, list[object]]) -> None:
    for spec in specs:
        team = _add(parent, NodeKind.TEAM, spec.name)
        for title, line, specialisation, count in spec.positions:
            for _i in range(count):
                pos = services.position_create(
                    actor=SYSTEM, team=team, title=title, line=line, specialisation=specialisation
                )
                out.setdefault(f"{title}|{specialisation}", []).append(pos)
        _teams(team, spec.children, out)


@transaction.atomic
def load() -> bool:
    """Load the demo once. Returns False (and changes nothing) when it is already there."""
    if is_loaded():
        return False
    coop = services.cooperation_create(
        actor=SYSTEM, name="Dalslands IT-samverkan", slug=SLUG, root_name="Dalslands IT-samverkan"
    )
    assert coop.root is not None
    root = coop.root
    nodes: dict[str, OrgNode] = {}
    for facts in MUNICIPALITIES:
        m = _add(
            root,
            NodeKind.MUNICIPALITY,
            facts.full_name,
            municipal_code=facts.code,
            organisation_number=facts.organisation_number,
            email_domain=facts.domain,
        )
        nodes[facts.name] = m
        if facts.inhabitants_2023:
            services.inhabitants_set(
                actor=SYSTEM, municipality=m, year=2023, inhabitants=facts.inhabitants_2023
            )
        if facts.member:
            services.municipality_join(
                actor=SYSTEM,
                cooperation=coop,
                municipality=m,
                joined_on=MEMBERS_SINCE,
                decision_reference=f"Demo: KF-beslut {facts.name} 2024",
            )
        for adm_name, units in ADMINISTRATIONS:
            adm = _add(m, NodeKind.ADMINISTRATION, adm_name)
            nodes[f"{facts.name}/{adm_name}"] = adm
            for unit_name, local in units:
                unit = _add(adm, NodeKind.UNIT, unit_name, cost_centre=f"{facts.code}-{local}0")
                nodes[f"{facts.name}/{unit_name}"] = unit
    coop = services.cooperation_set_host(actor=SYSTEM, cooperation=coop, host=nodes["Åmål"])

    it_org = _add(root, NodeKind.IT_ORGANISATION, IT_ORGANISATION)
    positions: dict[str, list[object]] = {}
    _teams(it_org, TEAMS, positions)

    users: dict[str, User] = {}
    teams_by_name = {
        n.name: n for n in OrgNode.objects.filter(cooperation=coop, kind=NodeKind.TEAM)
    }
    teams_by_name["Kommunledningskontoret Åmål"] = nodes["Åmål/Kommunledningskontoret"]
    home_units = {
        "bestallare-mellerud": nodes["Mellerud/Hemtjänst norr"],
        "anvandare-bengtsfors": nodes["Bengtsfors/Grundskola F–6"],
        "anvandare-fargelanda": nodes["Färgelanda/Hemtjänst norr"],
    }
    for acc in DEMO_ACCOUNTS:
        home_unit = home_units.get(acc.username) or teams_by_name.get(
            STAFF_TEAMS.get(acc.username, "")
        )
        users[acc.username] = account_services.user_create(
            actor=SYSTEM,
            username=acc.username,
            password=DEMO_PASSWORD,
            first_name=acc.first_name,
            last_name=acc.last_name,
            email=f"{acc.username}@itfabrik.example",
            home_unit=home_unit,
            check_password_strength=False,
        )

    def assign(username: str, role: str, node: OrgNode, recursive: bool = True) -> None:
        account_services.role_assign(
            actor=SYSTEM, user=users[username], role=role, node=node, recursive=recursive
        )

    for name, role in [
        ("admin", Role.COOPERATION_ADMIN),
        ("agent", Role.AGENT),
        ("tekniker", Role.TECHNICIAN),
        ("ekonom", Role.FINANCE),
        ("strateg", Role.PORTFOLIO_MANAGER),
        ("sakerhet", Role.SECURITY_OFFICER),
        ("radsmedlem", Role.COUNCIL_MEMBER),
    ]:
        assign(name, role, root)
    # Staff of a municipality see their own municipality's organisation; nothing of the others'.
    assign("bestallare-mellerud", Role.END_USER, nodes["Mellerud"])
    assign("bestallare-mellerud", Role.ORDERER, nodes["Mellerud/Socialförvaltningen"])
    assign("anvandare-bengtsfors", Role.END_USER, nodes["Bengtsfors"])
    assign("anvandare-fargelanda", Role.END_USER, nodes["Färgelanda"])

    holders = {
        "agent": "IT-tekniker 1:a linjen|",
        "tekniker": "IT-tekniker 2:a linjen|Identitet",
        "strateg": "Digitaliseringsstrateg|Portföljstyrning",
        "sakerhet": "Informationssäkerhetsansvarig|Informationssäkerhet",
    }
    for username, key in holders.items():
        pos = positions[key][0]
        assert isinstance(pos, Position)
        services.position_set_holder(actor=SYSTEM, position=pos, holder=users[username])
    return True
