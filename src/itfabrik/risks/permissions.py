"""The risk register's actions and the roles that hold them.

A risk belongs to a scope node: the cooperation's root (a risk of the whole cooperation) or one
municipality. A grant on the root covers both; a grant on a municipality covers its own risks.
"""

from __future__ import annotations

from itfabrik.core.registry import register_actions
from itfabrik.core.roles import Role

VIEW_RISKS = "risks.view_risks"
# Add, correct, treat, review and close risks; run workshops.
MANAGE_RISKS = "risks.manage_risks"
# Enter a municipality's scores in a workshop.
SCORE_WORKSHOP = "risks.score_workshop"

register_actions(
    "risks",
    {
        VIEW_RISKS: {
            Role.COOPERATION_ADMIN,
            Role.SECURITY_OFFICER,
            Role.PORTFOLIO_MANAGER,
            Role.COUNCIL_MEMBER,
            Role.IT_CONTACT,
        },
        MANAGE_RISKS: {Role.COOPERATION_ADMIN, Role.SECURITY_OFFICER},
        SCORE_WORKSHOP: {Role.COOPERATION_ADMIN, Role.SECURITY_OFFICER, Role.IT_CONTACT},
    },
)
