"""The pure baseline arithmetic, property-tested: totals are the sums of their rows, the gap is
what lifts the IT cost to the benchmark, savings never exceed the cost, a share outside 0–100 is
refused, the shared project costs are split to the öre."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from itfabrik.economy import rules

amounts = st.decimals(min_value=0, max_value=10**10, places=2, allow_nan=False)
percents = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False)
NAMES = ["IT-tjänster", "Fiber", "Personalkostnad"]


@st.composite
def municipalities(draw: st.DrawFn) -> list[rules.MunicipalityInput]:
    n = draw(st.integers(min_value=0, max_value=5))
    out = []
    for i in range(n):
        cats = [
            rules.CategoryInput(name, draw(amounts))
            for name in draw(st.lists(st.sampled_from(NAMES), unique=True))
        ]
        out.append(rules.MunicipalityInput(f"K{i}", draw(amounts), cats))
    return out


@given(municipalities(), percents, st.dictionaries(st.sampled_from(NAMES), percents))
def test_totals_are_sums_and_every_figure_follows_from_the_inputs(
    items: list[rules.MunicipalityInput], benchmark: Decimal, savings: dict[str, Decimal]
) -> None:
    b = rules.baseline(items, benchmark_percent=benchmark, savings=savings)
    assert len(b.rows) == len(items)
    for item, row in zip(items, b.rows, strict=True):
        assert row.it_cost == sum((c.cost for c in item.categories), Decimal(0))
        assert row.it_cost == sum((c.cost for c in row.categories), Decimal(0))
        assert row.benchmark_cost == rules.percent_of(item.net_cost, benchmark)
        assert row.it_cost + row.gap_to_benchmark == row.benchmark_cost
        for c in row.categories:
            assert 0 <= c.savings <= c.cost
            assert c.savings_percent == savings.get(c.name, Decimal(0))
        assert row.savings_potential == sum((c.savings for c in row.categories), Decimal(0))
        assert [c.name for c in row.categories] == b.category_names
    t = b.total
    assert t.it_cost == sum((r.it_cost for r in b.rows), Decimal(0))
    assert t.net_cost == sum((r.net_cost for r in b.rows), Decimal(0))
    assert t.benchmark_cost == sum((r.benchmark_cost for r in b.rows), Decimal(0))
    assert t.gap_to_benchmark == sum((r.gap_to_benchmark for r in b.rows), Decimal(0))
    assert t.savings_potential == sum((r.savings_potential for r in b.rows), Decimal(0))
    assert t.savings_potential == sum((c.savings for c in t.categories), Decimal(0))


@given(amounts, amounts)
def test_share_is_none_without_a_whole_and_in_per_cent_otherwise(
    part: Decimal, whole: Decimal
) -> None:
    share = rules.share_percent(part, whole)
    if whole == 0:
        assert share is None
    else:
        assert share is not None
        assert abs(share - part * 100 / whole) <= Decimal("0.005")


@pytest.mark.parametrize("bad", [Decimal("-0.01"), Decimal("100.01"), Decimal("-5"), Decimal(1000)])
def test_a_share_outside_0_to_100_is_refused(bad: Decimal) -> None:
    with pytest.raises(rules.PercentError):
        rules.check_percent(bad)
    item = rules.MunicipalityInput("K", Decimal(100), [rules.CategoryInput("Fiber", Decimal(1))])
    with pytest.raises(rules.PercentError):
        rules.baseline([item], benchmark_percent=bad, savings={})
    with pytest.raises(rules.PercentError):
        rules.baseline([item], savings={"Fiber": bad})


@given(
    st.lists(
        st.tuples(st.sampled_from(["A", "B", "C", "D"]), st.integers(2024, 2030), amounts),
        unique_by=lambda t: (t[0], t[1]),
    ),
    st.dictionaries(st.integers(2024, 2030), amounts),
)
def test_project_costs_are_split_equally_and_sum_back_exactly(
    entries: list[tuple[str, int, Decimal]], project: dict[int, Decimal]
) -> None:
    points = rules.timeline(
        [rules.TimelineInput(m, y, a, Decimal(0)) for m, y, a in entries], project
    )
    assert len(points) == len(entries)
    for year in {y for _m, y, _a in entries}:
        shares = [p.project_share for p in points if p.year == year]
        assert sum(shares, Decimal(0)) == project.get(year, Decimal(0))
        assert max(shares) - min(shares) <= Decimal("0.01")
    for p in points:
        assert p.total == p.operating_cost + p.investment_cost + p.project_share


def test_followup_measures_savings_against_the_potential() -> None:
    row = rules.FollowUpRow("K", Decimal(1000), Decimal(300), Decimal(850))
    assert row.target_cost == Decimal(700)
    assert row.realised_savings == Decimal(150)
    assert row.realised_percent == Decimal("50.00")
    assert row.on_target is False
    assert rules.FollowUpRow("K", Decimal(1000), Decimal(300), None).realised_savings is None
