"""Pure validation rules for organisation data. No Django import."""

from __future__ import annotations

import re

from stdnum.se import orgnr


def normalise_organisation_number(value: str) -> str:
    """Return NNNNNN-NNNN or raise ValueError with the reason."""
    compact = orgnr.compact(value or "")
    if not re.fullmatch(r"\d{10}", compact):
        raise ValueError("format")
    if not orgnr.is_valid(compact):
        raise ValueError("checksum")
    return f"{compact[:6]}-{compact[6:]}"


def is_public_body_organisation_number(value: str) -> bool:
    """Municipalities, regions and the state have organisation numbers starting with 2."""
    return orgnr.compact(value).startswith("2")


MUNICIPAL_CODE_RE = re.compile(r"^\d{4}$")
COST_CENTRE_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z\-_.]{0,19}$")
EMAIL_DOMAIN_RE = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
