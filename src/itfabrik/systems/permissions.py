"""The system register's actions and the roles that hold them.

Systems, capabilities and requirements belong to the cooperation (their node is its root):
staff who hold an action on the root act on every system. A municipality's IT contact, holding
`view_systems` on the municipality only, sees the systems that municipality uses.
"""

from __future__ import annotations

from itfabrik.core.registry import register_actions
from itfabrik.core.roles import Role

# See the register: systems, uses, capabilities, duplicates, data-centre phase-out.
VIEW_SYSTEMS = "systems.view_systems"
# Add, correct and close systems, their uses, integrations and the capability vocabulary.
MANAGE_SYSTEMS = "systems.manage_systems"
# Set KLASSA levels, keep the requirement sets and record self-assessments.
CLASSIFY = "systems.classify"

register_actions(
    "systems",
    {
        VIEW_SYSTEMS: {
            Role.COOPERATION_ADMIN,
            Role.PORTFOLIO_MANAGER,
            Role.SECURITY_OFFICER,
            Role.TEAM_LEAD,
            Role.TECHNICIAN,
            Role.COUNCIL_MEMBER,
            Role.IT_CONTACT,
        },
        MANAGE_SYSTEMS: {Role.COOPERATION_ADMIN, Role.PORTFOLIO_MANAGER, Role.SECURITY_OFFICER},
        CLASSIFY: {Role.COOPERATION_ADMIN, Role.SECURITY_OFFICER},
    },
)
