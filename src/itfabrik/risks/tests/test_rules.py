"""The risk register's pure rules, with hypothesis."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from itfabrik.risks import rules

scale = st.integers(min_value=1, max_value=5)


@given(scale, scale)
def test_score_is_the_product_on_1_to_25(p: int, c: int) -> None:
    s = rules.score(p, c)
    assert s == p * c
    assert 1 <= s <= 25
    assert rules.band(s) in {"low", "medium", "high", "critical"}


@given(st.one_of(st.integers(-5, 0), st.integers(6, 50), st.booleans(), st.text(max_size=2)), scale)
def test_score_refuses_anything_outside_the_scale(bad: object, good: int) -> None:
    with pytest.raises(ValueError, match="1-5"):
        rules.score(bad, good)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="1-5"):
        rules.score(good, bad)  # type: ignore[arg-type]


@given(scale, scale, scale, scale)
def test_band_grows_with_the_score(p1: int, c1: int, p2: int, c2: int) -> None:
    order = ["low", "medium", "high", "critical"]
    a, b = rules.score(p1, c1), rules.score(p2, c2)
    if a <= b:
        assert order.index(rules.band(a)) <= order.index(rules.band(b))


@given(st.lists(st.integers(1, 25), min_size=1, max_size=10))
def test_average_and_spread(values: list[int]) -> None:
    avg = rules.average(values)
    assert avg is not None
    assert Decimal(min(values)) <= avg <= Decimal(max(values))
    assert abs(avg - Decimal(sum(values)) / len(values)) <= Decimal("0.05")
    assert rules.spread(values) == max(values) - min(values)


def test_the_seed_averages() -> None:
    assert rules.average([20, 12, 16, 12]) == Decimal("15.0")
    assert rules.average([]) is None
    assert rules.spread([]) is None


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 1, 1)), st.integers(1, 36))
def test_next_review_is_months_ahead(last: dt.date, months: int) -> None:
    nxt = rules.next_review(last, months)
    assert (nxt.year - last.year) * 12 + nxt.month - last.month == months
    assert nxt.day <= last.day


def test_decision_number() -> None:
    assert rules.DECISION_PATTERN.match("ITR-2026-014")
    assert not rules.DECISION_PATTERN.match("beslut 14")
