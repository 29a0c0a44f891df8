"""The accounts app's actions, and the role assignments it provides to `core.permissions`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone

from itfabrik.core.actors import Actor
from itfabrik.core.registry import GrantRow, register_actions, set_grant_loader
from itfabrik.core.roles import Role

from .models import ActiveAssignmentQ, RoleAssignment

VIEW_USER = "accounts.view_user"
MANAGE_ROLES = "accounts.manage_roles"

register_actions(
    "accounts",
    {
        VIEW_USER: {
            Role.COOPERATION_ADMIN,
            Role.AGENT,
            Role.TECHNICIAN,
            Role.TEAM_LEAD,
            Role.IT_CONTACT,
            Role.SECURITY_OFFICER,
        },
        MANAGE_ROLES: {Role.COOPERATION_ADMIN},
    },
)


def _active_assignments(actor: Actor) -> Iterable[GrantRow]:
    today: dt.date = timezone.localdate()
    return (
        RoleAssignment.objects.filter(user_id=actor.pk)
        .filter(ActiveAssignmentQ.on(today))
        .values_list(
            "role", "node_id", "node__path", "recursive", "node__cooperation_id", "valid_until"
        )
    )


set_grant_loader(_active_assignments)
