"""Fetching the service desk's mailbox over IMAP (the standard library's imaplib).

Each message is read with BODY.PEEK (so a crash leaves it unseen), processed by
`services.mail_ingest`, and only then flagged \\Seen or moved. A message whose processing failed
is left as it was for the next fetch; one processed twice is recognised by its Message-ID.
"""

from __future__ import annotations

import contextlib
import imaplib
import logging
import ssl
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from . import conf, services
from .choices import Outcome, Source

log = logging.getLogger(__name__)


class ImapError(Exception):
    """The mailbox could not be read (connection, login, folder)."""


@dataclass
class FetchResult:
    seen: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    failed: int = 0

    def count(self, outcome: str) -> int:
        return self.outcomes.get(outcome, 0)


def _connect(cfg: conf.ImapSettings) -> imaplib.IMAP4:
    try:
        if cfg.security == "tls":
            return imaplib.IMAP4_SSL(
                cfg.host, cfg.port, ssl_context=ssl.create_default_context(), timeout=cfg.timeout
            )
        conn = imaplib.IMAP4(cfg.host, cfg.port, timeout=cfg.timeout)
        if cfg.security == "starttls":
            conn.starttls(ssl_context=ssl.create_default_context())
        return conn
    except (OSError, imaplib.IMAP4.error) as exc:
        raise ImapError(
            _("Kunde inte ansluta till %(host)s:%(port)s: %(error)s")
            % {"host": cfg.host, "port": cfg.port, "error": exc}
        ) from exc


def _ok(result: tuple[str, Any], what: str) -> list[Any]:
    typ, data = result
    if typ != "OK":
        raise ImapError(f"{what}: {typ} {data!r}")
    return data


def _mark_processed(conn: imaplib.IMAP4, uid: str, cfg: conf.ImapSettings) -> None:
    if cfg.processed == "move":
        capabilities = getattr(conn, "capabilities", ())
        if "MOVE" in capabilities:
            _ok(conn.uid("MOVE", uid, _quote(cfg.move_to)), "MOVE")
            return
        _ok(conn.uid("COPY", uid, _quote(cfg.move_to)), "COPY")
        _ok(conn.uid("STORE", uid, "+FLAGS.SILENT", r"(\Deleted)"), "STORE")
        conn.expunge()
        return
    _ok(conn.uid("STORE", uid, "+FLAGS.SILENT", r"(\Seen)"), "STORE")


def _quote(name: str) -> str:
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def fetch(cfg: conf.ImapSettings | None = None) -> FetchResult:
    """Process every unprocessed message in the configured folder once."""
    cfg = cfg or conf.imap()
    if cfg is None:
        raise ImapError(_("Ingen IMAP-brevlåda är inställd (ITFABRIK_MAIL_IMAP_HOST)."))
    conn = _connect(cfg)
    result = FetchResult()
    try:
        try:
            _ok(conn.login(cfg.user, cfg.password), "LOGIN")
            _ok(conn.select(_quote(cfg.folder)), "SELECT")
            if cfg.processed == "move":
                # A missing target folder would fail every move; creating an existing one
                # answers NO, which is fine.
                conn.create(_quote(cfg.move_to))
            criteria = "ALL" if cfg.processed == "move" else "UNSEEN"
            data = _ok(conn.uid("SEARCH", criteria), "SEARCH")
        except imaplib.IMAP4.error as exc:
            raise ImapError(str(exc)) from exc
        uids = data[0].decode().split() if data and isinstance(data[0], bytes) else []
        for uid in uids:
            result.seen += 1
            try:
                fetched = _ok(conn.uid("FETCH", uid, "(BODY.PEEK[])"), "FETCH")
                raw = next(
                    (part[1] for part in fetched if isinstance(part, tuple) and len(part) > 1),
                    None,
                )
                if not isinstance(raw, bytes):
                    raise ImapError(f"FETCH {uid}: no body")
                record = services.mail_ingest(raw=raw, source=Source.IMAP)
                result.outcomes[record.outcome] = result.outcomes.get(record.outcome, 0) + 1
                _mark_processed(conn, uid, cfg)
            except (ImapError, imaplib.IMAP4.error) as exc:
                result.failed += 1
                log.warning("mailchannel: message uid %s left for the next fetch: %s", uid, exc)
            except Exception:
                # The database or the configuration failed for this message: it stays unread
                # for the next fetch, and the messages after it are still processed.
                result.failed += 1
                log.exception("mailchannel: message uid %s left for the next fetch", uid)
    finally:
        with contextlib.suppress(OSError, imaplib.IMAP4.error):
            conn.logout()
    return result


__all__ = ["FetchResult", "ImapError", "Outcome", "fetch"]
