"""The economy's part of the Dalsland demo: the pre-study's own 2024 figures, entered exactly as
the document gives them (the tables after "Att höja varje it-budget till rikssnittet…": the IT
unit's cost per category and each municipality's net cost), its scenario (2.5 % national
average, 30 % savings on IT services, IT equipment, IT communication and consulting), and a
timeline 2024–2030.

The category table gives Fiber, Omkostnad, OH and Lokaler without naming the municipality of
each amount; the placement below is the only one under which every municipality's categories
sum to the IT cost the document gives for it (docs/adr/0034). The timeline's 2024 operating
costs are the pre-study's; everything after 2024 (and every investment and project cost) is an
assumption of the demo, marked as such: the document draws the investment hump but gives no
amounts for it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from itfabrik.core.actors import SYSTEM
from itfabrik.core.registry import demo_step

from . import rules, services
from .choices import FigureBasis
from .models import CostCategory

YEAR = 2024
SOURCE = (
    "Förstudien, tabellerna efter ”Att höja varje it-budget till rikssnittet…” "
    "(kommunernas ekonomisystem)"
)
# (name, default savings per cent), in the pre-study's order.
CATEGORIES = [
    ("IT-tjänster", Decimal(30)),
    ("IT-utrustning", Decimal(30)),
    ("IT-kommunikation", Decimal(30)),
    ("Konsultstöd", Decimal(30)),
    ("Fiber", Decimal(0)),
    ("Personalkostnad", Decimal(0)),
    ("Omkostnad", Decimal(0)),
    ("OH", Decimal(0)),
    ("Lokaler", Decimal(0)),
]
# Municipality → (net cost 2024, {category: IT unit cost 2024}), in kronor as the document has.
FIGURES_2024: dict[str, tuple[Decimal, dict[str, Decimal]]] = {
    "Bengtsfors": (
        Decimal("688000000"),
        {
            "IT-tjänster": Decimal("3245000"),
            "IT-utrustning": Decimal("1244000"),
            "IT-kommunikation": Decimal("645000"),
            "Konsultstöd": Decimal("430000"),
            "Personalkostnad": Decimal("5452793"),
            "Omkostnad": Decimal("1479950"),
        },
    ),
    "Mellerud": (
        Decimal("720000000"),
        {
            "IT-tjänster": Decimal("3150000"),
            "IT-utrustning": Decimal("969400"),
            "IT-kommunikation": Decimal("2000000"),
            "Konsultstöd": Decimal("298764"),
            "Personalkostnad": Decimal("5358088"),
            "OH": Decimal("760000"),
        },
    ),
    "Åmål": (
        Decimal("998000000"),
        {
            "IT-tjänster": Decimal("2400000"),
            "IT-utrustning": Decimal("735000"),
            "IT-kommunikation": Decimal("645000"),
            "Konsultstöd": Decimal("1500000"),
            "Fiber": Decimal("1210000"),
            "Personalkostnad": Decimal("5575000"),
            "Omkostnad": Decimal("114000"),
            "OH": Decimal("5000"),
            "Lokaler": Decimal("347000"),
        },
    ),
    "Färgelanda": (
        Decimal("519350000"),
        {
            "IT-tjänster": Decimal("2538000"),
            "IT-utrustning": Decimal("1143000"),
            "IT-kommunikation": Decimal("900000"),
            "Konsultstöd": Decimal("1488000"),
            "Personalkostnad": Decimal("2307000"),
        },
    ),
}
HOST = "Åmål"
ASSUMED = "Antagande i demon: förstudien ritar investeringspuckeln men anger inga belopp."
# The host invests in the new platform (assumption).
HOST_INVESTMENT = {2025: Decimal("3000000"), 2026: Decimal("2000000")}
# Shared project costs, split equally (assumption): the hump of 2025–2026.
PROJECT_COSTS = {2025: Decimal("4000000"), 2026: Decimal("3000000")}
# How much of the savings potential is realised from 2027 (assumption: over three years).
SAVINGS_PHASE_IN = {2027: Decimal(1) / 3, 2028: Decimal(2) / 3, 2029: Decimal(1), 2030: Decimal(1)}


def is_loaded() -> bool:
    return CostCategory.objects.exists()


@demo_step("economy", after=["tenancy"], loaded=is_loaded)
def load(ctx: dict[str, Any]) -> None:
    coop = ctx["cooperation"]
    nodes = ctx["nodes"]
    categories = {
        name: services.category_create(
            actor=SYSTEM,
            cooperation=coop,
            name=name,
            position=i,
            default_savings_percent=pct,
        )
        for i, (name, pct) in enumerate(CATEGORIES, start=1)
    }
    services.scenario_create(
        actor=SYSTEM,
        cooperation=coop,
        name="Förstudien 2024",
        description="Rikssnittet 2,5 % av nettokostnaden och 30 % besparing på IT-tjänster, "
        "IT-utrustning, IT-kommunikation och konsultstöd, som i förstudien.",
        is_default=True,
    )
    savings = {name: pct for name, pct in CATEGORIES}
    for name, (net_cost, costs) in FIGURES_2024.items():
        municipality = nodes[name]
        services.figures_create(
            actor=SYSTEM,
            cooperation=coop,
            municipality=municipality,
            year=YEAR,
            net_cost=net_cost,
            costs={categories[c].pk: amount for c, amount in costs.items()},
            source=SOURCE,
        )
        row = rules.baseline_row(
            rules.MunicipalityInput(
                name, net_cost, [rules.CategoryInput(c, a) for c, a in costs.items()]
            ),
            benchmark_percent=rules.DEFAULT_BENCHMARK_PERCENT,
            savings=savings,
        )
        for year in range(2024, 2031):
            share = SAVINGS_PHASE_IN.get(year, Decimal(0))
            services.timeline_entry_create(
                actor=SYSTEM,
                cooperation=coop,
                municipality=municipality,
                year=year,
                operating_cost=rules.to_money(row.it_cost - row.savings_potential * share),
                investment_cost=HOST_INVESTMENT.get(year, Decimal(0)) if name == HOST else 0,
                basis=FigureBasis.PRE_STUDY if year == YEAR else FigureBasis.ASSUMPTION,
                note=SOURCE if year == YEAR else ASSUMED,
            )
    for year, amount in PROJECT_COSTS.items():
        services.project_cost_set(
            actor=SYSTEM,
            cooperation=coop,
            year=year,
            amount=amount,
            basis=FigureBasis.ASSUMPTION,
            note=ASSUMED,
        )
