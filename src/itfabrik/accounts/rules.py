"""The granting rule, as pure functions. No Django import, so it can be tested on its own.

A grant is a role on a node of the organisation tree, for that node alone or (recursive) for
everything below it too, open-ended or until a date. A granter may hand out (or end) a grant only
when ONE of their own grants covers it in every respect at once:

- node: the granter's grant is on the same node, or is recursive and the node lies below it;
- recursion: a recursive grant needs a recursive covering grant;
- role: the covering grant's role may grant roles, and the widest role (cooperation admin) is
  handed out only from a grant of that same role;
- time: the new grant lies within the covering grant's days. It starts on or after the day the
  covering grant starts (a grant without a start date has held since before any other), and an
  open-ended grant needs an open-ended covering grant; otherwise the new grant ends on or before
  the day the covering grant ends.

Properties of different grants are never combined. See docs/adr/0017-granting-rule.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

# Why a grant was refused, from the first respect no held grant satisfies.
NODE = "node"
ROLE = "role"
RECURSION = "recursion"
TIME = "time"


@dataclass(frozen=True, slots=True)
class GrantSpec:
    """A grant held or asked for: role, the node's materialised path, recursion, last day, first
    day (None: no start, i.e. since before any other grant)."""

    role: str
    path: str
    recursive: bool
    valid_until: dt.date | None = None
    valid_from: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Policy:
    """What the rule needs to know about roles: which may grant, and which is the widest."""

    granting_roles: frozenset[str]
    top_role: str


@dataclass(frozen=True, slots=True)
class Refusal:
    reason: str
    # For TIME, when the new grant starts too early: the earliest start among the grants that
    # cover in every other respect.
    earliest_start: dt.date | None = None
    # For TIME, when it ends too late: the latest end among those that also cover its start.
    latest_end: dt.date | None = None


def covers_node(held: GrantSpec, wanted: GrantSpec) -> bool:
    return wanted.path == held.path or (held.recursive and wanted.path.startswith(held.path))


def covers_recursion(held: GrantSpec, wanted: GrantSpec) -> bool:
    return held.recursive or not wanted.recursive


def covers_role(held: GrantSpec, wanted: GrantSpec, policy: Policy) -> bool:
    if held.role not in policy.granting_roles:
        return False
    return wanted.role != policy.top_role or held.role == policy.top_role


def covers_start(held: GrantSpec, wanted: GrantSpec) -> bool:
    if held.valid_from is None:
        return True
    return wanted.valid_from is not None and wanted.valid_from >= held.valid_from


def covers_end(held: GrantSpec, wanted: GrantSpec) -> bool:
    if held.valid_until is None:
        return True
    return wanted.valid_until is not None and wanted.valid_until <= held.valid_until


def covers_time(held: GrantSpec, wanted: GrantSpec) -> bool:
    return covers_start(held, wanted) and covers_end(held, wanted)


def covers(held: GrantSpec, wanted: GrantSpec, policy: Policy) -> bool:
    """Does this one held grant cover the wanted grant in node, recursion, role and time?"""
    return (
        covers_node(held, wanted)
        and covers_recursion(held, wanted)
        and covers_role(held, wanted, policy)
        and covers_time(held, wanted)
    )


def covering_grant(
    held: Iterable[GrantSpec], wanted: GrantSpec, policy: Policy
) -> GrantSpec | None:
    """The first held grant that covers the wanted one alone, or None."""
    return next((g for g in held if covers(g, wanted, policy)), None)


def refusal(held: Iterable[GrantSpec], wanted: GrantSpec, policy: Policy) -> Refusal | None:
    """None when a single held grant covers `wanted`; else the first respect that fails.

    The respects are narrowed one after the other (node and the right to grant at all, then the
    widest role, then recursion, then time), so the reason names what the granter lacks.
    """
    candidates = [g for g in held if covers_node(g, wanted) and g.role in policy.granting_roles]
    if not candidates:
        return Refusal(NODE)
    candidates = [g for g in candidates if covers_role(g, wanted, policy)]
    if not candidates:
        return Refusal(ROLE)
    candidates = [g for g in candidates if covers_recursion(g, wanted)]
    if not candidates:
        return Refusal(RECURSION)
    if any(covers_time(g, wanted) for g in candidates):
        return None
    starting = [g for g in candidates if covers_start(g, wanted)]
    if not starting:
        starts = [g.valid_from for g in candidates if g.valid_from is not None]
        return Refusal(TIME, earliest_start=min(starts))
    ends = [g.valid_until for g in starting if g.valid_until is not None]
    return Refusal(TIME, latest_end=max(ends) if ends else None)
