"""The portfolio's pure rules, property-tested."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from itfabrik.portfolio import rules

ratings = st.fixed_dictionaries({c: st.integers(1, 5) for c in rules.CRITERIA})
weights = st.fixed_dictionaries({c: st.integers(0, rules.WEIGHT_MAX) for c in rules.CRITERIA})


def test_the_transition_table_is_the_documented_lifecycle() -> None:
    assert rules.allowed_next("idea") == ("assessment", "stopped")
    assert rules.allowed_next("assessment") == ("approved", "idea", "stopped")
    assert rules.allowed_next("approved") == ("in_progress", "stopped")
    assert rules.allowed_next("in_progress") == ("delivered", "stopped")
    assert {"delivered", "stopped"} == rules.FINAL_STATES


@given(st.sampled_from(rules.STATES), st.sampled_from(rules.STATES))
def test_a_move_is_allowed_exactly_when_the_table_lists_it(current: str, target: str) -> None:
    assert rules.may_move(current, target) == (target in rules.TRANSITIONS[current])
    # Final states are never left, and no state moves to itself.
    if current in rules.FINAL_STATES or current == target:
        assert not rules.may_move(current, target)


@given(st.lists(st.sampled_from(rules.STATES), max_size=12))
def test_every_state_is_reachable_from_an_idea_and_every_path_ends(path: list[str]) -> None:
    seen = {"idea"}
    frontier = ["idea"]
    while frontier:
        for nxt in rules.allowed_next(frontier.pop()):
            if nxt not in seen:
                seen.add(nxt)
                frontier.append(nxt)
    assert seen == set(rules.STATES)
    # Following any walk of allowed moves never leaves the known states.
    state = "idea"
    for target in path:
        if rules.may_move(state, target):
            state = target
        assert state in rules.STATES


@given(weights, ratings)
def test_the_score_is_between_0_and_100(w: dict[str, int], r: dict[str, int]) -> None:
    score = rules.priority_score(w, r)
    assert Decimal(0) <= score <= Decimal(100)
    assert score == score.quantize(Decimal("0.1"))


@given(weights, ratings, st.sampled_from(rules.CRITERIA))
def test_a_better_rating_never_lowers_the_score(
    w: dict[str, int], r: dict[str, int], criterion: str
) -> None:
    better = dict(r)
    step = -1 if criterion in rules.INVERTED else 1
    better[criterion] = min(5, max(1, r[criterion] + step))
    assert rules.priority_score(w, better) >= rules.priority_score(w, r)


def test_the_score_extremes() -> None:
    w = rules.DEFAULT_WEIGHTS
    best = {"value": 5, "urgency": 5, "effort": 1, "risk": 1}
    worst = {"value": 1, "urgency": 1, "effort": 5, "risk": 5}
    assert rules.priority_score(w, best) == Decimal(100)
    assert rules.priority_score(w, worst) == Decimal(0)
    assert rules.priority_score(dict.fromkeys(rules.CRITERIA, 0), best) == Decimal(0)


@given(st.text(max_size=20))
def test_decision_numbers(text: str) -> None:
    if rules.is_decision_number(text):
        assert rules.DECISION_RE.match(text)


def test_decision_number_examples() -> None:
    assert rules.is_decision_number("ITR-2026-014")
    assert rules.is_decision_number("SVR-2025-0003")
    for bad in ("ITR-26-014", "itr-2026-014", "ITR-2026-000", "ITR-2026-14", "2026-014", ""):
        assert not rules.is_decision_number(bad)


@given(st.dates(), st.dates(), st.dates())
def test_period_within_is_month_containment(p: dt.date, a: dt.date, b: dt.date) -> None:
    start, end = min(a, b), max(a, b)
    inside = rules.period_within(p, start, end)
    assert inside == ((start.year, start.month) <= (p.year, p.month) <= (end.year, end.month))
    assert rules.period_within(p, start, None) == ((start.year, start.month) <= (p.year, p.month))


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 1, 1)), st.integers(0, 40))
def test_months_counts_each_month_once(first: dt.date, extra: int) -> None:
    last = first + dt.timedelta(days=31 * extra)
    got = rules.months(first, last)
    assert len(got) == len(set(got))
    assert all(m.day == 1 for m in got)
    assert got[0] == first.replace(day=1)
    assert got[-1] == last.replace(day=1)


@given(
    st.decimals(min_value=-(10**9), max_value=10**9, places=2),
    st.decimals(min_value=0, max_value=10**9, places=2),
)
def test_overdraws_is_going_below_zero(balance: Decimal, amount: Decimal) -> None:
    assert rules.overdraws(balance, amount) == (balance - amount < 0)
