"""Billing's menu entries."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from itfabrik.core.registry import MenuItem, register_menu

from . import permissions as actions
from .web import access

register_menu(
    "billing",
    MenuItem("billing:overview", _("Kostnader"), actions.VIEW_INVOICE, order=40, area="services"),
    # These two pages check their action at the cooperation's root, not anywhere.
    MenuItem(
        "billing:runs",
        _("Fakturering"),
        actions.RUN_BILLING,
        order=41,
        visible=access.may_run_billing,
        area="services",
    ),
    MenuItem(
        "billing:simulation", _("Simulera nyckel"), actions.SIMULATE_KEY, order=42, area="services"
    ),
    MenuItem(
        "billing:pools",
        _("Ekonomiadministration"),
        actions.MANAGE_POOLS,
        order=43,
        visible=access.may_manage_pools,
        area="services",
    ),
)
