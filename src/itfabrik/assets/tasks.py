"""The device register's background job: writing a checked import (a thin, idempotent wrapper
around the service)."""

from __future__ import annotations

from django_tasks import task


@task()
def import_devices(import_id: int) -> str:
    from .imports import import_execute

    return str(import_execute(import_id=import_id).status)
