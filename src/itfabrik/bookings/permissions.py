"""The bookings' actions and the roles that hold them.

Blocks and bookings are scoped by the block's municipality (its `OrgNode` path). Staff hold their
role on the cooperation's root, so their grant covers every municipality. A requester books for
their own tickets, checked by requester (as servicedesk does), not by node; `VIEW_FREE_BLOCKS`
lets anyone with a grant in a municipality see that municipality's free blocks.
"""

from __future__ import annotations

from itfabrik.core.registry import register_actions
from itfabrik.core.roles import ALL_ROLES, Role

# Configure technicians' availability: create, edit and close blocks.
MANAGE_BLOCKS = "bookings.manage_blocks"
# See every block and booking of the municipality (the calendar, the lists).
VIEW_BOOKINGS = "bookings.view_bookings"
# Book, rebook and cancel on behalf of a requester; mark that a ticket needs a visit.
BOOK_FOR_OTHERS = "bookings.book_for_others"
# Hold blocks: a person who can be sent on site.
TAKE_VISITS = "bookings.take_visits"
# See the free blocks of one's municipality (the portal).
VIEW_FREE_BLOCKS = "bookings.view_free_blocks"

register_actions(
    "bookings",
    {
        MANAGE_BLOCKS: {Role.TEAM_LEAD, Role.COOPERATION_ADMIN},
        VIEW_BOOKINGS: {Role.AGENT, Role.TECHNICIAN, Role.TEAM_LEAD, Role.COOPERATION_ADMIN},
        BOOK_FOR_OTHERS: {Role.AGENT, Role.TECHNICIAN, Role.TEAM_LEAD, Role.COOPERATION_ADMIN},
        # The cooperation admin holds every action (the granting rule, ADR 0017, rests on it).
        TAKE_VISITS: {Role.TECHNICIAN, Role.TEAM_LEAD, Role.COOPERATION_ADMIN},
        VIEW_FREE_BLOCKS: ALL_ROLES,
    },
)
