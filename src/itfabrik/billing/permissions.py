"""Billing's actions and the roles that hold them. Invoices and usage records are scoped by the
municipality's (or unit's) node path; pools, keys, runs and the fund by the cooperation's root."""

from __future__ import annotations

from itfabrik.core.registry import register_actions, register_separated_duty
from itfabrik.core.roles import Role

VIEW_INVOICE = "billing.view_invoice"
RUN_BILLING = "billing.run_billing"
APPROVE_INVOICE = "billing.approve_invoice"
MANAGE_POOLS = "billing.manage_pools"
RECORD_USAGE = "billing.record_usage"
MANAGE_FUND = "billing.manage_fund"
# Simulating a key shows every visible member's amounts under a proposed key. The page and its
# menu entry both check this action; the rows are the municipalities where the actor holds it.
SIMULATE_KEY = "billing.simulate_key"

register_actions(
    "billing",
    {
        VIEW_INVOICE: {
            Role.FINANCE,
            Role.COOPERATION_ADMIN,
            Role.COUNCIL_MEMBER,
            Role.IT_CONTACT,
        },
        RUN_BILLING: {Role.FINANCE},
        APPROVE_INVOICE: {Role.FINANCE},
        MANAGE_POOLS: {Role.FINANCE, Role.COOPERATION_ADMIN},
        RECORD_USAGE: {Role.FINANCE, Role.COOPERATION_ADMIN},
        MANAGE_FUND: {Role.FINANCE, Role.COOPERATION_ADMIN},
        SIMULATE_KEY: {
            Role.FINANCE,
            Role.COOPERATION_ADMIN,
            Role.COUNCIL_MEMBER,
            Role.IT_CONTACT,
        },
    },
)

# Billing is run and approved by finance alone: the administrator who grants roles (and could
# appoint a finance officer) does not also produce and approve the municipalities' invoices.
for _action in (RUN_BILLING, APPROVE_INVOICE):
    register_separated_duty(
        "billing", _action, "Run and approved by finance only (separation of duties)."
    )
