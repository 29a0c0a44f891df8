"""The reports' actions. Figures are scoped like tickets, by the affected unit's path: staff of
the joint organisation hold their role on the cooperation's root and see every municipality; a
municipality's IT contact or council member, assigned on the municipality, sees only it."""

from __future__ import annotations

from itfabrik.core.registry import register_actions
from itfabrik.core.roles import Role

VIEW_REPORTS = "deskreports.view_reports"
# The start page's "SLA denna månad" card: the team leads' daily figure.
SLA_PANEL = "deskreports.sla_panel"

register_actions(
    "deskreports",
    {
        VIEW_REPORTS: {
            Role.AGENT,
            Role.TECHNICIAN,
            Role.TEAM_LEAD,
            Role.COOPERATION_ADMIN,
            Role.IT_CONTACT,
            Role.COUNCIL_MEMBER,
        },
        # The cooperation admin holds every action (the granting rule, ADR 0017, rests on it).
        SLA_PANEL: {Role.TEAM_LEAD, Role.COOPERATION_ADMIN},
    },
)
