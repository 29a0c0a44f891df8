"""The catalogue part of the Dalsland demo: four service areas, services with example prices
(marked "Exempelpris": realistic in size, not any municipality's real price), three standard
packages, add-ons that need approval, the 2026 price list, and for Mellerud's
Socialförvaltningen a few delivered orders with subscriptions from 2026-01-01 (one later change
of quantity, one order waiting for approval).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from itfabrik.core.actors import SYSTEM
from itfabrik.core.registry import demo_step
from itfabrik.tenancy.choices import NodeKind
from itfabrik.tenancy.models import OrgNode

from . import services
from .choices import Approval, OrderableBy, PriceModel, ServiceTier, UserKind
from .models import Service, ServiceArea
from .services import LineInput

EXAMPLE = "Exempelpris."
PRICE_LIST_2026 = "Prislista 2026"
DECISION_2026 = "ITR-2026-003 (exempel)"
START_2026 = dt.date(2026, 1, 1)

AREAS = [
    ("Infrastruktur", "Nätverk (fiber, LAN, Wi-Fi) och säkerhet (brandväggar, antivirus, "
     "intrångsdetektering)."),
    ("Verksamhetssystem/servrar", "Fysiska och virtuella servrar och drift av verksamhetssystem."),
    ("Identitet", "Konton, inloggning med tvåfaktor, behörigheter, SSO, loggning och övervakning."),
    ("IT-arbetsplats", "Datorer, programvara, nätåtkomst, säkerhet och support."),
]  # fmt: skip

# name, area, description, price model, unit, tier, approval, add-on, orderable by, team, price
SERVICES: list[tuple[str, str, str, str, str, str, str, bool, str, str, str]] = [
    ("Nätverksanslutning", "Infrastruktur", "Fast eller trådlös anslutning till kommunens nät "
     "för en arbetsplats, med brandvägg och intrångsskydd.", PriceModel.PER_UNIT_MONTH,
     "anslutning", ServiceTier.BASE, Approval.NONE, False, OrderableBy.ORDERERS, "2:a linjen",
     "60.00"),
    ("Gästnätverk", "Infrastruktur", "Trådlöst nät för besökare i en lokal.",
     PriceModel.FIXED_FEE, "lokal", ServiceTier.STANDARD, Approval.UNIT_MANAGER, True,
     OrderableBy.ORDERERS, "2:a linjen", "250.00"),
    ("Virtuell server", "Verksamhetssystem/servrar", "En virtuell server i den gemensamma "
     "driftmiljön med säkerhetskopiering och övervakning.", PriceModel.PER_UNIT_MONTH, "server",
     ServiceTier.EXTENDED, Approval.IT, True, OrderableBy.ORDERERS,
     "Specialister – 3:e linjen", "1450.00"),
    ("Drift av verksamhetssystem", "Verksamhetssystem/servrar", "Drift, uppdateringar och "
     "2:a/3:e linjens support för ett verksamhetssystem.", PriceModel.PER_UNIT_MONTH, "system",
     ServiceTier.EXTENDED, Approval.IT, False, OrderableBy.IT_ONLY,
     "Specialister – 3:e linjen", "2900.00"),
    ("Användarkonto med tvåfaktor", "Identitet", "Personligt konto med tvåfaktorsinloggning, "
     "SSO och behörigheter efter roll.", PriceModel.PER_UNIT_MONTH, "konto", ServiceTier.BASE,
     Approval.NONE, False, OrderableBy.ORDERERS, "2:a linjen", "35.00"),
    ("Funktionskonto", "Identitet", "Konto för en delad dator eller en funktion, utan personlig "
     "e-post.", PriceModel.PER_UNIT_MONTH, "konto", ServiceTier.BASE, Approval.NONE, False,
     OrderableBy.ORDERERS, "2:a linjen", "20.00"),
    ("Bärbar dator", "IT-arbetsplats", "Bärbar dator med dockningsstation, leasad på 48 månader, "
     "installerad och hanterad.", PriceModel.PER_UNIT_MONTH, "dator", ServiceTier.STANDARD,
     Approval.NONE, False, OrderableBy.ORDERERS, "Support och drift – 1:a linjen", "390.00"),
    ("Delad stationär dator", "IT-arbetsplats", "Stationär dator för flera användare, t.ex. i "
     "ett personalrum inom hemtjänsten.", PriceModel.PER_UNIT_MONTH, "dator", ServiceTier.STANDARD,
     Approval.NONE, False, OrderableBy.ORDERERS, "Support och drift – 1:a linjen", "290.00"),
    ("Elev-Chromebook", "IT-arbetsplats", "Chromebook för en elev med hantering och skydd.",
     PriceModel.PER_UNIT_MONTH, "enhet", ServiceTier.STANDARD, Approval.NONE, False,
     OrderableBy.ORDERERS, "Support och drift – 1:a linjen", "95.00"),
    ("Microsoft 365-licens", "IT-arbetsplats", "E-post, Office-program och Teams.",
     PriceModel.PER_UNIT_MONTH, "licens", ServiceTier.STANDARD, Approval.NONE, False,
     OrderableBy.ORDERERS, "Specialister – 3:e linjen", "120.00"),
    ("Support", "IT-arbetsplats", "Servicedesk per telefon, e-post och chatt, vardagar 7–17.",
     PriceModel.PER_UNIT_MONTH, "användare", ServiceTier.BASE, Approval.NONE, False,
     OrderableBy.ORDERERS, "Support och drift – 1:a linjen", "55.00"),
    ("Platsbesök av tekniker", "IT-arbetsplats", "En tekniker på plats, debiteras per påbörjad "
     "timme.", PriceModel.PER_USE, "timme", ServiceTier.STANDARD, Approval.NONE, False,
     OrderableBy.ORDERERS, "Support och drift – 1:a linjen", "650.00"),
    ("Mobiltelefon med abonnemang", "IT-arbetsplats", "Smart telefon med abonnemang och "
     "mobilhantering.", PriceModel.PER_UNIT_MONTH, "telefon", ServiceTier.STANDARD,
     Approval.UNIT_MANAGER, True, OrderableBy.ORDERERS, "2:a linjen", "245.00"),
    ("Extra bildskärm", "IT-arbetsplats", "En extra bildskärm till en arbetsplats.",
     PriceModel.PER_UNIT_MONTH, "skärm", ServiceTier.STANDARD, Approval.UNIT_MANAGER, True,
     OrderableBy.ORDERERS, "Support och drift – 1:a linjen", "40.00"),
    ("Specialprogramvara", "IT-arbetsplats", "Licens och paketering av en särskild programvara, "
     "t.ex. CAD eller ett journalsystems klient.", PriceModel.PER_UNIT_MONTH, "licens",
     ServiceTier.EXTENDED, Approval.IT, True, OrderableBy.ORDERERS,
     "Specialister – 3:e linjen", "310.00"),
]  # fmt: skip

PACKAGES: list[tuple[str, str, str, list[tuple[str, int]]]] = [
    (
        "Kontorsarbetsplats",
        UserKind.OFFICE,
        "Allt en medarbetare på kontor behöver: bärbar dator, konto, Microsoft 365, nät och "
        "support.",
        [
            ("Bärbar dator", 1),
            ("Användarkonto med tvåfaktor", 1),
            ("Microsoft 365-licens", 1),
            ("Nätverksanslutning", 1),
            ("Support", 1),
        ],
    ),
    (
        "Delad arbetsplats vård och omsorg",
        UserKind.CARE_SHARED,
        "En delad dator för en personalgrupp inom vård och omsorg: fyra personliga konton, ett "
        "funktionskonto, nät och support.",
        [
            ("Delad stationär dator", 1),
            ("Funktionskonto", 1),
            ("Användarkonto med tvåfaktor", 4),
            ("Nätverksanslutning", 1),
            ("Support", 4),
        ],
    ),
    (
        "Elevenhet",
        UserKind.PUPIL,
        "En Chromebook till en elev, med konto och support.",
        [("Elev-Chromebook", 1), ("Användarkonto med tvåfaktor", 1), ("Support", 1)],
    ),
]


def is_loaded() -> bool:
    return ServiceArea.objects.exists()


@demo_step("catalog", after=["accounts"], loaded=is_loaded)
def load(ctx: dict[str, Any]) -> None:
    coop = ctx["cooperation"]
    nodes: dict[str, OrgNode] = ctx["nodes"]
    users = ctx["users"]
    teams = {n.name: n for n in OrgNode.objects.filter(cooperation=coop, kind=NodeKind.TEAM)}
    areas = {
        name: services.area_create(
            actor=SYSTEM, cooperation=coop, name=name, description=text, sort_order=i * 10
        )
        for i, (name, text) in enumerate(AREAS, start=1)
    }
    catalogue: dict[str, Service] = {}
    prices: list[tuple[Service, Decimal]] = []
    for name, area, text, model, unit, tier, approval, addon, by, team, price in SERVICES:
        catalogue[name] = services.service_create(
            actor=SYSTEM,
            cooperation=coop,
            area=areas[area],
            name=name,
            description=f"{text} {EXAMPLE}",
            price_model=model,
            unit_of_measure=unit,
            tier=tier,
            approval=approval,
            is_addon=addon,
            orderable_by=by,
            owner_node=teams[team],
        )
        prices.append((catalogue[name], Decimal(price)))
    packages = {
        name: services.package_create(
            actor=SYSTEM,
            cooperation=coop,
            name=name,
            user_kind=kind,
            description=text,
            items=[(catalogue[s], q) for s, q in items],
        )
        for name, kind, text, items in PACKAGES
    }
    services.price_list_create(
        actor=SYSTEM,
        cooperation=coop,
        name=PRICE_LIST_2026,
        valid_from=START_2026,
        valid_to=dt.date(2026, 12, 31),
        decision_reference=DECISION_2026,
        prices=prices,
    )

    orderer = users["bestallare-mellerud"]
    # Approved and delivered by the system: the demo's admin account has no audit trail of its
    # own for tests to rely on (core's audit tests filter on it).
    admin = SYSTEM

    def order(unit: str, lines: list[LineInput], note: str) -> Any:
        o = services.order_create(actor=orderer, unit=nodes[unit], lines=lines, note=note)
        return services.order_submit(actor=orderer, order=o)

    care = packages["Delad arbetsplats vård och omsorg"]
    office = packages["Kontorsarbetsplats"]
    delivered = [
        order(
            "Mellerud/Hemtjänst norr",
            [LineInput(3, package=care), LineInput(2, package=office)],
            "Arbetsplatser till hemtjänstens nya lokal.",
        ),
        order(
            "Mellerud/Hemtjänst söder",
            [LineInput(2, package=care), LineInput(1, package=office)],
            "",
        ),
        order(
            "Mellerud/Särskilt boende",
            [
                LineInput(4, package=care),
                LineInput(6, service=catalogue["Mobiltelefon med abonnemang"]),
            ],
            "Telefoner till nattpersonalen.",
        ),
        order("Mellerud/Individ- och familjeomsorg", [LineInput(8, package=office)], ""),
    ]
    for o in delivered:
        if o.status == "submitted":
            o = services.order_approve(actor=admin, order=o, note="Enligt budget.")
        services.order_deliver(actor=admin, order=o, delivered_on=START_2026)
    phones = catalogue["Mobiltelefon med abonnemang"].subscriptions.get(
        unit=nodes["Mellerud/Särskilt boende"], end_date=None
    )
    change = services.order_change_subscription(
        actor=orderer, subscription=phones, quantity=8, note="Två telefoner till."
    )
    change = services.order_submit(actor=orderer, order=change)
    services.order_deliver(actor=admin, order=change, delivered_on=dt.date(2026, 3, 1))
    # Waiting for approval: an add-on the unit manager must approve.
    order(
        "Mellerud/Hemtjänst norr",
        [LineInput(2, service=catalogue["Extra bildskärm"])],
        "Skärmar till planeringen.",
    )
