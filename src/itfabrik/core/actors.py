"""The actor for work that no person started: migrations of data, the demo loader, jobs."""

from __future__ import annotations


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
