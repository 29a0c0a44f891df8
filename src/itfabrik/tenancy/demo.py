"""The organisation part of the Dalsland demo: the cooperation, its five municipalities with their
administrations and units, and the joint IT organisation with its teams and 28 positions.

Facts from shared/design/DOMAIN.md: inhabitants 31 Dec 2023 (SCB) and municipal codes; only
Färgelanda's organisation number is verified, the others are left for the installation to fill in.
Names of administrations and units are typical of Swedish municipalities, not copied from the four.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from itfabrik.core.actors import SYSTEM
from itfabrik.core.registry import demo_step

from . import services
from .choices import NodeKind, ServiceLine
from .models import Cooperation, OrgNode

SLUG = "dalsland"
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


@demo_step("tenancy", loaded=is_loaded)
def load(ctx: dict[str, Any]) -> None:
    """Puts `cooperation`, `nodes` (by "Municipality" and "Municipality/Unit") and `positions`
    (by "title|specialisation") into ctx for the steps after it."""
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
    ctx.update(cooperation=coop, nodes=nodes, positions=positions)
