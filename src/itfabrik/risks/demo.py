"""The risk-register part of the Dalsland demo: the six highest-scoring risks of "no
cooperation" from the pre-study, with the workshop in which the four municipalities scored them
(averages 15, 13, 11, 11, 10 and 10, as the pre-study shows), and a few risks of one
municipality linked to systems in its own data centre. Written with bulk_create."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from itfabrik.core.registry import demo_step

from . import rules
from .choices import Category, ScoreKind, Treatment
from .models import Risk, RiskAction, ScoreRecord, Workshop, WorkshopScore

MUNICIPALITIES = ("Bengtsfors", "Färgelanda", "Mellerud", "Åmål")

# title, category, the register's probability and consequence, and each municipality's
# (probability, consequence) in the pre-study's workshop, in the order of MUNICIPALITIES.
SEED_RISKS: list[tuple[str, str, int, int, list[tuple[int, int]]]] = [
    ("Kommunen får allt svårare att upprätthålla en hög nivå av IT-säkerhet, vilket ökar "
     "sårbarheten för kritiska system och verksamheter.", Category.SECURITY, 3, 5,
     [(4, 5), (3, 4), (4, 4), (3, 4)]),
    ("Kommunen utnyttjar inte personalresurserna effektivt: specialisering uteblir och "
     "arbetsbelastningen fördelas ineffektivt.", Category.STAFF, 3, 4,
     [(3, 4), (3, 5), (3, 3), (4, 4)]),
    ("IT förblir ett operativt verktyg utan strategisk användning, vilket hämmar "
     "digitaliseringsförmågan och förändringstakten.", Category.STRATEGY, 3, 4,
     [(3, 4), (2, 4), (4, 3), (3, 4)]),
    ("Kommunen har svårt att attrahera och behålla kvalificerad personal, inom IT och i andra "
     "verksamheter.", Category.STAFF, 3, 4,
     [(3, 3), (3, 5), (2, 4), (3, 4)]),
    ("Verksamheterna får mindre tid för kärnuppdraget och utveckling när administrativa och "
     "tekniska uppgifter tar för mycket tid.", Category.OPERATIONS, 2, 5,
     [(2, 5), (2, 4), (5, 2), (3, 4)]),
    ("Samverkan med andra myndigheter, till exempel regionen, blir allt mer komplex och "
     "resurskrävande.", Category.STRATEGY, 2, 5,
     [(4, 3), (2, 3), (2, 5), (3, 4)]),
]  # fmt: skip

# Risks of one municipality: title, municipality, category, p, c, residual (p, c), treatment,
# decision, linked systems.
LOCAL_RISKS: list[tuple[Any, ...]] = [
    ("Serverhallen i Åmål saknar reservkyla", "Åmål", Category.OPERATIONS, 3, 4, (2, 4),
     Treatment.MITIGATE, "", ["Omsorg Vård", "Ekonomi Saldo", "Diarium Arkiv"]),
    ("Avtalet för Frånvaro Närvaro löper ut utan ersättare", "Åmål", Category.LEGAL, 4, 2, None,
     Treatment.ACCEPT, "ITR-2026-008", ["Frånvaro Närvaro"]),
    ("Fakturaskanningen körs på en server utan support", "Mellerud", Category.OPERATIONS, 3, 3,
     (1, 3), Treatment.AVOID, "", ["Fakturaskanning Scan"]),
]  # fmt: skip


def is_loaded() -> bool:
    return Risk.objects.exists()


@demo_step("risks", after=["systems", "accounts"], loaded=is_loaded)
def load(ctx: dict[str, Any]) -> None:
    coop = ctx["cooperation"]
    nodes = ctx["nodes"]
    users = ctx["users"]
    systems = ctx.get("systems", {})
    today = timezone.localdate()
    sakerhet, strateg = users["sakerhet"], users["strateg"]
    risks = []
    for i, (title, category, p, c, _scores) in enumerate(SEED_RISKS):
        risks.append(
            Risk(
                cooperation=coop,
                scope=coop.root,
                title=title,
                category=category,
                owner=strateg if category == Category.STRATEGY else sakerhet,
                probability=p,
                consequence=c,
                score=rules.score(p, c),
                treatment=Treatment.MITIGATE,
                treatment_note="Gemensam IT-organisation enligt förstudien.",
                next_review=today + dt.timedelta(days=5 + 30 * i),
            )
        )
    for title, muni, category, p, c, residual, treatment, decision, _s in LOCAL_RISKS:
        risks.append(
            Risk(
                cooperation=coop,
                scope=nodes[muni],
                title=title,
                category=category,
                owner=sakerhet,
                probability=p,
                consequence=c,
                score=rules.score(p, c),
                residual_probability=residual[0] if residual else None,
                residual_consequence=residual[1] if residual else None,
                residual_score=rules.score(*residual) if residual else None,
                treatment=treatment,
                decision=decision,
                next_review=today + dt.timedelta(days=45),
            )
        )
    risks = Risk.objects.bulk_create(risks)
    history = [
        ScoreRecord(risk=r, kind=ScoreKind.INHERENT, probability=r.probability,
                    consequence=r.consequence, score=r.score)
        for r in risks
    ] + [
        ScoreRecord(risk=r, kind=ScoreKind.RESIDUAL, probability=r.residual_probability,
                    consequence=r.residual_consequence, score=r.residual_score or 0)
        for r in risks
        if r.residual_probability is not None
    ]  # fmt: skip
    ScoreRecord.objects.bulk_create(history)
    through = Risk.systems.through
    local = risks[len(SEED_RISKS) :]
    through.objects.bulk_create(
        [
            through(risk_id=r.pk, system_id=systems[name].pk)
            for r, row in zip(local, LOCAL_RISKS, strict=True)
            for name in row[8]
            if name in systems
        ]
    )
    RiskAction.objects.bulk_create(
        [
            RiskAction(risk=local[0], description="Offert på reservkylaggregat", owner=sakerhet,
                       due=today + dt.timedelta(days=30)),
            RiskAction(risk=local[0], description="Flytta Omsorg Vård till leverantörens drift",
                       owner=strateg, due=today + dt.timedelta(days=180)),
        ]
    )  # fmt: skip
    workshop = Workshop.objects.create(
        cooperation=coop,
        title="Förstudiens riskworkshoppar: utebliven samverkan",
        held_on=today - dt.timedelta(days=200),
        is_open=False,
    )
    seed = risks[: len(SEED_RISKS)]
    workshop.risks.set(seed)
    WorkshopScore.objects.bulk_create(
        [
            WorkshopScore(workshop=workshop, risk=risk, municipality=nodes[m], probability=p,
                          consequence=c, score=p * c)
            for risk, row in zip(seed, SEED_RISKS, strict=True)
            for m, (p, c) in zip(MUNICIPALITIES, row[4], strict=True)
        ]
    )  # fmt: skip
