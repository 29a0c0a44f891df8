"""The actor for work that no person started: migrations of data, the demo loader, jobs."""

from __future__ import annotations

from typing import Any, Protocol


class SystemActor:
    """Passes every permission check and is recorded as "system" in the audit trail."""

    pk = None
    id = None
    is_authenticated = True
    is_active = True
    is_superuser = True
    is_staff = True

    def get_username(self) -> str:
        return "system"

    def __str__(self) -> str:
        return "system"


SYSTEM = SystemActor()


class Actor(Protocol):
    """Whoever acts: a signed-in user, an anonymous visitor, or the system. What every service,
    selector and permission check needs of them; everything else is asked with getattr."""

    @property
    def pk(self) -> Any: ...

    @property
    def is_authenticated(self) -> bool: ...

    @property
    def is_active(self) -> bool: ...
