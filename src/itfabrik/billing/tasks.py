"""Billing's background job: the monthly run (a thin, idempotent wrapper around the service)."""

from __future__ import annotations

from django_tasks import task


@task()
def run_billing(run_id: int) -> str:
    from .services import billing_run_execute

    return str(billing_run_execute(run_id=run_id).status)


@task()
def import_usage(import_id: int) -> str:
    from .services import usage_import_execute

    return str(usage_import_execute(import_id=import_id).status)
