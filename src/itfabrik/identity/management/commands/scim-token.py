"""`itfabrik scim-token <name>`: a new bearer token for a SCIM client, printed once (ADR 0038).

The file name has a hyphen so the command is spelt as issue 10 names it; Django finds commands
by file name and imports them by that name.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = (
        "Skapar en SCIM-nyckel (bearer token) för en klient, t.ex. Entra ID, och skriver ut den. "
        "Nyckeln visas bara nu."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="Vad nyckeln är till för, t.ex. ”Entra ID”.")
        parser.add_argument(
            "--cooperation",
            default="",
            help="Samverkans kortnamn (behövs när installationen har flera samverkningar).",
        )
        parser.add_argument("--revoke", action="store_true", help="Återkalla nycklar med namnet.")

    def handle(self, *args: Any, **options: Any) -> None:
        from itfabrik.core.actors import SYSTEM
        from itfabrik.identity.models import ScimToken
        from itfabrik.identity.services import provisioning
        from itfabrik.tenancy.models import Cooperation

        slug = options["cooperation"]
        cooperations = Cooperation.objects.select_related("root")
        if slug:
            cooperations = cooperations.filter(slug=slug)
        found = list(cooperations[:2])
        if not found:
            raise CommandError(f"Ingen samverkan {slug!r}." if slug else "Ingen samverkan finns.")
        if len(found) > 1:
            raise CommandError("Flera samverkningar finns: ange --cooperation <kortnamn>.")
        cooperation = found[0]
        if options["revoke"]:
            tokens = ScimToken.objects.filter(
                cooperation=cooperation, name=options["name"], revoked_at__isnull=True
            )
            n = 0
            for token in tokens:
                provisioning.scim_token_revoke(actor=SYSTEM, token=token)
                n += 1
            self.stderr.write(f"{n} nycklar återkallade.")
            return
        try:
            _token, secret = provisioning.scim_token_create(
                actor=SYSTEM, cooperation=cooperation, name=options["name"]
            )
        except Exception as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(secret)
