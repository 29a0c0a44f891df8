import threading
import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.utils.module_loading import autodiscover_modules

from itfabrik.core.registry import periodic_due


def enqueue_periodic(last_runs: dict[str, float], now: float) -> list[str]:
    """Enqueue the periodic jobs that are due (apps register them in their tasks.py with
    core.registry.register_periodic); returns their keys."""
    done = []
    for job in periodic_due(last_runs, now):
        job.task.enqueue()
        last_runs[job.key] = now
        done.append(job.key)
    return done


class Command(BaseCommand):
    help = "Kör bakgrundsjobb (Django Tasks, databasbackend) och köar de periodiska jobben."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", action="store_true", help="Kör köade jobb och avsluta.")
        parser.add_argument("--interval", type=float, default=1.0)
        parser.add_argument(
            "--no-periodic", action="store_true", help="Köa inte de periodiska jobben."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # Apps register their periodic jobs in tasks.py; core names none of them.
        autodiscover_modules("tasks")
        last_runs: dict[str, float] = {}
        if not options["no_periodic"]:
            enqueue_periodic(last_runs, time.monotonic())
            if not options["batch"]:
                # A daemon thread: it dies with the worker; db_worker keeps the main thread.
                threading.Thread(
                    target=self._schedule, args=(last_runs, options["interval"]), daemon=True
                ).start()
        worker_args = ["--interval", str(options["interval"]), "--no-reload"]
        if options["batch"]:
            worker_args.append("--batch")
        call_command("db_worker", *worker_args)

    @staticmethod
    def _schedule(last_runs: dict[str, float], interval: float) -> None:
        from django.db import close_old_connections

        while True:
            time.sleep(max(interval, 1.0))
            try:
                enqueue_periodic(last_runs, time.monotonic())
            finally:
                close_old_connections()
