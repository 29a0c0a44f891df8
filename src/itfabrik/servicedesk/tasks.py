"""The service desk's background job: the SLA sweep (a thin, idempotent wrapper)."""

from __future__ import annotations

from django_tasks import task


@task()
def sla_sweep() -> int:
    from .services import sla_sweep as sweep

    return sweep()
