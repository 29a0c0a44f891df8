"""The granting rule through the real service, over random sets of a granter's grants (hypothesis).

For each example a granter G holds random grants on a few demo nodes, and B is a second account.
G tries a random grant to B, then B (with whatever it got) tries a random grant back to G. The
rights are checked against an independent model: what a grant lets its holder do, per action,
node (descendants from the tree, not from path prefixes), day and whether over a subtree.

Grants have a first day too: G's may have started already or start later (a grant still to come
gives G nothing yet), and what G asks for may start today or later. Rights are counted over every
grant not ended, on the days each one covers.

- Every grant the service accepts lies within ONE of G's grants.
- Neither G nor B ends up with a right G did not hold at the start.
- Every attempt refused on grounds of rights is on the audit trail.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from itfabrik.accounts import permissions as actions
from itfabrik.accounts import services
from itfabrik.accounts.choices import Role
from itfabrik.accounts.models import ActiveAssignmentQ, RoleAssignment, User
from itfabrik.core.errors import ApplicationError
from itfabrik.core.models import AuditEntry
from itfabrik.core.registry import actions_for

TODAY = timezone.localdate()
HELD_ENDS = [None, TODAY + dt.timedelta(days=10), TODAY + dt.timedelta(days=20)]
WANTED_ENDS = [*HELD_ENDS, TODAY + dt.timedelta(days=30)]
HELD_STARTS = [TODAY - dt.timedelta(days=5), TODAY, TODAY + dt.timedelta(days=10)]
WANTED_STARTS = [None, TODAY, TODAY + dt.timedelta(days=10), TODAY + dt.timedelta(days=20)]
DAYS = [TODAY + dt.timedelta(days=d) for d in (0, 10, 20, 30)]
ROLES = [Role.COOPERATION_ADMIN, Role.TEAM_LEAD, Role.AGENT, Role.END_USER]
NODE_NAMES = [
    ("Dalsland", None),
    ("Bengtsfors kommun", None),
    ("Socialförvaltningen", "Bengtsfors kommun"),
    ("Hemtjänst norr", "Bengtsfors kommun"),
    ("Åmåls kommun", None),
]

grant_tuples = st.tuples(
    st.sampled_from([Role.COOPERATION_ADMIN] * 3 + ROLES),
    st.integers(min_value=0, max_value=len(NODE_NAMES) - 1),
    st.booleans(),
    st.sampled_from(HELD_ENDS),
    st.sampled_from(HELD_STARTS),
)


@pytest.fixture
def tree(demo) -> dict[str, Any]:
    nodes = []
    for name, municipality in NODE_NAMES:
        nodes.append(demo.cooperation.root if name == "Dalsland" else demo.node(name, municipality))
    from itfabrik.tenancy.models import OrgNode

    parent = dict(OrgNode.objects.values_list("pk", "parent_id"))

    def ancestors_or_self(pk: int | None) -> set[int]:
        out = set()
        while pk is not None:  # up the parent links, not by comparing paths
            out.add(pk)
            pk = parent[pk]
        return out

    below = {n.pk: {m.pk for m in nodes if n.pk in ancestors_or_self(m.pk)} for n in nodes}
    return {"nodes": nodes, "below": below}


def rights(
    tree,
    role: str,
    node_pk: int,
    recursive: bool,
    until: dt.date | None,
    start: dt.date | None,
) -> set[Any]:
    covered = tree["below"][node_pk] if recursive else {node_pk}
    start = start or TODAY
    return {
        (action, pk, day, sub)
        for pk in covered
        for day in DAYS
        if start <= day and (until is None or day <= until)
        for action in actions_for(role)
        for sub in ((False, True) if recursive else (False,))
    }


def held_rights(tree, user: User) -> set[Any]:
    out: set[Any] = set()
    for role, node_id, rec, until, start in (
        RoleAssignment.objects.filter(user=user)
        .filter(ActiveAssignmentQ.not_ended(TODAY))
        .values_list("role", "node_id", "recursive", "valid_until", "valid_from")
    ):
        out |= rights(tree, role, node_id, rec, until, start)
    return out


def attempt(tree, actor: User, receiver: User, wanted) -> bool:
    role, index, recursive, until, start = wanted
    node = tree["nodes"][index]
    refusals = AuditEntry.objects.filter(action="refuse").count()
    # A plain input error, not an attempt to exceed one's rights: a role held already (now or
    # later), or one that would end before it starts.
    plain_input_error = (
        RoleAssignment.objects.filter(user=receiver, role=role, node=node)
        .filter(ActiveAssignmentQ.not_ended(TODAY))
        .exists()
    ) or (until is not None and (start or TODAY) > until)
    try:
        services.role_assign(
            actor=User.objects.get(pk=actor.pk),
            user=receiver,
            role=role,
            node=node,
            recursive=recursive,
            valid_until=until,
            valid_from=start,
        )
    except ApplicationError:
        if not plain_input_error:  # anything else is on record
            assert AuditEntry.objects.filter(action="refuse").count() == refusals + 1
        return False
    return True


def near(data, base) -> tuple[Any, ...]:
    """A grant to ask for, often close to `base` (its node, recursion, end, start), so some
    pass. A start in the past is never asked for: that is refused as input (test_services)."""
    role, index, recursive, until, start = base
    start = start if start is None or start >= TODAY else TODAY
    return (
        data.draw(st.sampled_from([role] * 4 + ROLES)),
        data.draw(st.sampled_from([index] * 4 + list(range(len(NODE_NAMES))))),
        data.draw(st.sampled_from([recursive, recursive, not recursive])),
        data.draw(st.sampled_from([until] * 3 + WANTED_ENDS)),
        data.draw(st.sampled_from([start] * 3 + WANTED_STARTS)),
    )


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    held=st.lists(grant_tuples, min_size=1, max_size=4, unique_by=lambda t: (t[0], t[1])),
    data=st.data(),
)
def test_no_grant_beyond_one_of_the_granters_own_and_no_rise_through_an_accomplice(
    tree, held, data
):
    first = near(data, data.draw(st.sampled_from(held)))
    second = near(data, first)
    with transaction.atomic():
        granter = User.objects.create(username="granter")
        accomplice = User.objects.create(username="accomplice")
        for role, index, recursive, until, start in held:
            RoleAssignment.objects.create(
                user=granter,
                role=role,
                node=tree["nodes"][index],
                recursive=recursive,
                valid_until=until,
                valid_from=start,
            )
        own = [
            rights(tree, role, tree["nodes"][i].pk, rec, until, start)
            for role, i, rec, until, start in held
            if actions.MANAGE_ROLES in actions_for(role)
        ]
        before = held_rights(tree, granter)

        accepted = attempt(tree, granter, accomplice, first)
        event(f"first grant {'accepted' if accepted else 'refused'}")
        if accepted:
            role, index, recursive, until, start = first
            wanted = rights(tree, role, tree["nodes"][index].pk, recursive, until, start)
            assert any(wanted <= one for one in own), (held, first)
        back = attempt(tree, accomplice, granter, second)
        event(f"grant back {'accepted' if back else 'refused'}")

        assert held_rights(tree, granter) <= before, (held, first, second)
        assert held_rights(tree, accomplice) <= before, (held, first, second)
        transaction.set_rollback(True)
