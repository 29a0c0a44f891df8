"""The accounts app's menu entries and start-page panel."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from itfabrik.core.registry import MenuItem, register_menu, register_panel

from . import permissions as actions
from .selectors import my_assignments

register_menu(
    "accounts",
    MenuItem(
        "accounts:user_list",
        pgettext_lazy("the list of people", "Användare"),  # "Users", not the role "User"
        actions.VIEW_USER,
        order=40,
    ),
    MenuItem("accounts:profile", _("Mitt konto"), None, order=1000),
)


@register_panel(
    "accounts", "my_roles", template="accounts/panels/my_roles.html", zone="card", order=10
)
def my_roles(request: Any) -> dict[str, Any]:
    return {"assignments": list(my_assignments(actor=request.user))}
