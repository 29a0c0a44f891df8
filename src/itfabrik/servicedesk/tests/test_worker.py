"""The SLA sweep is scheduled by the worker through core's periodic-job hook: the app registers
it in tasks.py; the worker enqueues it when due and again after its interval."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from itfabrik.core.registry import periodic_due, registry
from itfabrik.servicedesk import services
from itfabrik.servicedesk.models import SlaWarning


def test_the_sweep_is_registered_as_a_periodic_job() -> None:
    from itfabrik.servicedesk import tasks

    job = registry.periodic["servicedesk.sla_sweep"]
    assert job.task is tasks.sla_sweep
    assert job.every > 0
    assert job in periodic_due({}, 0.0)
    assert job not in periodic_due({job.key: 100.0}, 100.0 + job.every - 1)
    assert job in periodic_due({job.key: 100.0}, 100.0 + job.every)


@pytest.mark.django_db
def test_worker_batch_runs_the_sweep(desk: Any) -> None:
    # A ticket whose NIS2 early warning is late: the sweep records a warning.
    ticket = desk.ticket()
    services.nis2_mark(
        actor=desk.agent,
        ticket=ticket,
        expected_version=None,
        aware_at=timezone.now() - dt.timedelta(hours=30),
    )
    assert not SlaWarning.objects.filter(ticket=ticket, clock="nis2_24h").exists()
    # The test settings run tasks at once (ImmediateBackend): enqueueing is running.
    from django.utils.module_loading import autodiscover_modules

    from itfabrik.core.management.commands.worker import enqueue_periodic

    autodiscover_modules("tasks")  # as the worker does at start
    keys = enqueue_periodic({}, 0.0)
    assert "servicedesk.sla_sweep" in keys
    assert SlaWarning.objects.filter(ticket=ticket, clock="nis2_24h", threshold=100).exists()


def test_worker_command_has_the_periodic_switch() -> None:
    from itfabrik.core.management.commands.worker import Command

    parser = Command().create_parser("itfabrik", "worker")
    assert parser.parse_args(["--batch", "--no-periodic"]).no_periodic is True
