"""Identity's background jobs (thin, idempotent wrappers)."""

from __future__ import annotations

from django.conf import settings
from django_tasks import task

from itfabrik.core.registry import register_periodic


@task()
def leavers() -> int:
    """Disable the accounts of people whose last day of employment has passed, revoke their
    grants (licences back to the pool) and end direct grants past their end date."""
    from .services import leavers_process

    return leavers_process()


register_periodic(
    "identity",
    "leavers",
    leavers,
    every=float(getattr(settings, "ITFABRIK_IDENTITY_LEAVER_SECONDS", 3600)),
)
