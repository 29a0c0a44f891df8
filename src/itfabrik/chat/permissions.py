"""The chat's actions. Conversations are scoped by the requester's workplace (`unit`): staff hold
their role on the cooperation's root, so `answer_chat` there covers every conversation of the
cooperation; an end user sees only the conversations they started (checked by requester)."""

from __future__ import annotations

from itfabrik.core.registry import register_actions
from itfabrik.core.roles import ALL_ROLES, Role

# Start a chat in the portal (for oneself).
START_CHAT = "chat.start_chat"
# See the waiting conversations, pick one up, answer and end it.
ANSWER_CHAT = "chat.answer_chat"

register_actions(
    "chat",
    {
        START_CHAT: ALL_ROLES,
        ANSWER_CHAT: {Role.AGENT, Role.TEAM_LEAD, Role.COOPERATION_ADMIN},
    },
)
