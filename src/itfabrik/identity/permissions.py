"""Identity's actions and the roles that hold them.

Persons, employments and accounts are scoped by the municipality of employment (its `OrgNode`
path); the joint IT organisation's staff hold their roles on the cooperation's root and so see
every municipality. The personal identity number is shown in clear only with
`VIEW_PERSONAL_NUMBER` (HR-like needs: the administrator and the security officer); everyone
else sees it masked.
"""

from __future__ import annotations

from itfabrik.core.registry import register_actions
from itfabrik.core.roles import Role

# See persons, employments, accounts, grants and violations.
VIEW_IDENTITY = "identity.view_identity"
# Hire, correct, end employments; create, correct, disable accounts; request direct grants.
MANAGE_IDENTITY = "identity.manage_identity"
# Approve grants and role changes in a municipality (the municipality's role owners).
APPROVE_ACCESS = "identity.approve_access"
# See the personal identity number in clear.
VIEW_PERSONAL_NUMBER = "identity.view_personal_number"
# Define business roles and entitlements; run access-review campaigns; licence pools.
MANAGE_ROLES = "identity.manage_roles"
# Confirm or revoke the entitlements of one's staff in an access review.
REVIEW_ACCESS = "identity.review_access"
# Create and revoke the bearer tokens of SCIM clients (ADR 0038).
MANAGE_PROVISIONING = "identity.manage_provisioning"

register_actions(
    "identity",
    {
        VIEW_IDENTITY: {
            Role.COOPERATION_ADMIN,
            Role.TECHNICIAN,
            Role.TEAM_LEAD,
            Role.AGENT,
            Role.SECURITY_OFFICER,
            Role.IT_CONTACT,
        },
        MANAGE_IDENTITY: {Role.COOPERATION_ADMIN, Role.TECHNICIAN, Role.TEAM_LEAD},
        APPROVE_ACCESS: {Role.COOPERATION_ADMIN, Role.IT_CONTACT},
        VIEW_PERSONAL_NUMBER: {Role.COOPERATION_ADMIN, Role.SECURITY_OFFICER},
        MANAGE_ROLES: {Role.COOPERATION_ADMIN, Role.SECURITY_OFFICER},
        REVIEW_ACCESS: {Role.COOPERATION_ADMIN, Role.ORDERER, Role.IT_CONTACT},
        MANAGE_PROVISIONING: {Role.COOPERATION_ADMIN},
    },
)
