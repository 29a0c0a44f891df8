"""The pure rules: the lifecycle table, the policy and the refresh plan (hypothesis)."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from itfabrik.assets import rules
from itfabrik.assets.choices import DeviceKind, DeviceState, Ownership, Rule

states = st.sampled_from(rules.STATES)
money = st.decimals(min_value=0, max_value=50000, places=2, allow_nan=False)


def test_rule_values_match_choices() -> None:
    assert set(rules.STATES) == set(DeviceState.values)
    assert set(rules.RULES) == set(Rule.values)
    assert set(DeviceKind.values) >= rules.LEASED_KINDS
    assert {rules.LEASED, rules.PURCHASED} == set(Ownership.values)


def test_the_lifecycle_of_the_issue() -> None:
    path = ["needs_analysis", "ordered", "received", "deployed", "in_repair", "deployed",
            "decommissioning", "returned"]  # fmt: skip
    for a, b in itertools.pairwise(path):
        assert (
            rules.transition_problem(current=a, target=b, ownership="leased", certificate="")
            is None
        )
    assert {"returned", "disposed"} == rules.FINAL_STATES


@given(current=states, target=states, ownership=st.sampled_from(["leased", "purchased"]),
       certificate=st.text(max_size=5))  # fmt: skip
def test_only_the_table_moves_a_device(
    current: str, target: str, ownership: str, certificate: str
) -> None:
    problem = rules.transition_problem(
        current=current, target=target, ownership=ownership, certificate=certificate
    )
    if target not in rules.TRANSITIONS.get(current, ()):
        assert problem == "not_allowed"
    elif target == "disposed" and not certificate.strip():
        assert problem == "certificate"
    elif target == "returned" and ownership != "leased":
        assert problem == "not_leased"
    else:
        assert problem is None
    assert target not in rules.allowed(current) or current not in rules.FINAL_STATES


facts = st.builds(
    rules.DeviceFacts,
    kind=st.sampled_from(DeviceKind.values),
    state=states,
    ownership=st.sampled_from(["leased", "purchased"]),
    has_lease=st.booleans(),
    managed=st.booleans(),
    local_admin=st.booleans(),
    security_level=st.one_of(st.none(), st.integers(0, 4)),
    end_of_support=st.one_of(st.none(), st.dates(dt.date(2020, 1, 1), dt.date(2035, 1, 1))),
    lease_end=st.one_of(st.none(), st.dates(dt.date(2020, 1, 1), dt.date(2035, 1, 1))),
)


@given(device=facts, today=st.dates(dt.date(2024, 1, 1), dt.date(2030, 1, 1)))
def test_findings(device: rules.DeviceFacts, today: dt.date) -> None:
    found = rules.findings(device, today)
    if device.state not in rules.IN_USE_STATES:
        assert found == frozenset()
        return
    client = device.kind in rules.CLIENT_KINDS
    assert (rules.UNMANAGED in found) == (client and not device.managed)
    assert (rules.LOCAL_ADMIN in found) == (client and device.local_admin)
    assert (rules.NO_LEVEL in found) == (client and device.security_level is None)
    assert (rules.LEASE_MISSING in found) == (
        device.kind in rules.LEASED_KINDS and not device.has_lease
    )
    eos = device.end_of_support
    assert (rules.END_OF_SUPPORT in found) == (eos is not None and eos <= today)


def test_lease_ending_is_flagged_ninety_days_ahead() -> None:
    today = dt.date(2026, 1, 1)
    base = rules.DeviceFacts("monitor", "deployed", "purchased", False, True, False, 1, None, None)
    from dataclasses import replace

    assert rules.LEASE_ENDING in rules.findings(replace(base, lease_end=dt.date(2026, 4, 1)), today)
    assert rules.LEASE_ENDING not in rules.findings(
        replace(base, lease_end=dt.date(2026, 4, 2)), today
    )


@given(st.dates(dt.date(2000, 1, 1), dt.date(2090, 12, 31)))
def test_quarters(day: dt.date) -> None:
    q = rules.Quarter.of(day)
    assert q.first_day <= day < q.next().first_day
    assert str(q) == f"{day.year}-Q{(day.month + 2) // 3}"


@given(
    demand=st.lists(st.lists(money, max_size=8), min_size=1, max_size=10),
    tolerance=st.decimals(min_value=0, max_value=1, places=2),
)
def test_spread_keeps_every_device_and_never_delays_one(
    demand: list[list[Decimal]], tolerance: Decimal
) -> None:
    cap = rules.band_cap(demand, tolerance)
    plan = rules.spread(demand, cap)
    assert sorted(x for q in plan for x in q) == sorted(x for q in demand for x in q)
    planned = rules.summarise(plan)
    unplanned = rules.summarise(demand)
    # Brought forward only: by every quarter at least as many are replaced as are due.
    for i in range(len(plan)):
        assert sum(b.count for b in planned[: i + 1]) >= sum(b.count for b in unplanned[: i + 1])
    # Every quarter after the first stays within the band.
    for bucket in planned[1:]:
        assert bucket.cost <= cap


def test_spread_smooths_a_hump() -> None:
    demand = [[Decimal(10)] * 2, [Decimal(10)] * 2, [Decimal(10)] * 14]
    cap = rules.band_cap(demand, Decimal(0))
    assert cap == Decimal("60.00")
    assert [b.count for b in rules.summarise(rules.spread(demand, cap))] == [6, 6, 6]


def test_due_date() -> None:
    a, b = dt.date(2027, 1, 1), dt.date(2026, 6, 1)
    assert rules.due_date(a, b) == b
    assert rules.due_date(None, b) == b
    assert rules.due_date(a, None) == a
    assert rules.due_date(None, None) is None
