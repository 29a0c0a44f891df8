import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Varnar för ärenden nära eller över SLA-tiden (en gång, eller var N:e sekund)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--every", type=float, default=0, help="Upprepa var N:e sekund.")

    def handle(self, *args: Any, **options: Any) -> None:
        from itfabrik.servicedesk.services import sla_sweep

        while True:
            sent = sla_sweep()
            self.stdout.write(f"{sent} varningar")
            if not options["every"]:
                return
            time.sleep(options["every"])
