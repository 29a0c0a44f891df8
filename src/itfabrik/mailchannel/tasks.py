"""The e-mail channel's background job: fetch the mailbox, and again after the configured
interval (ITFABRIK_MAIL_FETCH_INTERVAL seconds; 0 schedules nothing). Idempotent: a message
fetched twice is recognised by its Message-ID."""

from __future__ import annotations

import datetime as dt
import logging

from django.utils import timezone
from django_tasks import task

log = logging.getLogger(__name__)


@task()
def fetch_mailbox(reschedule: bool = True) -> int:
    """Fetch once; return the number of messages seen. Then queue the next run, unless one is
    already waiting (two chains would only fetch twice as often, never process twice)."""
    from . import conf
    from .imap import ImapError, fetch

    seen = 0
    try:
        seen = fetch().seen
    except ImapError as exc:
        log.warning("mailchannel: fetch failed: %s", exc)
    interval = conf.fetch_interval()
    backend = fetch_mailbox.get_backend()
    if (
        reschedule
        and interval > 0
        and getattr(backend, "supports_defer", False)
        and not _next_run_waiting()
    ):
        fetch_mailbox.using(run_after=timezone.now() + dt.timedelta(seconds=interval)).enqueue()
    return seen


def _next_run_waiting() -> bool:
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # another backend: it schedules on its own
        return False
    from django_tasks import TaskResultStatus

    return DBTaskResult.objects.filter(
        task_path=f"{__name__}.fetch_mailbox", status=TaskResultStatus.READY
    ).exists()
