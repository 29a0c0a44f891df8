"""The knowledge base's actions and the roles that hold them.

Articles belong to a cooperation. Everyone with a role in it reads the published articles for
everyone, and those for their own municipality; the staff of the joint IT organisation read
every audience (they answer the municipalities' calls); service-desk staff write and archive.
"""

from __future__ import annotations

from itfabrik.core.registry import register_actions
from itfabrik.core.roles import ALL_ROLES, STAFF_ROLES, Role

VIEW_ARTICLES = "knowledge.view_articles"
# Staff-only articles and every municipality's articles.
VIEW_INTERNAL = "knowledge.view_internal"
# Write, publish, archive; see drafts, archived articles and the feedback.
MANAGE_ARTICLES = "knowledge.manage_articles"

register_actions(
    "knowledge",
    {
        VIEW_ARTICLES: ALL_ROLES,
        VIEW_INTERNAL: STAFF_ROLES,
        MANAGE_ARTICLES: {Role.COOPERATION_ADMIN, Role.AGENT, Role.TECHNICIAN, Role.TEAM_LEAD},
    },
)
