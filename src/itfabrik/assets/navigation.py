"""The device register's menu entries and start-page panel."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from itfabrik.core.registry import MenuItem, register_menu, register_panel

from . import permissions as actions
from . import selectors

register_menu(
    "assets",
    MenuItem("assets:devices", _("Enheter"), actions.VIEW_DEVICES, order=60, area="operations"),
    MenuItem(
        "assets:compliance", _("Efterlevnad för enheter"), actions.VIEW_DEVICES, order=61,
        area="operations",
    ),
    MenuItem(
        "assets:leases", _("Leasingavtal"), actions.VIEW_DEVICES, order=62, area="operations"
    ),
    MenuItem(
        "assets:models", _("Modellkatalog"), actions.VIEW_DEVICES, order=63, area="operations"
    ),
    MenuItem(
        "assets:import", _("Importera enheter"), actions.MANAGE_DEVICES, order=64,
        area="operations",
    ),
    MenuItem(
        "assets:planning", _("Utbytesplan"), actions.VIEW_PLANNING, order=65, area="operations"
    ),
    MenuItem(
        "assets:charging", _("Debitering av enheter"), actions.MANAGE_CHARGING, order=66,
        area="services",
    ),
    # Offered to everyone signed in (no query per page); the page says when none are registered.
    MenuItem("assets:mine", _("Mina enheter"), None, order=36, area="self"),
)  # fmt: skip


@register_panel(
    "assets",
    "my_devices",
    template="assets/panels/my_devices.html",
    action=None,
    zone="card",
    order=36,
)
def my_devices_panel(request: Any) -> dict[str, Any] | None:
    """The devices the person uses, with a way to report a problem with one."""
    from .links import report_url

    devices = list(selectors.my_device_list(actor=request.user)[:5])
    if not devices:
        return None
    return {"devices": [(d, report_url(d)) for d in devices]}
