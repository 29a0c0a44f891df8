"""The service desk's actions and the roles that hold them.

Tickets are scoped by the affected unit's path. Staff of the joint organisation hold their role
on the cooperation's root, so `view_ticket` there covers every ticket of the cooperation. An
orderer sees the tickets of the units they order for; everyone else sees only the tickets they
reported themselves (checked by requester, not by node).
"""

from __future__ import annotations

from itfabrik.core.registry import register_actions
from itfabrik.core.roles import ALL_ROLES, Role

# Read every ticket under the node, with internal notes.
VIEW_TICKET = "servicedesk.view_ticket"
# Register tickets for others, edit, assign, change status, reply and note.
WORK_TICKET = "servicedesk.work_ticket"
# Read the tickets of one's units (no internal notes).
VIEW_UNIT_TICKETS = "servicedesk.view_unit_tickets"
# Report a problem in the portal (for oneself, on one's own unit).
REPORT = "servicedesk.report"
# Problem management: record a problem's root cause and workaround, mark it a known error and
# publish it to the knowledge base (2nd/3rd line and team leads; 1st line reads and links).
MANAGE_PROBLEMS = "servicedesk.manage_problems"
# Groups, calendars, policies, the matrix and the VIP list.
MANAGE = "servicedesk.manage"

_STAFF = {Role.AGENT, Role.TECHNICIAN, Role.TEAM_LEAD, Role.COOPERATION_ADMIN}

register_actions(
    "servicedesk",
    {
        VIEW_TICKET: _STAFF,
        WORK_TICKET: _STAFF,
        VIEW_UNIT_TICKETS: {Role.ORDERER, Role.IT_CONTACT, Role.COOPERATION_ADMIN},
        REPORT: ALL_ROLES,
        MANAGE_PROBLEMS: {Role.TECHNICIAN, Role.TEAM_LEAD, Role.COOPERATION_ADMIN},
        MANAGE: {Role.COOPERATION_ADMIN, Role.TEAM_LEAD},
    },
)
