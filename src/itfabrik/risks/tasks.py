"""The risk register's background job: review reminders (idempotent: one mail per review)."""

from __future__ import annotations

from django.conf import settings
from django_tasks import task

from itfabrik.core.registry import register_periodic


@task()
def review_reminders() -> int:
    from .services import review_reminders_send

    return review_reminders_send()


register_periodic(
    "risks",
    "review_reminders",
    review_reminders,
    every=float(getattr(settings, "ITFABRIK_RISKS_REMINDER_SECONDS", 3600)),
)
