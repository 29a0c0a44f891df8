"""The e-mail channel's actions. Replying by mail and resolving with a mail use the service
desk's own `servicedesk.work_ticket`; reading the log of processed mail is this one."""

from __future__ import annotations

from itfabrik.core.registry import register_actions
from itfabrik.core.roles import Role

# The log of inbound and outbound mail, with the outcome of each message.
VIEW_MAIL = "mailchannel.view_mail"

register_actions(
    "mailchannel",
    {VIEW_MAIL: {Role.AGENT, Role.TECHNICIAN, Role.TEAM_LEAD, Role.COOPERATION_ADMIN}},
)
