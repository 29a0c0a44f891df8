"""Governance's background jobs (thin, idempotent wrappers)."""

from __future__ import annotations

from django.conf import settings
from django_tasks import task

from itfabrik.core.registry import register_periodic


@task()
def evaluation_reminders() -> int:
    """Remind of the cooperation agreement's coming evaluations (each once)."""
    from .services import evaluation_reminders_send

    return evaluation_reminders_send()


register_periodic(
    "governance",
    "evaluation_reminders",
    evaluation_reminders,
    every=float(getattr(settings, "ITFABRIK_GOVERNANCE_REMINDER_SECONDS", 6 * 3600)),
)
