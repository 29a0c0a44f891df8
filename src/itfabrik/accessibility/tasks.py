"""Background jobs: thin, idempotent wrappers around services."""

from __future__ import annotations

from django_tasks import task


@task()
def forward_report(report_id: int) -> bool:
    # Imported when run: services enqueues this task, so a top-level import would be circular.
    from .services import report_forward

    return report_forward(report_id=report_id)
