"""Governance's actions and the roles that hold them.

A forum belongs to a node: a local IT council to its municipality, the cooperation-wide forums to
the cooperation's root. A grant covering that node lets one act on the forum; the cooperation-wide
forums' decisions are also seen by anyone holding `view_governance` anywhere in the cooperation
(a local council follows what IT-råd decided for all)."""

from __future__ import annotations

from itfabrik.core.registry import register_actions
from itfabrik.core.roles import Role

# See forums, meetings, minutes, matters and decisions.
VIEW_GOVERNANCE = "governance.view_governance"
# Keep meetings: agendas, minutes, approving the minutes; register and prepare matters.
MANAGE_MEETINGS = "governance.manage_meetings"
# Record decisions, move them through their statuses, link what they govern.
DECIDE = "governance.decide"
# Create and close forums and change their members.
MANAGE_FORUMS = "governance.manage_forums"
# Read the cooperation agreement.
VIEW_AGREEMENT = "governance.view_agreement"
# Change the agreement: sections, parties, amendments, evaluations.
MANAGE_AGREEMENT = "governance.manage_agreement"

register_actions(
    "governance",
    {
        VIEW_GOVERNANCE: {
            Role.COUNCIL_MEMBER,
            Role.COOPERATION_ADMIN,
            Role.PORTFOLIO_MANAGER,
            Role.FINANCE,
            Role.IT_CONTACT,
        },
        MANAGE_MEETINGS: {Role.COUNCIL_MEMBER, Role.COOPERATION_ADMIN},
        DECIDE: {Role.COUNCIL_MEMBER, Role.COOPERATION_ADMIN},
        MANAGE_FORUMS: {Role.COOPERATION_ADMIN},
        VIEW_AGREEMENT: {
            Role.COUNCIL_MEMBER,
            Role.COOPERATION_ADMIN,
            Role.PORTFOLIO_MANAGER,
            Role.FINANCE,
            Role.IT_CONTACT,
        },
        MANAGE_AGREEMENT: {Role.COOPERATION_ADMIN},
    },
)
