"""Pure rules of identity (no Django): the naming policy of accounts and e-mail addresses, and
the personal identity number (validated by python-stdnum, stored compact, shown masked)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Collection

from stdnum.exceptions import ValidationError as StdnumError
from stdnum.se import personnummer

DEFAULT_PATTERN = "{first}.{last}"
DEFAULT_PRIVILEGED_PREFIX = "adm-"
PLACEHOLDERS = ("{first}", "{last}", "{f}", "{l}")
MAX_LOCAL = 64  # RFC 5321: the local part of an address
# Letters that NFKD does not split into a base letter and a mark.
_SPECIAL = {"ø": "o", "æ": "ae", "ß": "ss", "đ": "d", "ł": "l", "þ": "th", "ð": "d", "œ": "oe"}
_NOT_ALLOWED = re.compile(r"[^a-z0-9-]+")
_DASHES = re.compile(r"-{2,}")
_PATTERN_REST = re.compile(r"[a-z0-9._-]*")


class PatternError(ValueError):
    """The naming pattern has no name in it or names an unknown placeholder."""


class PersonalNumberError(ValueError):
    """Not a valid Swedish personal identity number (or coordination number)."""


def transliterate(text: str) -> str:
    """A name part as the ASCII of an address: å/ä→a, ö→o, é→e and every other diacritic
    dropped; spaces and other separators become one hyphen; lower case."""
    out = []
    for ch in text.strip().lower():
        if ch in _SPECIAL:
            out.append(_SPECIAL[ch])
            continue
        base = unicodedata.normalize("NFKD", ch)
        out.append("".join(c for c in base if not unicodedata.combining(c)))
    plain = _NOT_ALLOWED.sub("-", "".join(out))
    return _DASHES.sub("-", plain).strip("-")


def check_pattern(pattern: str) -> None:
    rest = pattern
    for placeholder in PLACEHOLDERS:
        rest = rest.replace(placeholder, "")
    if "{" in rest or "}" in rest:
        raise PatternError("unknown placeholder")
    if not any(p in pattern for p in PLACEHOLDERS):
        raise PatternError("no name")
    if not _PATTERN_REST.fullmatch(rest):
        raise PatternError("bad character")


def local_part(pattern: str, first_name: str, last_name: str) -> str:
    """The local part before any collision digit: the pattern with the names filled in."""
    check_pattern(pattern)
    first, last = transliterate(first_name), transliterate(last_name)
    filled = (
        pattern.replace("{first}", first)
        .replace("{last}", last)
        .replace("{f}", first[:1])
        .replace("{l}", last[:1])
    )
    # A missing name must not leave a dot at an end or two in a row.
    filled = re.sub(r"\.{2,}", ".", filled).strip(".-_")
    return (filled or "user")[: MAX_LOCAL - 3]


def first_free(base: str, taken: Collection[str]) -> str:
    """`base`, or `base` with the smallest digit from 2 up that makes it free."""
    if base not in taken:
        return base
    n = 2
    while f"{base}{n}" in taken:
        n += 1
    return f"{base}{n}"


def address(
    pattern: str, first_name: str, last_name: str, domain: str, taken: Collection[str]
) -> str:
    """A free e-mail address: the same local part as the person's other addresses where that one
    is free in this domain, else the first free one with a digit."""
    base = local_part(pattern, first_name, last_name)
    local = first_free(base, {a.split("@", 1)[0] for a in taken if a.endswith(f"@{domain}")})
    return f"{local}@{domain}"


def privileged_username(prefix: str, standard_username: str, taken: Collection[str]) -> str:
    return first_free(f"{prefix}{standard_username}", taken)


# --- personal identity number ------------------------------------------------------------------


def normalise_personal_number(value: str, *, today: dt.date | None = None) -> str:
    """The 12-digit form (ÅÅÅÅMMDDNNNN) of a valid number, or PersonalNumberError. Accepts the
    10-digit forms with - or + as well."""
    text = (value or "").strip().replace(" ", "")
    try:
        compact = personnummer.validate(text)
    except StdnumError:
        raise PersonalNumberError(value) from None
    birth = personnummer.get_birth_date(compact)
    if len(compact) == 12 and compact.isdecimal():
        digits = compact
    else:
        digits = birth.strftime("%Y%m%d") + compact[-4:]
    if today is not None and birth > today:
        raise PersonalNumberError(value)
    return digits


def mask_personal_number(digits: str) -> str:
    """The birth date with the last four hidden: ÅÅÅÅMMDD-****."""
    if not digits:
        return ""
    return f"{digits[:8]}-****"


def format_personal_number(digits: str) -> str:
    if not digits:
        return ""
    return f"{digits[:8]}-{digits[8:]}"


def birth_date(digits: str) -> dt.date | None:
    if len(digits) != 12:
        return None
    day = int(digits[6:8])
    if day > 60:  # a coordination number: day + 60
        day -= 60
    try:
        return dt.date(int(digits[:4]), int(digits[4:6]), day)
    except ValueError:
        return None


def duplicate_key(first_name: str, last_name: str) -> str:
    """Two persons with the same key (and the same birth date, where known) are probably one."""
    return f"{transliterate(first_name)}|{transliterate(last_name)}"


def scim_token_hash(raw: str) -> str:
    """What is stored of a SCIM bearer token: its SHA-256 (the token is long and random, so a
    fast hash is enough, and a lookup by it is one indexed query)."""
    import hashlib

    return hashlib.sha256(raw.encode()).hexdigest()
