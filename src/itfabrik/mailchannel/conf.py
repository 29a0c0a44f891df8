"""The e-mail channel's settings, read in one place with their defaults (docs/operations.md,
"E-post till servicedesken")."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings

DEFAULT_ATTACHMENT_TYPES = (
    "application/pdf",
    "image/*",
    "text/plain",
    "text/csv",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "message/rfc822",
)

UNKNOWN_CREATE = "create"
UNKNOWN_REFUSE = "refuse"
CLOSED_REOPEN = "reopen"
CLOSED_ANSWER = "answer"
NOTIFY_ALL = "all"
NOTIFY_MAIL = "mail"


@dataclass(frozen=True)
class ImapSettings:
    host: str
    port: int
    user: str
    password: str
    folder: str
    security: str  # "tls", "starttls" or "none"
    processed: str  # "seen" or "move"
    move_to: str
    timeout: float


def _get(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


def mailbox_address() -> str:
    """The service desk's address: the From of every mail we send."""
    return str(_get("ITFABRIK_MAIL_ADDRESS", "") or settings.DEFAULT_FROM_EMAIL)


def message_id_domain() -> str:
    """The domain of our own Message-IDs: a mail that comes back with it is a loop."""
    configured = str(_get("ITFABRIK_MAIL_MESSAGE_ID_DOMAIN", "") or "")
    if configured:
        return configured.lower()
    domain = mailbox_address().rpartition("@")[2].strip("> ").lower()
    return domain or "itfabrik.invalid"


def cooperation_slug() -> str:
    return str(_get("ITFABRIK_MAIL_COOPERATION", "") or "")


def unknown_sender() -> str:
    value = str(_get("ITFABRIK_MAIL_UNKNOWN_SENDER", UNKNOWN_REFUSE))
    return value if value in (UNKNOWN_CREATE, UNKNOWN_REFUSE) else UNKNOWN_REFUSE


def unknown_requester() -> str:
    """Username of the account that stands as requester for tickets from unknown senders."""
    return str(_get("ITFABRIK_MAIL_UNKNOWN_REQUESTER", "") or "")


def notify() -> str:
    """Whom a staff reply or a resolution made anywhere is mailed to: `all` every requester with
    an address (as TOPdesk and ServiceNow tell the caller), `mail` only those who wrote by mail
    (ADR 0051)."""
    value = str(_get("ITFABRIK_MAIL_NOTIFY", NOTIFY_ALL))
    return value if value in (NOTIFY_ALL, NOTIFY_MAIL) else NOTIFY_ALL


def closed_reply() -> str:
    value = str(_get("ITFABRIK_MAIL_CLOSED_REPLY", CLOSED_REOPEN))
    return value if value in (CLOSED_REOPEN, CLOSED_ANSWER) else CLOSED_REOPEN


def rate_limit() -> tuple[int, int]:
    """(messages, minutes): more than this many from one sender in the window are ignored."""
    return int(_get("ITFABRIK_MAIL_RATE_LIMIT", 20)), int(_get("ITFABRIK_MAIL_RATE_WINDOW", 60))


def attachment_max_bytes() -> int:
    return int(_get("ITFABRIK_MAIL_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024))


def attachment_types() -> tuple[str, ...]:
    return tuple(_get("ITFABRIK_MAIL_ATTACHMENT_TYPES", DEFAULT_ATTACHMENT_TYPES))


def impact() -> str:
    return str(_get("ITFABRIK_MAIL_IMPACT", "medium"))


def urgency() -> str:
    return str(_get("ITFABRIK_MAIL_URGENCY", "medium"))


def fetch_interval() -> int:
    """Seconds between two fetches by the worker; 0 (the default) schedules none."""
    return int(_get("ITFABRIK_MAIL_FETCH_INTERVAL", 0))


def imap() -> ImapSettings | None:
    host = str(_get("ITFABRIK_MAIL_IMAP_HOST", "") or "")
    if not host:
        return None
    security = str(_get("ITFABRIK_MAIL_IMAP_SECURITY", "tls")).lower()
    default_port = {"tls": 993}.get(security, 143)
    return ImapSettings(
        host=host,
        port=int(_get("ITFABRIK_MAIL_IMAP_PORT", 0) or default_port),
        user=str(_get("ITFABRIK_MAIL_IMAP_USER", "")),
        password=str(_get("ITFABRIK_MAIL_IMAP_PASSWORD", "")),
        folder=str(_get("ITFABRIK_MAIL_IMAP_FOLDER", "INBOX")),
        security=security,
        processed=str(_get("ITFABRIK_MAIL_IMAP_PROCESSED", "seen")).lower(),
        move_to=str(_get("ITFABRIK_MAIL_IMAP_MOVE_TO", "Behandlat")),
        timeout=float(_get("ITFABRIK_MAIL_IMAP_TIMEOUT", 60)),
    )
