"""The pure rules: the status table, the priority matrix and the VIP raise (hypothesis)."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from itfabrik.servicedesk import rules
from itfabrik.servicedesk.choices import Level, Priority, TicketStatus

levels = st.sampled_from(rules.LEVELS)
priorities = st.sampled_from(rules.PRIORITIES)
statuses = st.sampled_from(rules.STATUSES)
RANK = {"high": 0, "medium": 1, "low": 2}


def test_plain_values_match_the_choices() -> None:
    assert set(rules.STATUSES) == set(TicketStatus.values)
    assert set(rules.LEVELS) == set(Level.values)
    assert set(rules.PRIORITIES) == set(Priority.values)


def test_default_matrix_is_domain_table() -> None:
    assert rules.priority_for("high", "high") == "P1"
    assert rules.priority_for("medium", "medium") == "P3"
    assert rules.priority_for("low", "low") == "P5"
    assert rules.priority_for("low", "high") == "P3"


@given(levels, levels, levels, levels)
def test_more_impact_or_urgency_is_never_less_urgent(i1: str, u1: str, i2: str, u2: str) -> None:
    if RANK[i1] <= RANK[i2] and RANK[u1] <= RANK[u2]:
        assert rules.priority_for(i1, u1) <= rules.priority_for(i2, u2)


@given(levels, levels, st.dictionaries(st.tuples(levels, levels), priorities))
def test_configured_cells_win_and_the_rest_is_default(
    impact: str, urgency: str, matrix: dict[tuple[str, str], str]
) -> None:
    expected = matrix.get((impact, urgency), rules.DEFAULT_MATRIX[(impact, urgency)])
    assert rules.priority_for(impact, urgency, matrix) == expected


def test_levels_outside_the_scale_are_refused() -> None:
    with pytest.raises(ValueError, match="impact"):
        rules.priority_for("critical", "high")
    with pytest.raises(ValueError, match="urgency"):
        rules.priority_for("high", "")


@given(priorities)
def test_vip_raises_exactly_one_step_and_p1_stays(priority: str) -> None:
    raised = rules.raise_one_step(priority)
    if priority == "P1":
        assert raised == "P1"
    else:
        assert rules.PRIORITIES.index(raised) == rules.PRIORITIES.index(priority) - 1


@given(levels, levels)
def test_vip_ticket_is_never_less_urgent(impact: str, urgency: str) -> None:
    assert rules.ticket_priority(impact, urgency, vip=True) <= rules.ticket_priority(
        impact, urgency, vip=False
    )


def test_status_flow() -> None:
    path = [
        "new",
        "assigned",
        "in_progress",
        "waiting_requester",
        "in_progress",
        "resolved",
        "closed",
    ]
    for a, b in itertools.pairwise(path):
        assert rules.can_transition(a, b), (a, b)
    assert not rules.can_transition("new", "closed")
    assert not rules.can_transition("in_progress", "closed")
    assert not rules.can_transition("closed", "resolved")


@given(statuses)
def test_every_status_is_reachable_from_new_and_closed_only_via_resolved(target: str) -> None:
    seen, todo = {"new"}, ["new"]
    while todo:
        for nxt in rules.TRANSITIONS[todo.pop()]:
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    assert target in seen
    assert {s for s, targets in rules.TRANSITIONS.items() if "closed" in targets} == {"resolved"}


@given(st.integers(min_value=0, max_value=60), st.integers(min_value=1, max_value=30))
def test_reopen_only_within_the_window(days_ago: int, window: int) -> None:
    now = dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC)
    resolved = now - dt.timedelta(days=days_ago)
    allowed = rules.allowed_targets("resolved", resolved_at=resolved, now=now, reopen_days=window)
    assert ("in_progress" in allowed) == (days_ago <= window)
    assert "closed" in allowed


@given(st.floats(min_value=0, max_value=3, allow_nan=False))
def test_thresholds_reached(share: float) -> None:
    reached = rules.thresholds_reached(share, (75, 100))
    assert reached == [t for t in (75, 100) if share * 100 >= t]


def test_reference_format() -> None:
    assert rules.format_reference(2026, 123) == "SD-2026-000123"
