from __future__ import annotations

import dataclasses
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from itfabrik.core import permissions
from itfabrik.core.actors import Actor
from itfabrik.core.registry import roles_holding
from itfabrik.core.roles import Role
from itfabrik.core.selectors import get_or_not_found
from itfabrik.tenancy.selectors import administration_name_q

from . import permissions as actions
from . import rules
from .filters import AssignmentFilter, UserFilter
from .models import ActiveAssignmentQ, RoleAssignment, User


def assignment_list(
    *, actor: Actor, user_id: int | None = None, include_ended: bool = False
) -> QuerySet[RoleAssignment]:
    qs = RoleAssignment.objects.filter(
        permissions.scope_q(actor, actions.VIEW_USER, path_field="node__path")
    )
    if not include_ended:  # active ones and those still to come
        qs = qs.filter(ActiveAssignmentQ.not_ended(timezone.localdate()))
    qs = AssignmentFilter.apply(qs, user=user_id)
    return (
        qs.select_related("user", "node", "node__municipality", "node__parent")
        .annotate(node_administration=administration_name_q("node__path"))
        .order_by("user__username", "role", "pk")
    )


def own_assignment_list(*, actor: Actor) -> QuerySet[RoleAssignment]:
    return (
        RoleAssignment.objects.filter(user_id=actor.pk)
        .filter(ActiveAssignmentQ.on(timezone.localdate()))
        .select_related("user", "node", "node__parent", "node__municipality")
        .annotate(node_administration=administration_name_q("node__path"))
        .order_by("role", "node__path")
    )


def _users() -> QuerySet[User]:
    """Users with their workplace named as outside its tree: municipality and administration."""
    return User.objects.select_related(
        "home_unit", "home_unit__municipality", "home_unit__parent"
    ).annotate(home_unit_administration=administration_name_q("home_unit__path"))


def user_list(*, actor: Actor, search: str | None = None) -> QuerySet[User]:
    qs = _users().filter(
        permissions.scope_q(actor, actions.VIEW_USER, path_field="home_unit__path")
    )
    return UserFilter.apply(qs, q=search).order_by("username")


def user_get(*, actor: Actor, pk: Any) -> User:
    if actor is not None and getattr(actor, "pk", None) is not None and str(actor.pk) == str(pk):
        return _users().get(pk=actor.pk)
    return get_or_not_found(user_list(actor=actor), pk)


def assignment_get(*, actor: Actor, pk: Any) -> RoleAssignment:
    return get_or_not_found(assignment_list(actor=actor), pk)


def access_contact_list(*, actor: Actor, limit: int = 5) -> list[RoleAssignment]:
    """Who a person without roles should ask for access: those who grant roles over their
    workplace, and their municipality's IT contact, nearest first.

    Deliberately not scoped by the actor's own roles (they have none): it names only people
    whose job is to be asked, with the name and e-mail the start page shows.
    """
    home = getattr(actor, "home_unit", None) if getattr(actor, "home_unit_id", None) else None
    if home is None:
        return []
    from django.db.models import Q

    steplen = len(home.path) // max(home.depth, 1)
    prefixes = [home.path[:i] for i in range(steplen, len(home.path) + 1, steplen)]
    granting = sorted(roles_holding(actions.MANAGE_ROLES))
    qs = (
        RoleAssignment.objects.filter(ActiveAssignmentQ.on(timezone.localdate()))
        .filter(node__path__in=prefixes, user__is_active=True)
        .filter(Q(role__in=granting) | Q(role="it_contact"))
        .filter(Q(recursive=True) | Q(node_id=home.pk))
        .exclude(user_id=actor.pk)
        .select_related("user", "node")
        .order_by("-node__depth", "role", "user__last_name", "user__first_name")
    )
    seen: set[int] = set()
    out: list[RoleAssignment] = []
    for a in qs[: limit * 3]:
        if a.user_id not in seen:
            seen.add(a.user_id)
            out.append(a)
        if len(out) == limit:
            break
    return out


def grant_policy_get() -> rules.Policy:
    """The roles that may grant (they hold MANAGE_ROLES) and the widest role."""
    return rules.Policy(
        granting_roles=roles_holding(actions.MANAGE_ROLES),
        top_role=Role.COOPERATION_ADMIN,
    )


def held_grant_list(*, actor: Actor) -> list[rules.GrantSpec]:
    """The actor's active grants, as the granting rule sees them.

    Their start is left open (None): only grants that have started are loaded, and every grant
    the rule is asked about starts today or later (role_assign refuses a start in the past, and
    ending a role concerns what is left of it from today), so a held grant's start never decides.
    """
    return [
        rules.GrantSpec(g.role, g.path, g.recursive, g.valid_until)
        for g in permissions.grants(actor)
    ]


def grant_spec_get(*, assignment: RoleAssignment) -> rules.GrantSpec:
    return rules.GrantSpec(
        assignment.role,
        assignment.node.path,
        assignment.recursive,
        assignment.valid_until,
        assignment.valid_from,
    )


def grant_refusal_get(*, actor: Actor, wanted: rules.GrantSpec) -> rules.Refusal | None:
    """Why the actor may not make (or end) `wanted`; None when one of their grants covers it.

    Superusers are not bound by the rule.
    """
    if permissions.is_superuser(actor):
        return None
    return rules.refusal(held_grant_list(actor=actor), wanted, grant_policy_get())


def may_end_assignment(*, actor: Actor, assignment: RoleAssignment) -> bool:
    """May the actor end this assignment: would they have been allowed to make what is left of it
    (from today, or its later start, to its end)?"""
    return grant_refusal_get(actor=actor, wanted=end_spec_get(assignment=assignment)) is None


def end_spec_get(*, assignment: RoleAssignment) -> rules.GrantSpec:
    """The part of an assignment that ending it takes away: what the rule is asked about."""
    spec = grant_spec_get(assignment=assignment)
    today = timezone.localdate()
    if spec.valid_from is None or spec.valid_from < today:
        spec = dataclasses.replace(spec, valid_from=today)
    return spec
