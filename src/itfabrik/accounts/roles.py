"""What each role may do. The one table the permission check reads.

Actions are "<app>.<verb>_<thing>". An app adds its actions here when it is built; a role that
is not listed for an action cannot do it anywhere.
"""

from __future__ import annotations

from .choices import Role

VIEW_NODE = "tenancy.view_node"
CHANGE_NODE = "tenancy.change_node"
ADD_NODE = "tenancy.add_node"
MANAGE_MEMBERSHIP = "tenancy.manage_membership"
VIEW_POSITION = "tenancy.view_position"
VIEW_USER = "accounts.view_user"
MANAGE_ROLES = "accounts.manage_roles"
VIEW_AUDIT = "core.view_audit"

ALL_ACTIONS = frozenset(
    {
        VIEW_NODE,
        CHANGE_NODE,
        ADD_NODE,
        MANAGE_MEMBERSHIP,
        VIEW_POSITION,
        VIEW_USER,
        MANAGE_ROLES,
        VIEW_AUDIT,
    }
)

_STAFF_BASE = frozenset({VIEW_NODE, VIEW_POSITION, VIEW_USER})

ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.COOPERATION_ADMIN: ALL_ACTIONS,
    Role.AGENT: _STAFF_BASE,
    Role.TECHNICIAN: _STAFF_BASE,
    Role.TEAM_LEAD: _STAFF_BASE | {VIEW_AUDIT},
    Role.FINANCE: frozenset({VIEW_NODE, VIEW_POSITION}),
    Role.ORDERER: frozenset({VIEW_NODE}),
    Role.IT_CONTACT: frozenset({VIEW_NODE, VIEW_USER}),
    Role.COUNCIL_MEMBER: frozenset({VIEW_NODE, VIEW_POSITION}),
    Role.PORTFOLIO_MANAGER: frozenset({VIEW_NODE, VIEW_POSITION}),
    Role.SECURITY_OFFICER: _STAFF_BASE | {VIEW_AUDIT},
    Role.END_USER: frozenset({VIEW_NODE}),
}

# Roles whose holders work in the joint organisation; with REQUIRE_STAFF_2FA they must use TOTP.
STAFF_ROLES = frozenset(
    {
        Role.COOPERATION_ADMIN,
        Role.AGENT,
        Role.TECHNICIAN,
        Role.TEAM_LEAD,
        Role.FINANCE,
        Role.PORTFOLIO_MANAGER,
        Role.SECURITY_OFFICER,
    }
)


def actions_for(role: str) -> frozenset[str]:
    return ROLE_ACTIONS.get(role, frozenset())
