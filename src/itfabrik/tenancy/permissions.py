"""The organisation's actions and the roles that hold them."""

from __future__ import annotations

from itfabrik.core.registry import register_actions
from itfabrik.core.roles import ALL_ROLES, Role

VIEW_NODE = "tenancy.view_node"
CHANGE_NODE = "tenancy.change_node"
ADD_NODE = "tenancy.add_node"
MANAGE_MEMBERSHIP = "tenancy.manage_membership"
VIEW_POSITION = "tenancy.view_position"
# Start-page overviews: units and cost centres per municipality; the joint organisation's teams.
VIEW_UNIT_SUMMARY = "tenancy.view_unit_summary"
VIEW_TEAMS = "tenancy.view_teams"

_ADMIN = Role.COOPERATION_ADMIN

register_actions(
    "tenancy",
    {
        VIEW_NODE: ALL_ROLES,
        CHANGE_NODE: {_ADMIN},
        ADD_NODE: {_ADMIN},
        MANAGE_MEMBERSHIP: {_ADMIN},
        VIEW_POSITION: {
            _ADMIN,
            Role.AGENT,
            Role.TECHNICIAN,
            Role.TEAM_LEAD,
            Role.FINANCE,
            Role.COUNCIL_MEMBER,
            Role.PORTFOLIO_MANAGER,
            Role.SECURITY_OFFICER,
        },
        VIEW_UNIT_SUMMARY: {_ADMIN, Role.FINANCE, Role.IT_CONTACT, Role.ORDERER},
        VIEW_TEAMS: {_ADMIN, Role.AGENT, Role.TECHNICIAN, Role.TEAM_LEAD},
    },
)
