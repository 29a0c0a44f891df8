"""The accounts app's menu entries and start-page panel."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from itfabrik.core.registry import MenuItem, memo, register_menu, register_panel

from . import permissions as actions
from .selectors import access_contact_list, own_assignment_list

register_menu(
    "accounts",
    MenuItem(
        "accounts:user_list",
        pgettext_lazy("the list of people", "Användare"),  # "Users", not the role "User"
        actions.VIEW_USER,
        order=40,
        area="admin",
    ),
    MenuItem("accounts:profile", _("Mitt konto"), None, order=1000, area="self"),
)


@register_panel(
    "accounts", "my_roles", template="accounts/panels/my_roles.html", zone="card", order=10
)
def my_roles(request: Any) -> dict[str, Any]:
    return {"assignments": _mine(request)}


def _mine(request: Any) -> list[Any]:
    """The actor's current assignments, read once per request for both panels."""
    mine: list[Any] = memo(
        request,
        "accounts.own_assignment_list",
        lambda: list(own_assignment_list(actor=request.user)),
    )
    return mine


@register_panel(
    "accounts", "no_access", template="accounts/panels/no_access.html", zone="lead", order=20
)
def no_access(request: Any) -> dict[str, Any] | None:
    """A person without any role is told whom to ask for one."""
    from itfabrik.core import permissions

    actor = request.user
    if permissions.is_superuser(actor) or _mine(request):
        return None
    return {"contacts": access_contact_list(actor=actor)}
