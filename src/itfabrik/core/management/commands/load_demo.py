from typing import Any

from django.core.management.base import BaseCommand

from itfabrik.core import demo


class Command(BaseCommand):
    help = "Laddar Dalslandsdemot om det inte redan finns (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        if demo.load():
            self.stdout.write(self.style.SUCCESS("Dalslandsdemot är laddat."))
        else:
            self.stdout.write("Dalslandsdemot fanns redan; inget ändrat.")
