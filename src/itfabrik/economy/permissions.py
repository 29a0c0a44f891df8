"""The economy's actions and the roles that hold them.

A municipality's figures (baseline, timeline, follow-up) are scoped by the municipality's node
path: a role held in Mellerud (its IT contact, its local IT council's members) sees Mellerud's
figures; the joint organisation's roles, held on the cooperation's root, see every
municipality's. Categories, scenarios and shared project costs belong to the cooperation and are
changed only by those who hold the action on its root.
"""

from __future__ import annotations

from itfabrik.core.registry import register_actions
from itfabrik.core.roles import Role

# See the baseline, the scenarios, the timeline and the follow-up of a municipality.
VIEW_ECONOMY = "economy.view_economy"
# Correct a municipality's figures (category costs, net cost, timeline entries).
MANAGE_FIGURES = "economy.manage_figures"
# Create and adjust scenarios (benchmark share, savings percentages) at the cooperation's root.
MANAGE_SCENARIOS = "economy.manage_scenarios"

register_actions(
    "economy",
    {
        VIEW_ECONOMY: {
            Role.COOPERATION_ADMIN,
            Role.FINANCE,
            Role.COUNCIL_MEMBER,
            Role.IT_CONTACT,
            Role.PORTFOLIO_MANAGER,
        },
        MANAGE_FIGURES: {Role.COOPERATION_ADMIN, Role.FINANCE},
        MANAGE_SCENARIOS: {Role.COOPERATION_ADMIN, Role.FINANCE, Role.PORTFOLIO_MANAGER},
    },
)
