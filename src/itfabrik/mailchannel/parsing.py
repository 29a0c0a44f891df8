"""Reading one RFC 822 message with the standard library (`email` with `policy.default`) into
the plain values the service needs. No Django: tested on bytes alone."""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass, field
from datetime import datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import getaddresses, parsedate_to_datetime

from . import rules

MAX_HEADER = 998  # RFC 5322 line limit: nothing longer is kept from one header


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    data: bytes

    @property
    def size(self) -> int:
        return len(self.data)


@dataclass(frozen=True)
class ParsedMail:
    message_id: str
    sender: str
    sender_name: str
    subject: str
    date: datetime | None
    in_reply_to: list[str]
    references: list[str]
    text: str
    headers: dict[str, str]
    attachments: list[Attachment] = field(default_factory=list)


def _header(msg: EmailMessage, name: str) -> str:
    try:
        value = msg.get(name)
    except (ValueError, IndexError, TypeError, AttributeError):
        # A header the parser cannot decode: keep its raw text rather than lose the mail.
        value = next((v for k, v in msg.raw_items() if k.lower() == name.lower()), "")
    return " ".join(str(value or "").split())[:MAX_HEADER]


def _text_of(msg: EmailMessage) -> str:
    part = msg.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        content = part.get_content()
    except (LookupError, UnicodeError, AssertionError):
        payload = part.get_payload(decode=True) or b""
        content = payload.decode("utf-8", errors="replace") if isinstance(payload, bytes) else ""
    if not isinstance(content, str):
        return ""
    if part.get_content_subtype() == "html":
        content = re.sub(r"(?is)<(script|style)\b.*?</\1>", "", content)
        content = re.sub(r"(?i)<br\s*/?>|</p>|</div>", "\n", content)
        content = html.unescape(re.sub(r"<[^>]+>", "", content))
    return content.replace("\r\n", "\n").strip()


def _attachments(msg: EmailMessage) -> list[Attachment]:
    out = []
    for part in msg.iter_attachments():
        if part.is_multipart():
            continue
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
        name = part.get_filename() or ""
        out.append(Attachment(filename=name[:200], content_type=part.get_content_type(), data=data))
    return out


def parse(raw: bytes) -> ParsedMail:
    msg = message_from_bytes(raw, policy=policy.default)
    assert isinstance(msg, EmailMessage)
    mids = rules.message_ids(_header(msg, "Message-ID"))
    # No Message-ID (rare, but RFC 5322 only says SHOULD): the content itself identifies the
    # message, so fetching it twice still finds the first record.
    message_id = mids[0] if mids else f"<{hashlib.sha256(raw).hexdigest()}@no-message-id.invalid>"
    addresses = getaddresses([_header(msg, "From")])
    sender_name, sender = addresses[0] if addresses else ("", "")
    date = None
    try:
        date = parsedate_to_datetime(_header(msg, "Date")) if _header(msg, "Date") else None
    except (TypeError, ValueError, IndexError):
        date = None
    headers = {
        name.lower(): _header(msg, name)
        for name in (
            "Auto-Submitted",
            "Precedence",
            "X-Autoreply",
            "X-Autorespond",
            "X-Auto-Response-Suppress",
            "Return-Path",
            "Content-Type",
        )
        if msg.get(name) is not None
    }
    return ParsedMail(
        message_id=message_id[:255],
        sender=sender.strip().lower()[:254],
        sender_name=sender_name.strip()[:200],
        subject=_header(msg, "Subject")[:300],
        date=date,
        in_reply_to=rules.message_ids(_header(msg, "In-Reply-To")),
        references=rules.message_ids(" ".join(str(v) for v in msg.get_all("References") or [])),
        text=_text_of(msg),
        headers=headers,
        attachments=_attachments(msg),
    )
