"""The one permission mechanism.

`can()` answers "may this actor do this action on an object at this node"; `scope_q()` is the
same rule as a queryset filter for lists. Both read the actor's role assignments once per request
(cached on the user object) and compare materialised paths: an assignment at node N covers N and,
when recursive, every node whose path starts with N's path.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Any, Protocol

from django.db.models import Q

from .actors import Actor
from .errors import NotFound
from .registry import actions_for, register_actions, registry
from .roles import Role

_CACHE_ATTR = "_itfabrik_grants"


class HasPath(Protocol):
    pk: Any
    path: str


@dataclass(frozen=True, slots=True)
class Grant:
    role: str
    node_id: int
    path: str
    recursive: bool
    cooperation_id: int
    valid_until: dt.date | None = None

    def covers(self, path: str) -> bool:
        return path == self.path or (self.recursive and path.startswith(self.path))


def grants(actor: Actor) -> tuple[Grant, ...]:
    """The actor's active role assignments, read with one query and kept for the request."""
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return ()
    cached = getattr(actor, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    if registry.grant_loader is None:  # no app stores role assignments
        return ()
    result = tuple(Grant(*row) for row in registry.grant_loader(actor))
    setattr(actor, _CACHE_ATTR, result)
    return result


def forget_grants(actor: Actor) -> None:
    """Drop the cached assignments, after a service changed them."""
    if hasattr(actor, _CACHE_ATTR):
        delattr(actor, _CACHE_ATTR)


def is_superuser(actor: Actor) -> bool:
    return bool(
        actor is not None
        and getattr(actor, "is_authenticated", False)
        and actor.is_active
        and getattr(actor, "is_superuser", False)
    )


def can(actor: Actor, action: str, node: HasPath | None) -> bool:
    """May `actor` do `action` on an object that belongs to `node`?"""
    if is_superuser(actor):
        return True
    if node is None:
        return False
    return any(g.covers(node.path) for g in grants_for(actor, action))


def grants_for(actor: Actor, action: str) -> tuple[Grant, ...]:
    """The actor's grants that carry `action`: the nodes (and subtrees) where they may do it."""
    return tuple(g for g in grants(actor) if action in actions_for(g.role))


def can_anywhere(actor: Actor, action: str) -> bool:
    """Does the actor hold `action` on at least one node (for navigation and list entry points)?"""
    if is_superuser(actor):
        return True
    return bool(grants_for(actor, action))


def scope_q(actor: Actor, action: str, *, path_field: str = "path") -> Q:
    """A filter matching exactly the objects whose node the actor may do `action` on."""
    if is_superuser(actor):
        return Q()
    return scope_q_of(grants_for(actor, action), path_field=path_field)


def scope_q_of(granted: Iterable[Grant], *, path_field: str = "path") -> Q:
    """The filter of `scope_q` for these grants (an app that narrows them first)."""
    parts: list[Q] = []
    for g in granted:
        if g.recursive:
            parts.append(Q(**{f"{path_field}__startswith": g.path}))
        else:
            parts.append(Q(**{path_field: g.path}))
    if not parts:
        return Q(pk__in=[])
    return reduce(or_, _minimal(parts))


def _minimal(parts: list[Q]) -> list[Q]:
    # Duplicate prefixes add nothing but cost in the WHERE clause; keep each once.
    seen: set[tuple[Any, ...]] = set()
    out: list[Q] = []
    for q in parts:
        key = tuple(q.children)
        if key not in seen:
            seen.add(key)
            out.append(q)
    return out


def cooperation_ids(actor: Actor) -> set[int]:
    """The cooperations the actor belongs to through any assignment."""
    return {g.cooperation_id for g in grants(actor)}


def require(actor: Actor, action: str, node: HasPath | None) -> None:
    """Raise NotFound unless the actor may do the action: a forbidden object does not exist."""
    if not can(actor, action, node):
        raise NotFound()


# core's own action: reading the audit trail.
VIEW_AUDIT = "core.view_audit"

register_actions(
    "core",
    {VIEW_AUDIT: {Role.COOPERATION_ADMIN, Role.TEAM_LEAD, Role.SECURITY_OFFICER}},
)
