"""Background jobs: thin, idempotent wrappers around services."""

from __future__ import annotations

from django_tasks import task


@task()
def forward_accessibility_report(report_id: int) -> bool:
    from .services import accessibility_report_forward

    return accessibility_report_forward(report_id=report_id)
