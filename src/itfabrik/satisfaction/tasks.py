"""Satisfaction's background job: mail a low-score alert (a thin, idempotent wrapper)."""

from __future__ import annotations

from django_tasks import task


@task()
def mail_low_score_alert(alert_id: int) -> bool:
    from .services import alert_mail

    return alert_mail(alert_id=alert_id)
