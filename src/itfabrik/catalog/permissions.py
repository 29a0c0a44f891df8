"""The catalogue's and ordering's actions and the roles that hold them.

The catalogue belongs to a cooperation: anyone with a role in it may read it; the cooperation
administrator manages it (checked on the cooperation's root node). Orders and subscriptions
belong to a unit: an orderer on a unit orders for it and every unit below it.
"""

from __future__ import annotations

from itfabrik.core.registry import register_actions
from itfabrik.core.roles import ALL_ROLES, Role

VIEW_CATALOGUE = "catalog.view_catalogue"
MANAGE_CATALOGUE = "catalog.manage_catalogue"
ORDER = "catalog.order"
VIEW_ORDERS = "catalog.view_orders"
# Lines needing the unit manager's approval: the municipality's IT contact (who acts for the
# unit managers in the pre-study) and the cooperation administrator.
APPROVE_ORDER = "catalog.approve_order"
# Lines needing IT's approval: the joint IT organisation's administrator.
APPROVE_IT = "catalog.approve_it"
DELIVER_ORDER = "catalog.deliver_order"

_ADMIN = Role.COOPERATION_ADMIN

register_actions(
    "catalog",
    {
        VIEW_CATALOGUE: ALL_ROLES,
        MANAGE_CATALOGUE: {_ADMIN},
        ORDER: {Role.ORDERER, _ADMIN},
        VIEW_ORDERS: {
            Role.ORDERER,
            Role.IT_CONTACT,
            _ADMIN,
            Role.FINANCE,
            Role.TECHNICIAN,
            Role.AGENT,
        },
        APPROVE_ORDER: {Role.IT_CONTACT, _ADMIN},
        APPROVE_IT: {_ADMIN},
        DELIVER_ORDER: {_ADMIN, Role.TECHNICIAN},
    },
)
