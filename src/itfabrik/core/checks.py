"""System checks on what the apps registered: a typo in a role or action fails at start-up."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core import checks

from .registry import registry, unknown_roles
from .roles import Role

TOP_ROLE = Role.COOPERATION_ADMIN.value

PLATFORM_PREFIX = "itfabrik."


def platform_apps() -> list[Any]:
    """The installed apps that are part of itfabrik (and so must plug in through the registry)."""
    return [
        c
        for c in apps.get_app_configs()
        if c.name.startswith(PLATFORM_PREFIX) or getattr(c, "itfabrik_app", False)
    ]


@checks.register()
def check_registry(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    for action, roles in sorted(registry.action_roles.items()):
        if not roles:
            errors.append(checks.Error(f"No role holds the action {action!r}.", id="itfabrik.E001"))
        elif TOP_ROLE not in roles and action not in registry.separated_duties:
            # The granting rule lets the widest role hand out every other role (ADR 0017): a
            # right it lacks could be granted by someone who does not hold it.
            errors.append(
                checks.Error(
                    f"The action {action!r} is not held by the widest role {TOP_ROLE!r}.",
                    hint="Add Role.COOPERATION_ADMIN to the roles of the action.",
                    id="itfabrik.E005",
                )
            )
    for role in sorted(unknown_roles()):
        errors.append(
            checks.Error(
                f"The role {role!r} is not a role code of core.roles.Role.", id="itfabrik.E002"
            )
        )
    for config in platform_apps():
        if config.label not in registry.contributors:
            errors.append(
                checks.Error(
                    f"The app {config.label!r} registers nothing (no actions, menu entries, "
                    "panels or demo step).",
                    hint="Declare its actions in its permissions.py with register_actions().",
                    id="itfabrik.E003",
                )
            )
    known = set(registry.action_roles)
    for _app, item in registry.menu:
        if item.action is not None and item.action not in known:
            errors.append(
                checks.Error(
                    f"The menu entry {item.url_name!r} needs the unknown action {item.action!r}.",
                    id="itfabrik.E004",
                )
            )
    for panel in registry.panels:
        if panel.action is not None and panel.action not in known:
            errors.append(
                checks.Error(
                    f"The panel {panel.key!r} needs the unknown action {panel.action!r}.",
                    id="itfabrik.E004",
                )
            )
    return errors
