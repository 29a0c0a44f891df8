"""The device register's actions and the roles that hold them.

Devices, leases and exceptions are scoped by their municipality (its `OrgNode` path). Staff hold
their roles on the cooperation's root, so their grant covers every municipality. The model
catalogue is the cooperation's: it is managed by those holding `manage_devices` at its root.
"My devices" needs no action: everyone sees the devices they use.
"""

from __future__ import annotations

from itfabrik.core.registry import register_actions
from itfabrik.core.roles import Role

# See the municipality's devices, their history, leases and compliance.
VIEW_DEVICES = "assets.view_devices"
# Register, correct and move devices through the lifecycle; leases; import exports; the catalogue.
MANAGE_DEVICES = "assets.manage_devices"
# Grant and withdraw exceptions from the device policy.
GRANT_EXCEPTIONS = "assets.grant_exceptions"
# Say which catalogue service each device kind or model is charged through (issue 9, point 8).
MANAGE_CHARGING = "assets.manage_charging"
# See the refresh planning (replacements and their cost per quarter).
VIEW_PLANNING = "assets.view_planning"

register_actions(
    "assets",
    {
        VIEW_DEVICES: {
            Role.AGENT,
            Role.TECHNICIAN,
            Role.TEAM_LEAD,
            Role.COOPERATION_ADMIN,
            Role.SECURITY_OFFICER,
            Role.IT_CONTACT,
            Role.PORTFOLIO_MANAGER,
        },
        MANAGE_DEVICES: {Role.TECHNICIAN, Role.TEAM_LEAD, Role.COOPERATION_ADMIN},
        GRANT_EXCEPTIONS: {Role.SECURITY_OFFICER, Role.COOPERATION_ADMIN},
        MANAGE_CHARGING: {Role.COOPERATION_ADMIN, Role.FINANCE},
        VIEW_PLANNING: {
            Role.COOPERATION_ADMIN,
            Role.PORTFOLIO_MANAGER,
            Role.FINANCE,
            Role.TEAM_LEAD,
            Role.TECHNICIAN,
        },
    },
)
