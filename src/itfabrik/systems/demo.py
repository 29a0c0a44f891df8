# ruff: noqa: E501
"""The system-register part of the Dalsland demo: a controlled vocabulary of capabilities, some
thirty business systems of the four municipalities (several deliberately duplicated: two school
platforms, two finance systems, two social-care systems, two intranets), their uses with system
owners and users, a few integrations, KLASSA classifications, an example requirement set written
for itfabrik and a self-assessment with gaps. Written with bulk_create: the demo loads often."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from itfabrik.core.registry import demo_step

from .choices import Compliance, Hosting, ProgrammeStatus
from .models import (
    Assessment,
    Capability,
    InformationAsset,
    Integration,
    Requirement,
    System,
    SystemUse,
)

CAPABILITIES = [
    ("Lärplattform", "Kurser, uppgifter och inlämningar för elever och lärare."),
    ("Elevdokumentation", "Omdömen, åtgärdsprogram och elevens utveckling."),
    ("Schemaläggning", "Schema för skolor och förskolor."),
    ("Frånvarohantering", "Närvaro och frånvaro för elever."),
    ("Ekonomisystem", "Redovisning, budget och uppföljning."),
    ("Fakturahantering", "Skanning, attest och betalning av leverantörsfakturor."),
    ("Lönesystem", "Löner, arvoden och pensionsunderlag."),
    ("Personaladministration", "Anställningar, kompetens och schema för personal."),
    ("Ärende- och dokumenthantering", "Diarium, ärenden och arkiv."),
    ("E-tjänsteplattform", "Självservice för invånare och företag."),
    ("Verksamhetssystem socialtjänst", "Handläggning inom individ- och familjeomsorg."),
    ("Journalföring hälso- och sjukvård", "Journal enligt patientdatalagen."),
    ("Bygglov", "Handläggning av bygglov och anmälningar."),
    ("Kartor och GIS", "Kartor, adresser och geografiska data."),
    ("Intranät", "Information och nyheter för medarbetare."),
    ("Lokalbokning", "Bokning av lokaler och anläggningar."),
    ("Växel och telefoni", "Växel, kontaktcenter och mobiltelefoni."),
    ("Bibliotekssystem", "Utlån, katalog och webbsök."),
    ("Fastighetsförvaltning", "Underhåll, felanmälan och hyror."),
    ("Upphandling", "Annonsering och utvärdering av upphandlingar."),
    ("Överförmyndarhandläggning", "Ställföreträdarskap och årsräkningar."),
    ("Färdtjänst", "Tillstånd och resor."),
    ("Kostplanering", "Matsedlar, recept och specialkost."),
    ("Trygghetslarm", "Larm för äldre och personer med funktionsnedsättning."),
]

B, F, M, A = "Bengtsfors", "Färgelanda", "Mellerud", "Åmål"
ALL = (B, F, M, A)
CLOUD, DC, SUPP = Hosting.CLOUD, Hosting.OWN_DATA_CENTRE, Hosting.SUPPLIER

# name, supplier, hosting, status, months to contract end (None: none), capabilities,
# municipalities, KLASSA (K, R, T, S or None) and personal data.
SYSTEMS: list[tuple[Any, ...]] = [
    ("Skolplattform Nova", "Nova Edu AB", CLOUD, "mapped", 7,
     ["Lärplattform", "Elevdokumentation", "Frånvarohantering"], (B, F), (3, 2, 2, 2), True),
    ("Lärportalen Vidd", "Vidd Learning AB", SUPP, "mapped", 19,
     ["Lärplattform", "Elevdokumentation", "Schemaläggning"], (M, A), (3, 2, 2, 2), True),
    ("Schema Takt", "Takt Systems AB", CLOUD, "mapped", 11, ["Schemaläggning"], (B, F), None, False),
    ("Ekonomi Saldo", "Saldo Finans AB", DC, "mapped", 5,
     ["Ekonomisystem", "Fakturahantering"], (M, A), (2, 3, 2, None), False),
    ("Ekonomi Kassa", "Kassa Data AB", SUPP, "mapped", 26,
     ["Ekonomisystem", "Fakturahantering"], (B, F), (2, 3, 2, None), False),
    ("Lön Puls", "Puls HR AB", SUPP, "migrated", 31,
     ["Lönesystem", "Personaladministration"], ALL, (3, 3, 2, 2), True),
    ("Diarium Arkiv", "Arkivlösningar AB", DC, "mapped", 3,
     ["Ärende- och dokumenthantering"], (A,), (2, 2, 1, 2), True),
    ("Ärende Flöde", "Flöde Digital AB", CLOUD, "mapped", 22,
     ["Ärende- och dokumenthantering", "E-tjänsteplattform"], (B, F, M), None, True),
    ("Omsorg Vård", "Vårdsystem Norden AB", DC, "mapped", 14,
     ["Verksamhetssystem socialtjänst", "Journalföring hälso- och sjukvård"], (M, A),
     (3, 3, 3, 3), True),
    ("Socialsystem Stöd", "Stöd IT AB", SUPP, "mapped", 9,
     ["Verksamhetssystem socialtjänst", "Journalföring hälso- och sjukvård"], (B, F),
     (3, 3, 3, 3), True),
    ("Bygg Plan", "Samhällsbyggnad IT AB", DC, "to_phase_out", 2, ["Bygglov"], (A, B), None, True),
    ("Kartan GIS", "Geodata Sverige AB", DC, "mapped", 40, ["Kartor och GIS"], ALL, (1, 2, 1, None), False),
    ("E-tjänst Portal", "Portalbolaget AB", CLOUD, "mapped", 12, ["E-tjänsteplattform"], (A,), None, True),
    ("Intranät Nod", "Nod Webb AB", DC, "to_phase_out", 4, ["Intranät"], (A,), (1, 1, 1, None), False),
    ("Intranät Torget", "Torget Kommunikation AB", CLOUD, "mapped", 16, ["Intranät"], (B, M, F),
     (1, 1, 1, None), False),
    ("Lokalbokning Rum", "Rumsbokarna AB", CLOUD, "mapped", 8, ["Lokalbokning"], (M,), None, True),
    ("Bokning Sal", "Salsbokning AB", DC, "mapped", None, ["Lokalbokning"], (F,), None, True),
    ("Växel Ton", "Ton Telekom AB", CLOUD, "migrated", 28, ["Växel och telefoni"], ALL, None, True),
    ("Bibliotek Hylla", "Hylla Media AB", SUPP, "mapped", 20, ["Bibliotekssystem"], ALL, None, True),
    ("Fastighet Bas", "Bas Förvaltning AB", DC, "mapped", 6, ["Fastighetsförvaltning"], (A, B), None, False),
    ("Upphandling Anbud", "Anbudstjänst AB", CLOUD, "migrated", 18, ["Upphandling"], ALL, None, False),
    ("Frånvaro Närvaro", "Närvarosystem AB", DC, "mapped", 1, ["Frånvarohantering"], (A,), None, True),
    ("Elevhälsa Journal", "Elevhälsa Data AB", SUPP, "mapped", 13,
     ["Elevdokumentation", "Journalföring hälso- och sjukvård"], (M,), (3, 3, 2, 3), True),
    ("Gamla diariet", "Arkivlösningar AB", DC, "phased_out", None,
     ["Ärende- och dokumenthantering"], (F,), None, True),
    ("Fakturaskanning Scan", "Scan Ekonomi AB", DC, "to_phase_out", 0, ["Fakturahantering"], (M,),
     None, False),
    ("Överförmyndare Ombud", "Ombud System AB", SUPP, "mapped", 24, ["Överförmyndarhandläggning"],
     ALL, (3, 2, 1, 2), True),
    ("Färdtjänst Resa", "Resa Trafik AB", SUPP, "migrated", 30, ["Färdtjänst"], (A, M), None, True),
    ("Måltid Meny", "Meny Kost AB", CLOUD, "mapped", 10, ["Kostplanering"], (B,), None, False),
    ("Kost Planera", "Planera Mat AB", DC, "mapped", 15, ["Kostplanering"], (A,), None, False),
    ("Larm Trygg", "Trygg Larm AB", SUPP, "mapped", 21, ["Trygghetslarm"], ALL, (2, 3, 4, 3), True),
]  # fmt: skip

OWNERS = {
    "Lärplattform": "Skolchef",
    "Elevdokumentation": "Skolchef",
    "Ekonomisystem": "Ekonomichef",
    "Verksamhetssystem socialtjänst": "Socialchef",
}
USERS = {B: 120, F: 80, M: 110, A: 190}

INTEGRATIONS = [
    ("Lön Puls", "Ekonomi Saldo", "Lönebokföring per kostnadsställe"),
    ("Lön Puls", "Ekonomi Kassa", "Lönebokföring per kostnadsställe"),
    ("Ärende Flöde", "E-tjänst Portal", "Inkomna e-ärenden"),
    ("Skolplattform Nova", "Schema Takt", "Elevgrupper och lektioner"),
    ("Omsorg Vård", "Larm Trygg", "Larmmottagare och brukare"),
    ("Kartan GIS", "Bygg Plan", "Fastighetsgränser och adresser"),
]

# An example requirement set written for itfabrik (not SKR's text): code, aspect, level, text.
REQUIREMENTS = [
    ("K1", "confidentiality", 1, "Behörigheter ges per roll och ses över minst en gång om året."),
    ("K2", "confidentiality", 2, "Inloggning kräver flerfaktorsautentisering."),
    ("K3", "confidentiality", 2, "Data krypteras vid överföring och lagring."),
    (
        "K4",
        "confidentiality",
        3,
        "Åtkomst till känsliga uppgifter loggas och följs upp varje månad.",
    ),
    (
        "K5",
        "confidentiality",
        3,
        "Leverantörens personal når data endast efter begäran som godkänns.",
    ),
    ("R1", "integrity", 1, "Ändringar av uppgifter går att spåra till person och tidpunkt."),
    ("R2", "integrity", 2, "Säkerhetskopior tas dagligen och återläsning provas varje halvår."),
    ("R3", "integrity", 3, "Integrationer kontrollerar att överförda uppgifter är kompletta."),
    ("T1", "availability", 1, "Systemet har en namngiven förvaltare och en kontaktväg vid fel."),
    ("T2", "availability", 2, "Avtalet anger tillgänglighet och tid till åtgärd."),
    ("T3", "availability", 3, "Det finns en reservrutin som verksamheten har övat."),
    ("T4", "availability", 4, "Drift i två av varandra oberoende anläggningar."),
    ("S1", "traceability", 1, "Loggar sparas så länge som gallringsbeslutet anger."),
    ("S2", "traceability", 2, "Loggar skyddas mot ändring och granskas vid misstanke om intrång."),
    ("S3", "traceability", 3, "Loggutdrag kan lämnas till den registrerade på begäran."),
]

# The self-assessment of "Omsorg Vård": code → (compliance, comment).
ASSESSMENT = {
    "K1": ("met", ""),
    "K2": ("not_met", "Lokala konton utan flerfaktorsinloggning."),
    "K3": ("partly", "Lagring krypteras inte i serverhallen."),
    "K4": ("not_met", ""),
    "K5": ("met", ""),
    "R1": ("met", ""),
    "R2": ("partly", "Återläsning har inte provats."),
    "T1": ("met", ""),
    "T2": ("met", ""),
    "T3": ("not_met", "Ingen övad reservrutin."),
    "S1": ("met", ""),
}

ASSETS = [
    ("Sociala akter", "Omsorg Vård", (3, 3, 2, 3), True),
    ("Elevdokumentation", "Lärportalen Vidd", (3, 2, 2, 2), True),
    ("Leverantörsreskontra", "Ekonomi Saldo", (1, 3, 2, None), False),
    ("Lönespecifikationer", "Lön Puls", (2, 3, 2, 2), True),
]


def is_loaded() -> bool:
    return System.objects.exists()


def _months(today: dt.date, months: int) -> dt.date:
    month0 = today.month - 1 + months
    return dt.date(today.year + month0 // 12, month0 % 12 + 1, 28)


@demo_step("systems", after=["accounts"], loaded=is_loaded)
def load(ctx: dict[str, Any]) -> None:
    coop = ctx["cooperation"]
    nodes = ctx["nodes"]
    today = timezone.localdate()
    caps = Capability.objects.bulk_create(
        [Capability(cooperation=coop, name=n, description=d) for n, d in CAPABILITIES]
    )
    cap_by_name = {c.name: c for c in caps}
    systems = System.objects.bulk_create(
        [
            System(
                cooperation=coop,
                name=name,
                supplier=supplier,
                hosting=hosting,
                status=ProgrammeStatus(status),
                contract_end=_months(today, months) if months is not None else None,
                description="",
                confidentiality=levels[0] if levels else None,
                integrity=levels[1] if levels else None,
                availability=levels[2] if levels else None,
                traceability=levels[3] if levels and personal else None,
                personal_data=personal,
            )
            for name, supplier, hosting, status, months, _c, _m, levels, personal in SYSTEMS
        ]
    )
    by_name = {s.name: s for s in systems}
    through = System.capabilities.through
    through.objects.bulk_create(
        [
            through(system_id=by_name[row[0]].pk, capability_id=cap_by_name[c].pk)
            for row in SYSTEMS
            for c in row[5]
        ]
    )
    uses = []
    for i, row in enumerate(SYSTEMS):
        owner_title = next((OWNERS[c] for c in row[5] if c in OWNERS), "Förvaltningschef")
        for m in row[6]:
            uses.append(
                SystemUse(
                    system=by_name[row[0]],
                    municipality=nodes[m],
                    owner=f"{owner_title} {m}",
                    users=USERS[m] // (1 + i % 3),
                )
            )
    SystemUse.objects.bulk_create(uses)
    Integration.objects.bulk_create(
        [
            Integration(source=by_name[s], target=by_name[t], description=d)
            for s, t, d in INTEGRATIONS
        ]
    )
    reqs = Requirement.objects.bulk_create(
        [
            Requirement(cooperation=coop, code=code, aspect=aspect, level=level, text=text)
            for code, aspect, level, text in REQUIREMENTS
        ]
    )
    req_by_code = {r.code: r for r in reqs}
    owner = ctx["users"].get("sakerhet")
    Assessment.objects.bulk_create(
        [
            Assessment(
                system=by_name["Omsorg Vård"],
                requirement=req_by_code[code],
                compliance=Compliance(compliance),
                comment=comment,
                action=(
                    f"Uppfyll kravet {code}: {req_by_code[code].text}"
                    if compliance != "met"
                    else ""
                ),
                action_owner=owner if compliance != "met" else None,
                action_due=today + dt.timedelta(days=60 + 30 * i) if compliance != "met" else None,
            )
            for i, (code, (compliance, comment)) in enumerate(ASSESSMENT.items())
        ]
    )
    InformationAsset.objects.bulk_create(
        [
            InformationAsset(
                cooperation=coop,
                name=name,
                system=by_name[system],
                confidentiality=lv[0],
                integrity=lv[1],
                availability=lv[2],
                traceability=lv[3],
                personal_data=pd,
            )
            for name, system, lv, pd in ASSETS
        ]
    )
    ctx["systems"] = by_name
