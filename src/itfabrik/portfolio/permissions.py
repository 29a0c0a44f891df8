"""The portfolio's actions and the roles that hold them.

Initiatives belong to the cooperation: whoever holds an action on the cooperation's root may do
it on every initiative. Someone who holds `VIEW_PORTFOLIO` only in one municipality (a
municipality's IT contact) sees the initiatives that municipality sponsors and those for all of
the cooperation, and with `REPORT_BENEFITS` reports that municipality's benefits. The owner of
a benefit may always report its realised value. Spending from the fund is billing's
`billing.manage_fund` (finance), checked by billing's own service.
"""

from __future__ import annotations

from itfabrik.core.registry import register_actions
from itfabrik.core.roles import Role

# See initiatives, their benefits, the overview and the report for IT-råd Dalsland.
VIEW_PORTFOLIO = "portfolio.view_portfolio"
# Create and correct initiatives, move them through their lifecycle, milestones, monthly status,
# plan benefits, allocate from the fund.
MANAGE_INITIATIVES = "portfolio.manage_initiatives"
# Report realised benefits (planned values are the manager's).
REPORT_BENEFITS = "portfolio.report_benefits"
# Set the weights of the priority criteria of the cooperation.
SET_CRITERIA = "portfolio.set_criteria"

register_actions(
    "portfolio",
    {
        VIEW_PORTFOLIO: {
            Role.PORTFOLIO_MANAGER,
            Role.COOPERATION_ADMIN,
            Role.COUNCIL_MEMBER,
            Role.FINANCE,
            Role.IT_CONTACT,
        },
        MANAGE_INITIATIVES: {Role.PORTFOLIO_MANAGER, Role.COOPERATION_ADMIN},
        REPORT_BENEFITS: {Role.PORTFOLIO_MANAGER, Role.COOPERATION_ADMIN, Role.IT_CONTACT},
        SET_CRITERIA: {Role.PORTFOLIO_MANAGER, Role.COOPERATION_ADMIN},
    },
)
