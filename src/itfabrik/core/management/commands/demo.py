"""`itfabrik demo`: migrate, load the Dalsland demo once, serve it and run the worker."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from itfabrik.core import demo


class Command(BaseCommand):
    help = (
        "Startar Dalslandsdemot: migrerar, laddar demodata, startar webbserver och bakgrundsjobb."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("ITFABRIK_HOST", "127.0.0.1"))
        parser.add_argument(
            "--port", type=int, default=int(os.environ.get("ITFABRIK_PORT", "8000"))
        )
        parser.add_argument("--no-serve", action="store_true", help="Förbered bara, starta inget.")

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        if demo.load():
            self.stdout.write(self.style.SUCCESS("Dalslandsdemot är laddat."))
        if options["no_serve"]:
            return
        host, port = options["host"], options["port"]
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ["DJANGO_SETTINGS_MODULE"]}
        worker = subprocess.Popen([sys.executable, "-m", "itfabrik.manage", "worker"], env=env)
        web = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "itfabrik.config.wsgi:application",
                "--bind",
                f"{host}:{port}",
                "--workers",
                "2",
                "--threads",
                "4",
                "--access-logfile",
                "-",
                "--graceful-timeout",
                "5",
            ],
            env=env,
        )
        self._announce(host, port)
        children = [web, worker]

        def stop(signum: int, frame: Any) -> None:
            for child in children:
                if child.poll() is None:
                    child.terminate()

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            while all(c.poll() is None for c in children):
                time.sleep(0.5)
        finally:
            stop(0, None)
            deadline = time.monotonic() + 10
            for child in children:
                try:
                    child.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    child.kill()
        self.stdout.write("itfabrik har stoppats.")

    def _announce(self, host: str, port: int) -> None:
        w = self.stdout.write
        w("")
        w(self.style.SUCCESS(f"itfabrik kör på http://{host}:{port}/"))
        w(f"Data: {settings.DATA_DIR}")
        for line in demo.describe():
            w(line)
        w("Stoppa med Ctrl-C.")
        w("")
