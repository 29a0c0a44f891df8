"""Pure rules of the e-mail channel (no Django): ticket references in subjects, auto-reply and
loop recognition, message-id threading, attachment limits. See ADR 0023."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence

# The service desk's references (servicedesk.rules.format_reference): SD-2026-000123.
REFERENCE_RE = re.compile(r"\bSD-(\d{4})-(\d{6,9})\b")
MESSAGE_ID_RE = re.compile(r"<[^<>\s]+>")

# Everything below this line in a reply is the quoted mail we sent: the ticket keeps only what
# the person wrote.
REPLY_MARKER = "## Skriv ditt svar ovanför den här raden ##"

# How many message ids a References header keeps: the first (the thread's root) and the latest.
MAX_REFERENCES = 10

PRECEDENCE_AUTOMATIC = frozenset({"bulk", "junk", "list", "auto_reply"})


def find_reference(subject: str) -> str | None:
    """The first ticket reference in a subject ("Re: [SD-2026-000123] Skrivaren" → SD-…)."""
    match = REFERENCE_RE.search(subject or "")
    return match.group(0) if match else None


def subject_with_reference(reference: str, title: str, prefix: str = "") -> str:
    """`[SD-2026-000123] prefix title`, one line, without a second copy of the reference."""
    title = " ".join(REFERENCE_RE.sub("", title or "").replace("[]", "").split())
    head = f"[{reference}]"
    return " ".join(part for part in (head, prefix, title) if part)


def message_ids(value: str | None) -> list[str]:
    """The message ids in an In-Reply-To or References header, in order, each once."""
    seen: list[str] = []
    for mid in MESSAGE_ID_RE.findall(value or ""):
        if mid not in seen:
            seen.append(mid)
    return seen


def thread_candidates(in_reply_to: Sequence[str], references: Sequence[str]) -> list[str]:
    """Ids to look up, the most telling first: In-Reply-To, then References newest first."""
    out: list[str] = []
    for mid in [*in_reply_to, *reversed(references)]:
        if mid not in out:
            out.append(mid)
    return out


def references_header(chain: Iterable[str]) -> list[str]:
    """A References list for an outgoing mail: the chain without repeats, capped to the root
    and the newest ids (RFC 5322 §3.6.4 lets a sender shorten it this way)."""
    ids: list[str] = []
    for mid in chain:
        if mid and mid not in ids:
            ids.append(mid)
    if len(ids) <= MAX_REFERENCES:
        return ids
    return [ids[0], *ids[-(MAX_REFERENCES - 1) :]]


def message_id_domain(message_id: str) -> str:
    inner = message_id.strip().strip("<>")
    return inner.rpartition("@")[2].lower() if "@" in inner else ""


def auto_reply_reason(headers: Mapping[str, str]) -> str | None:
    """Why a message is automatic (RFC 3834 and the headers real autoresponders send), or None.

    `headers` maps lower-case header names to their values."""
    auto = headers.get("auto-submitted", "").strip().lower()
    if auto and auto.split(";")[0].strip() != "no":
        return f"Auto-Submitted: {auto}"
    precedence = headers.get("precedence", "").strip().lower()
    if precedence in PRECEDENCE_AUTOMATIC:
        return f"Precedence: {precedence}"
    for name in ("x-autoreply", "x-autorespond", "x-auto-response-suppress"):
        if name in headers:
            return f"{name}: {headers[name].strip()}"
    if headers.get("return-path", "").strip() == "<>":
        return "Return-Path: <>"  # a bounce (RFC 5321 §4.5.5)
    if headers.get("content-type", "").lower().startswith("multipart/report"):
        return "multipart/report"  # a delivery or read report
    return None


def loop_reason(
    *, message_id: str, sender: str, own_domain: str, own_addresses: Iterable[str]
) -> str | None:
    """A message we sent ourselves, come back: our Message-ID domain or our own address."""
    if own_domain and message_id_domain(message_id) == own_domain.lower():
        return f"Message-ID @{own_domain}"
    if sender and sender.lower() in {a.lower() for a in own_addresses if a}:
        return f"From: {sender}"
    return None


def strip_quoted(text: str) -> str:
    """What the person wrote above our marker line (or everything when there is none)."""
    head, found, _rest = (text or "").partition(REPLY_MARKER)
    if not found:
        return (text or "").strip()
    lines = head.rstrip().splitlines()
    # The client's "On … wrote:" line and quote marks left above the marker.
    while lines and (not lines[-1].strip() or lines[-1].lstrip().startswith(">")):
        lines.pop()
    if lines and lines[-1].rstrip().endswith(":"):
        lines.pop()
    return "\n".join(lines).strip()


def attachment_refusal(
    *, size: int, content_type: str, max_bytes: int, allowed_types: Iterable[str]
) -> str | None:
    """Why an attachment is refused ("size" or "type"), or None when it is accepted.

    `allowed_types` holds full types (application/pdf) or families (image/*)."""
    if size > max_bytes:
        return "size"
    ctype = (content_type or "").lower()
    family = ctype.partition("/")[0] + "/*"
    allowed = {t.lower() for t in allowed_types}
    if ctype not in allowed and family not in allowed:
        return "type"
    return None


def reported_at(
    sent: dt.datetime | None, now: dt.datetime, window: dt.timedelta = dt.timedelta(days=1)
) -> dt.datetime:
    """When the requester reported: the Date header if it lies in the recent past (a mail
    fetched some minutes after it was sent), else now — a Date in the future or long ago is
    the sender's clock or a forgery and must not move the SLA."""
    if sent is None or sent.tzinfo is None or sent > now or now - sent > window:
        return now
    return sent
