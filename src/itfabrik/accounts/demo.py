"""The accounts part of the Dalsland demo: one account per role of the pre-study, their roles,
and the positions of the joint IT organisation they hold."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from itfabrik.core.actors import SYSTEM
from itfabrik.core.registry import demo_step
from itfabrik.core.roles import Role
from itfabrik.tenancy import services as tenancy_services
from itfabrik.tenancy.choices import NodeKind
from itfabrik.tenancy.models import OrgNode, Position

from . import services as account_services
from .models import User

DEMO_PASSWORD = "itfabrik-demo"

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


def describe() -> list[str]:
    lines = [f"Demokonton (lösenord {DEMO_PASSWORD}):"]
    lines += [f"  {acc.username:<22} {acc.description}" for acc in DEMO_ACCOUNTS]
    return lines


@demo_step("accounts", after=["tenancy"], describe=describe)
def load(ctx: dict[str, Any]) -> None:
    coop = ctx["cooperation"]
    root: OrgNode = coop.root
    nodes: dict[str, OrgNode] = ctx["nodes"]
    positions: dict[str, list[object]] = ctx["positions"]
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
        tenancy_services.position_set_holder(actor=SYSTEM, position=pos, holder=users[username])
    ctx["users"] = users
