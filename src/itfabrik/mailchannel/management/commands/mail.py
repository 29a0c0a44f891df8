"""`itfabrik mail fetch` polls the IMAP mailbox once; `itfabrik mail ingest` reads one RFC 822
message from standard input (for an MTA pipe: exit 0 when it was recorded, whatever its
outcome, so the MTA does not bounce it; exit 75, EX_TEMPFAIL, when it should try again)."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

EX_TEMPFAIL = 75
MAX_INGEST_BYTES = 50 * 1024 * 1024


class Command(BaseCommand):
    # call_command("mail", "ingest", stdin=...) in tests, like createsuperuser.
    stealth_options = ("stdin",)
    help = "Servicedeskens e-post: hämta brevlådan (fetch) eller läs ett meddelande (ingest)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("fetch", help="Hämta olästa meddelanden från IMAP-brevlådan en gång.")
        ingest = sub.add_parser("ingest", help="Läs ett RFC 822-meddelande från standard in.")
        ingest.add_argument("--file", help="Läs från en fil i stället för standard in.")
        sub.add_parser("schedule", help="Lägg hämtningen i arbetskön (upprepas med intervallet).")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "fetch":
            self._fetch()
        elif action == "ingest":
            self._ingest(options.get("file"), options.get("stdin") or sys.stdin)
        else:
            from itfabrik.mailchannel.tasks import fetch_mailbox

            fetch_mailbox.enqueue()
            self.stdout.write("Hämtningen ligger i kön.")

    def _fetch(self) -> None:
        from itfabrik.mailchannel.imap import ImapError, fetch

        try:
            result = fetch()
        except ImapError as exc:
            raise CommandError(str(exc)) from exc
        parts = ", ".join(f"{k}: {v}" for k, v in sorted(result.outcomes.items()))
        self.stdout.write(
            f"{result.seen} meddelanden, {result.failed} lämnade till nästa gång"
            + (f" ({parts})" if parts else "")
        )
        if result.failed:
            raise CommandError(f"{result.failed} meddelanden kunde inte behandlas.")

    def _ingest(self, path: str | None, stdin: Any) -> None:
        from itfabrik.mailchannel.choices import Source
        from itfabrik.mailchannel.services import mail_ingest

        if path:
            with open(path, "rb") as fh:
                raw = fh.read(MAX_INGEST_BYTES + 1)
        else:
            stream = getattr(stdin, "buffer", stdin)
            raw = stream.read(MAX_INGEST_BYTES + 1)
            if isinstance(raw, str):
                raw = raw.encode("utf-8", "surrogateescape")
        if not raw.strip():
            raise CommandError("Inget meddelande på standard in.")
        if len(raw) > MAX_INGEST_BYTES:
            raise CommandError(f"Meddelandet är större än {MAX_INGEST_BYTES} byte.")
        try:
            record = mail_ingest(raw=raw, source=Source.PIPE)
        except Exception as exc:  # database down: the MTA keeps the mail and retries
            self.stderr.write(f"Tillfälligt fel: {exc}")
            sys.exit(EX_TEMPFAIL)
        self.stdout.write(f"{record.outcome} {record.message_id}")
