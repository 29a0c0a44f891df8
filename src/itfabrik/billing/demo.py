"""Billing's part of the Dalsland demo, written through the services: the Bas-IT pool 2026 with an
example budget, the equal-shares key (ITR-2025-011, example), the digitalisation fund split by
inhabitants, usage records through 2026, January–November billed and approved, December a draft.
Every amount is an example, not a figure from the pre-study."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from itfabrik.core.actors import SYSTEM
from itfabrik.core.registry import demo_step
from itfabrik.tenancy.models import OrgNode

from . import services
from .choices import KeyMethod, PoolKind
from .models import Invoice

YEAR = 2026
BAS_IT_BUDGET = Decimal("9600000.00")  # example
FUND_BUDGET = Decimal("2400000.00")  # example
# (service, unit price, quantities per month cycling): hours, on-site visits, deliveries.
USAGE = [
    ("Konsulttimme IT-tekniker", Decimal("650.00"), [2, 4, 3, 1]),
    ("Platsbesök", Decimal("850.00"), [1, 0, 2, 1]),
    ("Leverans och uppsättning av dator", Decimal("1200.00"), [3, 1, 0, 2]),
]


@demo_step("billing", after=["accounts", "catalog"])
def load(ctx: dict[str, Any]) -> None:
    coop = ctx["cooperation"]
    bas_it = services.pool_create(
        actor=SYSTEM,
        cooperation=coop,
        kind=PoolKind.SHARED,
        code="bas-it",
        name="Bas-IT",
        description="Datacenter, nätverk och IT-säkerhet (R8). Budgeten är ett exempel.",
    )
    services.budget_set(
        actor=SYSTEM, pool=bas_it, year=YEAR, amount=BAS_IT_BUDGET, note="Exempelbudget"
    )
    services.key_adopt(
        actor=SYSTEM,
        pool=bas_it,
        method=KeyMethod.EQUAL,
        valid_from=dt.date(YEAR, 1, 1),
        decision_reference="ITR-2025-011 (exempel)",
    )
    fund = services.pool_create(
        actor=SYSTEM,
        cooperation=coop,
        kind=PoolKind.FUND,
        code="digitaliseringsfond",
        name="Digitaliseringsfonden",
        description="Centrala medel för gemensamma digitaliseringsinitiativ (R7, R10). Exempel.",
    )
    services.budget_set(
        actor=SYSTEM, pool=fund, year=YEAR, amount=FUND_BUDGET, note="Exempelbudget"
    )
    services.key_adopt(
        actor=SYSTEM,
        pool=fund,
        method=KeyMethod.INHABITANTS,
        valid_from=dt.date(YEAR, 1, 1),
        decision_reference="ITR-2026-002 (exempel)",
    )
    members = services.member_municipalities(cooperation=coop)
    units = list(
        OrgNode.objects.filter(municipality__in=members, kind="unit")
        .exclude(cost_centre="")
        .order_by("municipality__name", "path")
    )
    first_unit: dict[int, OrgNode] = {}
    second_unit: dict[int, OrgNode] = {}
    for u in units:
        assert u.municipality_id is not None
        if u.municipality_id not in first_unit:
            first_unit[u.municipality_id] = u
        elif u.municipality_id not in second_unit:
            second_unit[u.municipality_id] = u
    chosen = [*first_unit.values(), *second_unit.values()]
    for month in range(1, 13):
        for i, unit in enumerate(chosen):
            for j, (service, price, cycle) in enumerate(USAGE):
                quantity = cycle[(month + i + j) % len(cycle)]
                if quantity:
                    services.usage_record(
                        actor=SYSTEM,
                        unit=unit,
                        service=service,
                        quantity=Decimal(quantity),
                        unit_price=price,
                        used_on=dt.date(YEAR, month, 5 + 3 * j),
                        description="Exempel",
                    )
    for month in range(1, 13):
        services.billing_run_now(actor=SYSTEM, cooperation=coop, period=f"{YEAR}-{month:02d}")
        if month < 12:
            for invoice in Invoice.objects.filter(cooperation=coop, period=f"{YEAR}-{month:02d}"):
                services.invoice_approve(actor=SYSTEM, invoice=invoice)
    services.fund_spend(
        actor=SYSTEM,
        pool=fund,
        initiative="Gemensam e-tjänsteplattform (exempel)",
        reference="PORT-2026-001",
        amount=Decimal("450000.00"),
        spent_on=dt.date(YEAR, 6, 30),
    )
