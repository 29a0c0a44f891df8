"""The economic baseline as pure arithmetic (R11, R12): no Django, no database, tested with
hypothesis. Every figure a page or the API shows is computed here from the entered amounts
(category costs, net cost) and the scenario's percentages; nothing is typed in.

Amounts are Decimal kronor with öre precision (core.money); percentages are Decimal per cent
(2.5 means 2.5 %). Each computed amount is rounded to öre once, from exact inputs, so a sum of
rounded parts may differ from the rounded whole by an öre per part: totals are sums of the rows
shown, so a table always adds up.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from itfabrik.core.money import split_equally, to_money

HUNDRED = Decimal(100)
ZERO = Decimal("0.00")
# The national average the pre-study compares with: 2.5 % of net cost spent on IT (2021).
DEFAULT_BENCHMARK_PERCENT = Decimal("2.50")
# The year the baseline opens with when there are no figures yet: the pre-study's.
DEFAULT_YEAR = 2024
# Shares are shown with two decimals: the pre-study writes "1,82%".
SHARE_PLACES = Decimal("0.01")


class PercentError(ValueError):
    """A percentage outside 0–100."""


def check_percent(value: Decimal) -> Decimal:
    """A share in per cent: from 0 to 100 inclusive, else PercentError."""
    if not value.is_finite() or value < 0 or value > HUNDRED:
        raise PercentError(str(value))
    return value


def percent_of(amount: Decimal, percent: Decimal) -> Decimal:
    return to_money(amount * percent / HUNDRED)


def share_percent(part: Decimal, whole: Decimal) -> Decimal | None:
    """`part` as a percentage of `whole`, two decimals; None when there is no whole."""
    if whole <= 0:
        return None
    return (part * HUNDRED / whole).quantize(SHARE_PLACES, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class CategoryInput:
    name: str
    cost: Decimal


@dataclass(frozen=True)
class MunicipalityInput:
    municipality: str
    net_cost: Decimal
    categories: Sequence[CategoryInput]


@dataclass(frozen=True)
class CategoryResult:
    name: str
    cost: Decimal
    savings_percent: Decimal
    savings: Decimal


@dataclass(frozen=True)
class BaselineRow:
    municipality: str
    it_cost: Decimal
    net_cost: Decimal
    it_share_percent: Decimal | None
    benchmark_percent: Decimal
    benchmark_cost: Decimal
    gap_to_benchmark: Decimal
    categories: list[CategoryResult]
    savings_potential: Decimal

    @property
    def gap_percent(self) -> Decimal | None:
        """How much the IT cost would rise to reach the benchmark, in per cent of today's cost
        (the pre-study's "+38%")."""
        return share_percent(self.gap_to_benchmark, self.it_cost)

    @property
    def cost_after_savings(self) -> Decimal:
        return self.it_cost - self.savings_potential


@dataclass(frozen=True)
class Baseline:
    rows: list[BaselineRow]
    total: BaselineRow
    category_names: list[str] = field(default_factory=list)


def baseline_row(
    item: MunicipalityInput, *, benchmark_percent: Decimal, savings: Mapping[str, Decimal]
) -> BaselineRow:
    """One municipality's figures: its IT cost is the sum of its categories."""
    check_percent(benchmark_percent)
    cats = []
    for c in item.categories:
        pct = check_percent(savings.get(c.name, ZERO))
        cost = to_money(c.cost)
        cats.append(CategoryResult(c.name, cost, pct, percent_of(cost, pct)))
    it_cost = sum((c.cost for c in cats), ZERO)
    net_cost = to_money(item.net_cost)
    benchmark_cost = percent_of(net_cost, benchmark_percent)
    return BaselineRow(
        municipality=item.municipality,
        it_cost=it_cost,
        net_cost=net_cost,
        it_share_percent=share_percent(it_cost, net_cost),
        benchmark_percent=benchmark_percent,
        benchmark_cost=benchmark_cost,
        gap_to_benchmark=benchmark_cost - it_cost,
        categories=cats,
        savings_potential=sum((c.savings for c in cats), ZERO),
    )


def baseline(
    items: Sequence[MunicipalityInput],
    *,
    benchmark_percent: Decimal = DEFAULT_BENCHMARK_PERCENT,
    savings: Mapping[str, Decimal],
    category_names: Sequence[str] = (),
    total_label: str = "",
) -> Baseline:
    """Every municipality's row, and a total row that sums them (its share is the total IT cost
    over the total net cost, not an average of shares). Categories are listed in
    `category_names` order, then any others in order of appearance, each in every row (zero
    where a municipality has none), so that rows line up as table columns."""
    names = list(category_names)
    for item in items:
        for c in item.categories:
            if c.name not in names:
                names.append(c.name)
    full = []
    for item in items:
        costs = {c.name: c.cost for c in item.categories}
        full.append(
            MunicipalityInput(
                item.municipality,
                item.net_cost,
                [CategoryInput(n, costs.get(n, ZERO)) for n in names],
            )
        )
    rows = [baseline_row(i, benchmark_percent=benchmark_percent, savings=savings) for i in full]
    check_percent(benchmark_percent)
    total_cats = []
    for idx, name in enumerate(names):
        pct = check_percent(savings.get(name, ZERO))
        total_cats.append(
            CategoryResult(
                name,
                sum((r.categories[idx].cost for r in rows), ZERO),
                pct,
                sum((r.categories[idx].savings for r in rows), ZERO),
            )
        )
    it_cost = sum((r.it_cost for r in rows), ZERO)
    net_cost = sum((r.net_cost for r in rows), ZERO)
    benchmark_cost = sum((r.benchmark_cost for r in rows), ZERO)
    total = BaselineRow(
        municipality=total_label,
        it_cost=it_cost,
        net_cost=net_cost,
        it_share_percent=share_percent(it_cost, net_cost),
        benchmark_percent=benchmark_percent,
        benchmark_cost=benchmark_cost,
        gap_to_benchmark=benchmark_cost - it_cost,
        categories=total_cats,
        savings_potential=sum((r.savings_potential for r in rows), ZERO),
    )
    return Baseline(rows=rows, total=total, category_names=names)


# --- the timeline of operating and investment costs (R11) ------------------------------------


@dataclass(frozen=True)
class TimelineInput:
    municipality: str
    year: int
    operating_cost: Decimal
    investment_cost: Decimal


@dataclass(frozen=True)
class TimelinePoint:
    municipality: str
    year: int
    operating_cost: Decimal
    investment_cost: Decimal
    project_share: Decimal

    @property
    def total(self) -> Decimal:
        return self.operating_cost + self.investment_cost + self.project_share


def timeline(
    entries: Sequence[TimelineInput], project_costs: Mapping[int, Decimal]
) -> list[TimelinePoint]:
    """Each entry with its share of the year's shared project costs: "all municipalities invest
    and share the project costs", so a year's project cost is split equally (to the öre, summing
    back exactly) between the municipalities that have an entry that year, in name order. A year
    with project costs but no entries has nobody to carry them and is left out."""
    by_year: dict[int, list[TimelineInput]] = {}
    for e in entries:
        by_year.setdefault(e.year, []).append(e)
    shares: dict[tuple[int, str], Decimal] = {}
    for year, items in by_year.items():
        amount = to_money(project_costs.get(year, ZERO))
        names = sorted({i.municipality for i in items})
        for name, part in zip(names, split_equally(amount, len(names)), strict=True):
            shares[(year, name)] = part
    return [
        TimelinePoint(
            e.municipality,
            e.year,
            to_money(e.operating_cost),
            to_money(e.investment_cost),
            shares[(e.year, e.municipality)],
        )
        for e in sorted(entries, key=lambda e: (e.year, e.municipality))
    ]


# --- follow-up: actual costs against the baseline --------------------------------------------


@dataclass(frozen=True)
class FollowUpRow:
    municipality: str
    baseline_cost: Decimal
    savings_potential: Decimal
    actual_cost: Decimal | None

    @property
    def target_cost(self) -> Decimal:
        return self.baseline_cost - self.savings_potential

    @property
    def realised_savings(self) -> Decimal | None:
        if self.actual_cost is None:
            return None
        return self.baseline_cost - self.actual_cost

    @property
    def realised_percent(self) -> Decimal | None:
        """Realised savings as a share of the savings potential (100 %: the target is met)."""
        realised = self.realised_savings
        if realised is None:
            return None
        return share_percent(realised, self.savings_potential)

    @property
    def on_target(self) -> bool | None:
        if self.actual_cost is None:
            return None
        return self.actual_cost <= self.target_cost
