from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from itfabrik.knowledge import search


class Command(BaseCommand):
    help = (
        "Bygg om sökindexet för kunskapsbanken (SQLite) efter en återläsning med loaddata. "
        "Rebuild the knowledge base's search index (SQLite) after a restore with loaddata."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            count = search.rebuild()
        self.stdout.write(f"{count}")
