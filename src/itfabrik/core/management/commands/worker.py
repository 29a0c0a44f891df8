from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Kör bakgrundsjobb (Django Tasks, databasbackend)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", action="store_true", help="Kör köade jobb och avsluta.")
        parser.add_argument("--interval", type=float, default=1.0)

    def handle(self, *args: Any, **options: Any) -> None:
        worker_args = ["--interval", str(options["interval"]), "--no-reload"]
        if options["batch"]:
            worker_args.append("--batch")
        call_command("db_worker", *worker_args)
