"""Satisfaction's actions and the roles that hold them.

Rating a ticket is not an action on a node: only the ticket's requester may, checked by person
(services.rating_submit). Ratings with their comments are for the service desk's staff; the
figures (response rate and average score) also for a municipality's IT contact and its council
members, each on the nodes of their role: staff of the joint organisation hold theirs on the
cooperation's root and so see every municipality.
"""

from __future__ import annotations

from itfabrik.core.registry import register_actions
from itfabrik.core.roles import ALL_ROLES, Role

# Rate one's own resolved tickets (the portal's entry; the check itself is by requester).
RATE = "satisfaction.rate"
# Read the ratings with their comments on the tickets under the node.
VIEW_RATINGS = "satisfaction.view_ratings"
# Read the figures of the tickets under the node.
VIEW_REPORTS = "satisfaction.view_reports"
# See and acknowledge the low-score alerts under the node (besides one's own as team lead).
HANDLE_ALERTS = "satisfaction.handle_alerts"

_STAFF = {Role.AGENT, Role.TECHNICIAN, Role.TEAM_LEAD, Role.COOPERATION_ADMIN}

register_actions(
    "satisfaction",
    {
        RATE: ALL_ROLES,
        VIEW_RATINGS: _STAFF,
        VIEW_REPORTS: _STAFF | {Role.IT_CONTACT, Role.COUNCIL_MEMBER, Role.PORTFOLIO_MANAGER},
        HANDLE_ALERTS: {Role.TEAM_LEAD, Role.COOPERATION_ADMIN},
    },
)
