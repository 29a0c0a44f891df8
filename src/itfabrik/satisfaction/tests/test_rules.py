"""The pure rules of ratings, with hypothesis."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from itfabrik.satisfaction import rules


@given(st.integers(min_value=-10, max_value=10))
def test_only_whole_scores_one_to_five_are_valid(score: int) -> None:
    assert rules.is_valid_score(score) == (1 <= score <= 5)


def test_other_types_are_not_scores() -> None:
    assert not any(rules.is_valid_score(v) for v in (True, 4.0, "4", None, Decimal(4)))


@given(st.integers(min_value=0, max_value=1000), st.integers(min_value=0, max_value=1000))
def test_response_rate_is_a_share_in_per_cent(rated: int, extra: int) -> None:
    resolved = rated + extra
    rate = rules.response_rate(rated, resolved)
    if resolved == 0:
        assert rate is None
        return
    assert rate is not None
    assert Decimal(0) <= rate <= Decimal(100)
    assert abs(rate - Decimal(100 * rated) / resolved) <= Decimal("0.05")


@given(st.lists(st.integers(min_value=1, max_value=5), max_size=200))
def test_average_lies_between_the_lowest_and_highest_score(scores: list[int]) -> None:
    mean = rules.average(sum(scores), len(scores))
    if not scores:
        assert mean is None
        return
    assert mean is not None
    assert min(scores) <= mean <= max(scores)


def test_hand_computed_figures() -> None:
    assert rules.response_rate(2, 3) == Decimal("66.7")
    assert rules.response_rate(1, 8) == Decimal("12.5")
    assert rules.average(11, 3) == Decimal("3.67")
    assert rules.average(5, 2) == Decimal("2.50")


@given(st.integers(min_value=0, max_value=30 * 24 * 3600), st.integers(min_value=0, max_value=30))
def test_comment_window(seconds: int, days: int) -> None:
    rated = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    now = rated + dt.timedelta(seconds=seconds)
    assert rules.may_edit_comment(rated, now, days) == (seconds <= days * 86400)


@given(st.integers(min_value=1, max_value=5), st.integers(min_value=0, max_value=5))
def test_low_is_at_or_below_the_threshold(score: int, threshold: int) -> None:
    assert rules.is_low(score, threshold) == (score <= threshold)
