"""The service desk's background jobs: the SLA sweep (run periodically by the worker) and the
recomputation of open tickets after a policy change. Thin, idempotent wrappers."""

from __future__ import annotations

from django.conf import settings
from django_tasks import task

from itfabrik.core.registry import register_periodic


@task()
def sla_sweep() -> int:
    from .services import sla_sweep as sweep

    return sweep()


@task()
def recompute_policy_tickets(job_id: int) -> int:
    from .services import recompute_job_run

    return recompute_job_run(job_id=job_id)


register_periodic(
    "servicedesk",
    "sla_sweep",
    sla_sweep,
    every=float(getattr(settings, "ITFABRIK_SERVICEDESK_SWEEP_SECONDS", 300)),
)
