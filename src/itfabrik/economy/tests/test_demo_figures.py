"""The pre-study's own 2024 figures, as the demo enters them, and what the baseline computes
from them: the document's IT costs, shares, costs at the national average, gaps and savings."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from itfabrik.economy import selectors

pytestmark = pytest.mark.django_db

D = Decimal


def test_a_few_entered_figures_are_the_documents(economy: Any) -> None:
    mellerud = economy.figures("Melleruds kommun")
    costs = {c.category.name: c.amount for c in mellerud.costs.select_related("category")}
    assert mellerud.net_cost == D("720000000.00")
    assert costs["Konsultstöd"] == D("298764.00")
    assert costs["IT-kommunikation"] == D("2000000.00")
    assert costs["OH"] == D("760000.00")
    amal = economy.figures("Åmåls kommun")
    costs = {c.category.name: c.amount for c in amal.costs.select_related("category")}
    assert costs["Fiber"] == D("1210000.00")
    assert costs["Lokaler"] == D("347000.00")
    assert economy.figures("Färgelanda kommun").net_cost == D("519350000.00")


def test_the_computed_baseline_matches_the_pre_study(economy: Any) -> None:
    report = selectors.baseline_report(
        actor=economy.admin, cooperation=economy.cooperation, year=2024
    )
    rows = {r.municipality: r for r in report.result.rows}
    # "IT-enhetens kostnader 2024" (computed here as the sum of the categories).
    assert rows["Bengtsfors kommun"].it_cost == D("12496743.00")
    assert rows["Melleruds kommun"].it_cost == D("12536252.00")
    assert rows["Åmåls kommun"].it_cost == D("12531000.00")
    assert rows["Färgelanda kommun"].it_cost == D("8376000.00")
    # "It-enhetens budget som andel av kommunens nettokostnader 2024".
    assert [rows[m].it_share_percent for m in sorted(rows)] == [
        D("1.82"),  # Bengtsfors
        D("1.61"),  # Färgelanda
        D("1.74"),  # Mellerud
        D("1.26"),  # Åmål
    ]
    # "It-budget om kommunerna spenderat enligt rikssnittet (2,5%)" and "Kostnadsökning".
    assert rows["Färgelanda kommun"].benchmark_cost == D("12983750.00")
    assert rows["Åmåls kommun"].gap_to_benchmark == D("12419000.00")
    assert rows["Bengtsfors kommun"].gap_to_benchmark == D("4703257.00")
    total = report.result.total
    assert total.it_cost == D("45939995.00")
    assert total.net_cost == D("2925350000.00")
    assert total.benchmark_cost == D("73133750.00")
    assert total.gap_to_benchmark == D("27193755.00")
    # The savings table: 30 % of four categories; the document's total "6 999 349 kr" is the
    # sum of whole kronor; in öre it is 6 999 349,20 (30 % of Mellerud's 298 764 kr).
    cats = {c.name: c for c in total.categories}
    assert cats["IT-tjänster"].savings == D("3399900.00")
    assert cats["IT-utrustning"].savings == D("1227420.00")
    assert cats["IT-kommunikation"].savings == D("1257000.00")
    assert cats["Konsultstöd"].savings == D("1115029.20")
    assert cats["Fiber"].savings == D("0.00")
    assert total.savings_potential == D("6999349.20")
    assert rows["Bengtsfors kommun"].savings_potential == D("1669200.00")
