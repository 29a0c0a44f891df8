"""The network standard's actions and the roles that hold them.

Sites, devices and VLANs are scoped by their municipality's `OrgNode` path. The joint IT
organisation's technicians hold their role on the cooperation's root, so their grant covers
every municipality; a municipality's IT contact holds theirs on the municipality and sees that
municipality's network only. The standard itself (pattern, codes, device types, VLAN plan,
SSIDs) belongs to the cooperation: it is changed with `MANAGE_STANDARD` on the root and read by
everyone who may see any network.
"""

from __future__ import annotations

from itfabrik.core.registry import register_actions
from itfabrik.core.roles import Role

# See the sites, devices, VLANs and the conformance report of a municipality, and the standard.
VIEW_NETWORK = "network.view_network"
# Register and correct sites, devices and VLANs; name devices; import files.
MANAGE_NETWORK = "network.manage_network"
# Change the standard: naming pattern, municipality codes, device types, VLAN plan, SSIDs.
MANAGE_STANDARD = "network.manage_standard"

register_actions(
    "network",
    {
        VIEW_NETWORK: {
            Role.TECHNICIAN,
            Role.TEAM_LEAD,
            Role.COOPERATION_ADMIN,
            Role.AGENT,
            Role.SECURITY_OFFICER,
            Role.IT_CONTACT,
        },
        MANAGE_NETWORK: {Role.TECHNICIAN, Role.TEAM_LEAD, Role.COOPERATION_ADMIN},
        MANAGE_STANDARD: {Role.TEAM_LEAD, Role.COOPERATION_ADMIN, Role.TECHNICIAN},
    },
)
