"""The granting rule (accounts/rules.py) on its own, with examples and hypothesis properties.

The properties check the rule against an independent model of rights: a grant is the set of
(action, node, day, recursive?) it confers on a small explicit tree, computed by walking parents
rather than by comparing paths.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from itfabrik.accounts import permissions as actions
from itfabrik.accounts import rules
from itfabrik.accounts.choices import Role
from itfabrik.accounts.rules import GrantSpec
from itfabrik.core.registry import actions_for, roles_holding
from itfabrik.core.roles import ALL_ROLES

POLICY = rules.Policy(
    granting_roles=roles_holding(actions.MANAGE_ROLES),
    top_role=Role.COOPERATION_ADMIN,
)
DAY0 = dt.date(2027, 1, 1)
# cooperation → municipality → administration → two units; a second municipality with one unit.
PARENT = {
    "0001": None,
    "00010001": "0001",
    "000100010001": "00010001",
    "0001000100010001": "000100010001",
    "0001000100010002": "000100010001",
    "00010002": "0001",
    "000100020001": "00010002",
}
NODES = sorted(PARENT)
ENDS = [None, DAY0 + dt.timedelta(days=10), DAY0 + dt.timedelta(days=20)]
STARTS = [None, DAY0 + dt.timedelta(days=10), DAY0 + dt.timedelta(days=20)]
DAYS = [DAY0 + dt.timedelta(days=d) for d in (0, 10, 20, 30)]
ROLES = [Role.COOPERATION_ADMIN, Role.TEAM_LEAD, Role.AGENT, Role.END_USER, Role.IT_CONTACT]


def below_or_at(node: str, top: str) -> bool:
    while node is not None:
        if node == top:
            return True
        node = PARENT[node]  # type: ignore[assignment]
    return False


def conferred_actions(role: str) -> set[str]:
    """What holding `role` lets one do: its own actions and, for a role that may grant roles,
    those of every role it may hand out (it could give itself any of them). Duties that the
    granting role does not perform itself, such as taking on-site visits or a team lead's start
    page panel, are still within its power: they are not a way to rise above it."""
    out = set(actions_for(role))
    if role in POLICY.granting_roles:
        for other in ALL_ROLES:
            if other != POLICY.top_role or role == POLICY.top_role:
                out |= set(actions_for(other))
    return out


def rights(grant: GrantSpec) -> set[tuple[str, str, dt.date, bool]]:
    """What a grant lets its holder do: per action, node, day; and whether over a subtree."""
    out = set()
    for node in NODES:
        if node == grant.path or (grant.recursive and below_or_at(node, grant.path)):
            for day in DAYS:
                started = grant.valid_from is None or day >= grant.valid_from
                if started and (grant.valid_until is None or day <= grant.valid_until):
                    for action in conferred_actions(grant.role):
                        out.add((action, node, day, False))
                        if grant.recursive:
                            out.add((action, node, day, True))
    return out


def all_rights(grants: set[GrantSpec]) -> set[tuple[str, str, dt.date, bool]]:
    out: set[tuple[str, str, dt.date, bool]] = set()
    for g in grants:
        out |= rights(g)
    return out


# Held grants are mostly of the role that may grant: that is where the rule has work to do.
grant_specs = st.builds(
    GrantSpec,
    role=st.sampled_from([Role.COOPERATION_ADMIN] * 4 + ROLES),
    path=st.sampled_from(NODES),
    recursive=st.booleans(),
    valid_until=st.sampled_from(ENDS),
    valid_from=st.sampled_from(STARTS),
)
UNIVERSE = [
    GrantSpec(role, path, rec, end, start)
    for role in ROLES
    for path in NODES
    for rec in (False, True)
    for end in ENDS
    for start in STARTS
]


def test_the_finding_mixing_two_grants_is_refused():
    """Recursive but temporary on the municipality, permanent but not recursive on an
    administration: a permanent recursive admin grant on the administration is refused."""
    held = [
        GrantSpec(Role.COOPERATION_ADMIN, "00010001", True, DAY0),
        GrantSpec(Role.COOPERATION_ADMIN, "000100010001", False, None),
    ]
    wanted = GrantSpec(Role.COOPERATION_ADMIN, "000100010001", True, None)
    assert rules.refusal(held, wanted, POLICY) == rules.Refusal(rules.TIME, latest_end=DAY0)
    # Each grant alone covers what it can: the temporary one until its day, the other one here.
    assert (
        rules.refusal(held, GrantSpec(Role.COOPERATION_ADMIN, "000100010001", True, DAY0), POLICY)
        is None
    )
    assert rules.refusal(held, GrantSpec(Role.AGENT, "000100010001", False, None), POLICY) is None


def test_each_respect_is_named_when_it_fails():
    admin_here = GrantSpec(Role.COOPERATION_ADMIN, "00010001", False, None)
    lead = GrantSpec(Role.TEAM_LEAD, "0001", True, None)
    assert rules.refusal([lead], GrantSpec(Role.AGENT, "00010001", False, None), POLICY) == (
        rules.Refusal(rules.NODE)
    )
    assert rules.refusal(
        [GrantSpec(Role.COOPERATION_ADMIN, "00010002", True, None)],
        GrantSpec(Role.AGENT, "00010001", False, None),
        POLICY,
    ) == rules.Refusal(rules.NODE)
    assert rules.refusal(
        [admin_here], GrantSpec(Role.AGENT, "00010001", True, None), POLICY
    ) == rules.Refusal(rules.RECURSION)
    assert (
        rules.refusal(
            [admin_here], GrantSpec(Role.COOPERATION_ADMIN, "00010001", False, None), POLICY
        )
        is None
    )
    policy = rules.Policy(granting_roles=frozenset({"a", "b"}), top_role="a")
    assert rules.refusal(
        [GrantSpec("b", "0001", True, None)], GrantSpec("a", "0001", False, None), policy
    ) == rules.Refusal(rules.ROLE)
    temporary = GrantSpec(Role.COOPERATION_ADMIN, "0001", True, DAY0)
    assert rules.refusal(
        [temporary], GrantSpec(Role.AGENT, "00010001", True, DAY0 + dt.timedelta(days=1)), POLICY
    ) == rules.Refusal(rules.TIME, latest_end=DAY0)
    assert rules.refusal([temporary], GrantSpec(Role.AGENT, "00010001", True, DAY0), POLICY) is None


def test_a_grant_starts_within_the_covering_grant():
    later = DAY0 + dt.timedelta(days=10)
    from_later = GrantSpec(Role.COOPERATION_ADMIN, "0001", True, None, later)
    # Before the covering grant starts: refused, naming its first day.
    assert rules.refusal(
        [from_later], GrantSpec(Role.AGENT, "00010001", True, None, DAY0), POLICY
    ) == rules.Refusal(rules.TIME, earliest_start=later)
    # Without a start of its own it would reach back before the covering grant: refused too.
    assert rules.refusal(
        [from_later], GrantSpec(Role.AGENT, "00010001", True, None, None), POLICY
    ) == rules.Refusal(rules.TIME, earliest_start=later)
    for start in (later, later + dt.timedelta(days=5)):
        wanted = GrantSpec(Role.AGENT, "00010001", True, None, start)
        assert rules.refusal([from_later], wanted, POLICY) is None
    # A held grant without a start covers any start.
    always = GrantSpec(Role.COOPERATION_ADMIN, "0001", True, None)
    assert rules.refusal([always], GrantSpec(Role.AGENT, "0001", True, None, DAY0), POLICY) is None


def test_start_and_end_must_be_covered_by_the_same_grant():
    """One grant covers the start (but ends too early), another the end (but starts too late):
    together they would cover, alone neither does. The end is named, from the grant that
    covers the start."""
    early_short = GrantSpec(Role.COOPERATION_ADMIN, "0001", True, DAY0 + dt.timedelta(days=10))
    late_long = GrantSpec(Role.COOPERATION_ADMIN, "0001", True, None, DAY0 + dt.timedelta(days=10))
    wanted = GrantSpec(Role.AGENT, "00010001", True, DAY0 + dt.timedelta(days=20), DAY0)
    assert rules.refusal([early_short, late_long], wanted, POLICY) == rules.Refusal(
        rules.TIME, latest_end=DAY0 + dt.timedelta(days=10)
    )


FINDING = [
    GrantSpec(Role.COOPERATION_ADMIN, "00010001", True, ENDS[1]),
    GrantSpec(Role.COOPERATION_ADMIN, "000100010001", False, None),
]


@settings(max_examples=400, deadline=None)
@given(held=st.lists(grant_specs, max_size=5), wanted=grant_specs)
@example(held=FINDING, wanted=GrantSpec(Role.COOPERATION_ADMIN, "000100010001", True, None))
def test_an_accepted_grant_is_within_one_held_grant(held, wanted):
    if rules.refusal(held, wanted, POLICY) is not None:
        return
    # One single held grant confers everything the new one does, and may grant roles.
    assert any(rights(wanted) <= rights(g) and g.role in POLICY.granting_roles for g in held), (
        held,
        wanted,
    )
    assert rules.covering_grant(held, wanted, POLICY) is not None


@settings(max_examples=400, deadline=None)
@given(held=st.lists(grant_specs, max_size=5), wanted=grant_specs)
def test_refusal_and_covering_grant_agree(held, wanted):
    assert (rules.refusal(held, wanted, POLICY) is None) == (
        rules.covering_grant(held, wanted, POLICY) is not None
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(initial=st.sets(grant_specs, min_size=1, max_size=4))
@example(initial=set(FINDING))
def test_a_granter_and_an_accomplice_never_rise_above_the_granter(initial):
    """A holds `initial`, B holds nothing. Each grants the other (and themselves) whatever the
    rule accepts, again and again until nothing new is accepted. In the end neither holds any
    right that A did not hold at the start."""
    held = {"A": set(initial), "B": set()}
    changed = True
    while changed:
        changed = False
        for granter in ("A", "B"):
            for wanted in UNIVERSE:
                if rules.refusal(held[granter], wanted, POLICY) is None:
                    for receiver in ("A", "B"):
                        if wanted not in held[receiver]:
                            held[receiver].add(wanted)
                            changed = True
    before = all_rights(set(initial))
    assert all_rights(held["A"]) <= before
    assert all_rights(held["B"]) <= before
