"""The portfolio's part of the Dalsland demo: the programme of R33 (the decisions, recruiting
the head, phase 1 mapping, phase 2 migration, go-live) as five initiatives with milestones, and a
dozen digitalisation initiatives in every state, with monthly status, allocations from the
digitalisation fund, and benefits planned and (for past months) realised per municipality.
Allocations go through the services; initiatives (in their final state, the score computed by
the rule), milestones, statuses and benefits are bulk-created. Every figure is an example."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from itfabrik.billing.models import FundSpending
from itfabrik.core.actors import SYSTEM
from itfabrik.core.registry import demo_step

from . import rules, services
from .choices import FundingKind, InitiativeState, StatusColour
from .models import Benefit, Funding, Initiative, Milestone, StatusReport

MUNICIPALITIES = ("Bengtsfors", "Färgelanda", "Mellerud", "Åmål")
# Benefits are realised up to and including this month (the demo's "last report").
LAST_REPORTED = dt.date(2026, 9, 1)
D = dt.date

# (title, start, end, state, decision, (value, urgency, effort, risk), sponsors or None for all,
#  milestones [(title, due, done)], colour, comment)
PROGRAMME: list[tuple[Any, ...]] = [
    (
        "Programmet: beslut i varje kommun",
        D(2025, 1, 1),
        D(2025, 6, 30),
        "delivered",
        "ITR-2025-012",
        (5, 5, 2, 2),
        None,
        [
            ("Förstudien presenterad för kommundirektörerna", D(2025, 2, 15), True),
            ("Beslut i kommunfullmäktige i alla fyra kommuner", D(2025, 5, 31), True),
            ("Samverkansavtal undertecknat", D(2025, 6, 30), True),
        ],
        "green",
        "Alla fyra kommuner har beslutat.",
    ),
    (
        "Programmet: upphandling av stöd och rekrytering av IT-chef",
        D(2025, 4, 1),
        D(2025, 12, 31),
        "delivered",
        "ITR-2025-012",
        (5, 5, 2, 3),
        None,
        [
            ("Stöd upphandlat av värdkommunen", D(2025, 8, 31), True),
            ("IT-chef rekryterad", D(2025, 10, 31), True),
            ("Samråd med strategisk kommun i närheten om tekniska val", D(2025, 11, 30), True),
        ],
        "green",
        "IT-chefen började i november.",
    ),
    (
        "Programmet: fas 1 kartläggning och ny plattform",
        D(2025, 9, 1),
        D(2026, 6, 30),
        "delivered",
        "ITR-2025-012",
        (5, 4, 4, 3),
        None,
        [
            ("Dagens plattformar kartlagda i alla kommuner", D(2025, 12, 15), True),
            ("Ny gemensam plattform byggd", D(2026, 4, 30), True),
            ("Piloter i Mellerud och Åmål", D(2026, 6, 15), True),
        ],
        "green",
        "Piloterna är utvärderade.",
    ),
    (
        "Programmet: fas 2 migrering",
        D(2026, 3, 1),
        D(2026, 12, 31),
        "in_progress",
        "ITR-2025-012",
        (5, 4, 5, 4),
        None,
        [
            ("Åmål migrerat", D(2026, 6, 30), True),
            ("Mellerud migrerat", D(2026, 9, 30), True),
            ("Bengtsfors migrerat", D(2026, 11, 30), False),
            ("Färgelanda migrerat", D(2026, 12, 15), False),
        ],
        "yellow",
        "Bengtsfors skolnät försenat två veckor; plan för ikapp-tagning finns.",
    ),
    (
        "Programmet: driftstart av IT-fabriken",
        D(2026, 12, 1),
        D(2027, 3, 31),
        "approved",
        "ITR-2025-012",
        (5, 5, 3, 3),
        None,
        [
            ("Servicedesk öppen för alla kommuner", D(2027, 1, 8), False),
            ("Gamla plattformar avvecklade", D(2027, 3, 15), False),
            ("Uppföljning i IT-råd Dalsland", D(2027, 3, 31), False),
        ],
        "green",
        "Förberedelser enligt plan.",
    ),
]

# (title, start, end, state, decision, ratings, sponsors, colour, comment,
#  [(kind, measure, unit, planned per month and municipality)])
INITIATIVES: list[tuple[Any, ...]] = [
    (
        "Gemensam e-tjänsteplattform",
        D(2026, 1, 1),
        D(2026, 12, 31),
        "in_progress",
        "ITR-2025-013",
        (5, 4, 4, 2),
        None,
        "green",
        "Tio e-tjänster i drift.",
        [
            ("money", "Minskade licenskostnader", "kr", "12000"),
            ("hours", "Sparad handläggartid", "h", "40"),
        ],
    ),
    (
        "Digital signering i alla förvaltningar",
        D(2026, 2, 1),
        D(2026, 9, 30),
        "delivered",
        "ITR-2025-015",
        (4, 3, 2, 1),
        None,
        "green",
        "Levererad i september.",
        [
            ("money", "Minskade porto- och papperskostnader", "kr", "4500"),
            ("quality", "Avtal signerade digitalt", "%", "80"),
        ],
    ),
    (
        "Robotiserad ekonomihantering (RPA)",
        D(2026, 4, 1),
        D(2027, 3, 31),
        "in_progress",
        "ITR-2025-017",
        (4, 3, 3, 3),
        ("Mellerud", "Åmål"),
        "yellow",
        "Leverantörsfakturor klart, avstämningar försenade.",
        [("hours", "Sparad tid på ekonomienheten", "h", "30")],
    ),
    (
        "Trygghetslarm digitala",
        D(2026, 3, 1),
        D(2026, 12, 31),
        "in_progress",
        "ITR-2025-016",
        (5, 5, 3, 4),
        None,
        "red",
        "Leverantörens basstationer saknas; eskalerat till leverantören.",
        [
            ("quality", "Larm besvarade inom 2 minuter", "%", "95"),
            ("money", "Minskade kostnader för analoga linjer", "kr", "6000"),
        ],
    ),
    (
        "Gemensam skoladministration",
        D(2026, 8, 1),
        D(2027, 6, 30),
        "approved",
        "ITR-2025-019",
        (4, 3, 4, 3),
        ("Bengtsfors", "Färgelanda"),
        "green",
        "Upphandling pågår.",
        [("money", "Ett system i stället för två", "kr", "15000")],
    ),
    (
        "Självservice för lösenord",
        D(2026, 1, 1),
        D(2026, 6, 30),
        "delivered",
        "ITR-2025-014",
        (3, 4, 1, 1),
        None,
        "green",
        "Levererad.",
        [("hours", "Färre samtal till servicedesken", "h", "20")],
    ),
    (
        "Gemensamt intranät",
        D(2027, 1, 1),
        D(2027, 12, 31),
        "assessment",
        "",
        (3, 2, 3, 2),
        None,
        None,
        "",
        [("hours", "Mindre tid att leta information", "h", "25")],
    ),
    (
        "Chattbot för invånarfrågor",
        D(2027, 2, 1),
        D(2027, 10, 31),
        "idea",
        "",
        (3, 2, 2, 4),
        ("Åmål",),
        None,
        "",
        [],
    ),
    (
        "Digital nämndhantering",
        D(2026, 5, 1),
        D(2026, 10, 31),
        "stopped",
        "",
        (2, 2, 3, 3),
        ("Mellerud",),
        "red",
        "Avbrutet: ingår i kommunernas nya ärendesystem.",
        [],
    ),
    (
        "Sensorer för fastighetsdrift",
        D(2027, 3, 1),
        D(2028, 2, 29),
        "idea",
        "",
        (4, 2, 4, 3),
        ("Bengtsfors", "Mellerud"),
        None,
        "",
        [("money", "Lägre energikostnad", "kr", "9000")],
    ),
    (
        "Gemensam GIS-plattform",
        D(2026, 9, 1),
        D(2027, 8, 31),
        "assessment",
        "",
        (3, 3, 3, 2),
        None,
        None,
        "",
        [("money", "Färre GIS-licenser", "kr", "5000")],
    ),
    (
        "Mobil hemtjänstplanering",
        D(2026, 6, 1),
        D(2027, 5, 31),
        "in_progress",
        "ITR-2025-018",
        (5, 4, 3, 3),
        ("Färgelanda", "Bengtsfors", "Åmål"),
        "green",
        "Två av tre kommuner i gång.",
        [("hours", "Mer tid hos brukaren", "h", "60"), ("quality", "Besök enligt plan", "%", "90")],
    ),
]

# (initiative title, allocated) from the fund. The demo spends nothing more than billing's own
# demo did (450 000 kr on PORT-2026-001), so the fund's balance is billing's.
FUNDING = [
    ("Gemensam e-tjänsteplattform", "600000"),
    ("Robotiserad ekonomihantering (RPA)", "250000"),
    ("Trygghetslarm digitala", "300000"),
    ("Mobil hemtjänstplanering", "200000"),
    ("Programmet: fas 2 migrering", "250000"),
]


def is_loaded() -> bool:
    return Initiative.objects.exists()


def _initiative(
    ctx: dict[str, Any],
    *,
    code: str,
    title: str,
    start: dt.date,
    end: dt.date,
    state: str,
    decision: str,
    ratings: tuple[int, int, int, int],
    sponsors: tuple[str, ...] | None,
    owner: Any,
    business_case: str,
) -> Initiative:
    """Written directly in its final state (the lifecycle's moves through the services cost a
    locked, audited update each: too slow for the demo); the score by the same rule."""
    nodes = ctx["nodes"]
    value, urgency, effort, risk = ratings
    initiative = Initiative(
        cooperation=ctx["cooperation"],
        code=code,
        title=title,
        owner=owner,
        start=start,
        end=end,
        state=state,
        decision_reference=decision,
        all_municipalities=sponsors is None,
        value=value,
        urgency=urgency,
        effort=effort,
        risk=risk,
        business_case=business_case,
        description="Exempel i demodata.",
    )
    initiative.priority_score = rules.priority_score(rules.DEFAULT_WEIGHTS, initiative.ratings())
    Initiative.objects.bulk_create([initiative])
    if sponsors:
        initiative.sponsors.set([nodes[n] for n in sponsors])
    return initiative


def _status(
    initiative: Initiative, colour: str | None, comment: str, out: list[StatusReport]
) -> None:
    if colour is None:
        return
    last = min(LAST_REPORTED, rules.month_start(initiative.end or LAST_REPORTED))
    if initiative.start > last:
        last = rules.month_start(initiative.start)
    # Earlier months were on track; the latest carries the story.
    for month in rules.months(max(initiative.start, last - dt.timedelta(days=62)), last)[:-1]:
        out.append(
            StatusReport(
                initiative=initiative,
                period=month,
                colour=StatusColour.GREEN,
                comment="Enligt plan.",
            )
        )
    out.append(StatusReport(initiative=initiative, period=last, colour=colour, comment=comment))


@demo_step("portfolio", after=["accounts", "billing"], loaded=is_loaded)
def load(ctx: dict[str, Any]) -> None:
    nodes = ctx["nodes"]
    users = ctx["users"]
    strateg = users["strateg"]
    admin = users["admin"]
    by_title: dict[str, Initiative] = {}
    milestone_rows: list[Milestone] = []
    statuses: list[StatusReport] = []
    for n, row in enumerate(PROGRAMME, start=1):
        title, start, end, state, decision, ratings, sponsors, milestones, colour, comment = row
        initiative = _initiative(
            ctx,
            code=f"PROG-{n:02d}",
            title=title,
            start=start,
            end=end,
            state=state,
            decision=decision,
            ratings=ratings,
            sponsors=sponsors,
            owner=admin,
            business_case="Förstudiens program (R33): gemensam IT-organisation i Dalsland.",
        )
        for m_title, due, done in milestones:
            milestone_rows.append(
                Milestone(initiative=initiative, title=m_title, due=due, done=done)
            )
        _status(initiative, colour, comment, statuses)
        by_title[title] = initiative
    benefits: list[Benefit] = []
    for n, row in enumerate(INITIATIVES, start=1):
        title, start, end, state, decision, ratings, sponsors, colour, comment, measures = row
        initiative = _initiative(
            ctx,
            code=f"PORT-{start.year}-{n:03d}",
            title=title,
            start=start,
            end=end,
            state=state,
            decision=decision,
            ratings=ratings,
            sponsors=sponsors,
            owner=strateg,
            business_case="Nyttan följs upp månadsvis per kommun (exempel).",
        )
        milestone_rows.append(
            Milestone(initiative=initiative, title="Start", due=start, done=start < LAST_REPORTED)
        )
        milestone_rows.append(
            Milestone(
                initiative=initiative,
                title="Leverans",
                due=end,
                done=state == InitiativeState.DELIVERED,
            )
        )
        _status(initiative, colour, comment, statuses)
        by_title[title] = initiative
        if state in (InitiativeState.STOPPED,):
            continue
        for month in rules.months(start, end):
            for i, name in enumerate(sponsors or MUNICIPALITIES):
                for kind, measure, unit, planned in measures:
                    plan = Decimal(planned)
                    realised = None
                    if month <= LAST_REPORTED and state != InitiativeState.IDEA:
                        # Some months short of plan, some above: the report has a story.
                        realised = (
                            plan * Decimal(80 + 10 * ((month.month + i) % 4)) / 100
                        ).quantize(Decimal("0.01"))
                    benefits.append(
                        Benefit(
                            initiative=initiative,
                            municipality=nodes[name],
                            period=month,
                            kind=kind,
                            measure=measure,
                            unit=unit,
                            planned=plan,
                            realised=realised,
                            owner=strateg,
                        )
                    )
    Benefit.objects.bulk_create(benefits, batch_size=500)
    Milestone.objects.bulk_create(milestone_rows)
    StatusReport.objects.bulk_create(statuses)
    # The fund spending billing's demo booked on PORT-2026-001 belongs to the platform.
    platform = by_title["Gemensam e-tjänsteplattform"]
    for spending in FundSpending.objects.filter(reference="PORT-2026-001"):
        Funding.objects.create(
            initiative=platform,
            pool=spending.pool,
            kind=FundingKind.SPENDING,
            amount=spending.amount,
            date=spending.spent_on,
            note="Bokad i faktureringens demodata",
            spending=spending,
        )
    for title, allocated in FUNDING:
        initiative = by_title[title]
        services.funding_allocate(
            actor=SYSTEM,
            initiative=initiative,
            amount=allocated,
            date=max(initiative.start, D(2026, 1, 15)),
            decision_reference=initiative.decision_reference,
            note="Tilldelning ur digitaliseringsfonden",
        )
