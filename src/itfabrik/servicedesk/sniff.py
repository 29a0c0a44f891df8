"""What a file really is, from its first bytes and (for office files) its zip directory: the
extension is the user's claim, the content decides. Pure (bytes in, a MIME type out)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable

# Accepted kinds: images, PDF, office documents (OOXML, ODF, legacy OLE), plain text.
IMAGE = {"image/png", "image/jpeg", "image/gif", "image/webp"}
PDF = {"application/pdf"}
OFFICE = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.presentation",
    "application/msword",
}
TEXT = {"text/plain"}
ALLOWED = frozenset(IMAGE | PDF | OFFICE | TEXT)

_OOXML = {
    "word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt/": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}


def _zip_kind(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = z.namelist()
            if "mimetype" in names:
                kind = z.read("mimetype").decode("ascii", "replace").strip()
                return kind if kind in OFFICE else None
            if "[Content_Types].xml" in names:
                for prefix, kind in _OOXML.items():
                    if any(n.startswith(prefix) for n in names):
                        return kind
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return None
    return None


def _is_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the end of the sample is still text.
        if exc.start < len(data) - 3:
            return False
    return True


def sniff(data: bytes) -> str | None:
    """The MIME type of `data` among the kinds we know, or None."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "application/msword"
    if data and _is_text(data[:65536]):
        return "text/plain"
    return None


def allowed_kind(data: bytes, allowed: Iterable[str] = ALLOWED) -> str | None:
    kind = sniff(data)
    return kind if kind in set(allowed) else None
