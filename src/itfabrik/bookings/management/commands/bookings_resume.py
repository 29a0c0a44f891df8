import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Återupptar ärenden vars bokade besök har börjat (en gång, eller var N:e sekund)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--every", type=float, default=0, help="Upprepa var N:e sekund.")

    def handle(self, *args: Any, **options: Any) -> None:
        from itfabrik.bookings.services import bookings_resume_due

        while True:
            resumed = bookings_resume_due()
            self.stdout.write(f"{resumed} ärenden återupptagna")
            if not options["every"]:
                return
            time.sleep(options["every"])
