"""The pure naming and personal-number rules, with hypothesis."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum import luhn

from itfabrik.identity import rules

names = st.text(min_size=0, max_size=40)
LOCAL = re.compile(r"[a-z0-9][a-z0-9._-]*")


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        ("Åsa", "Öberg", "asa.oberg"),
        ("Märta", "Bäckström", "marta.backstrom"),
        ("José", "Müller", "jose.muller"),
        ("Anna Maria", "von Essen", "anna-maria.von-essen"),
        ("Søren", "Æbelø", "soren.aebelo"),
        ("Zoë", "Ñúñez-Été", "zoe.nunez-ete"),
    ],
)
def test_transliteration(first: str, last: str, expected: str) -> None:
    assert rules.local_part(rules.DEFAULT_PATTERN, first, last) == expected


@given(
    first=names, last=names, pattern=st.sampled_from(["{first}.{last}", "{f}{last}", "{first}_{l}"])
)
def test_local_part_is_plain_ascii(first: str, last: str, pattern: str) -> None:
    local = rules.local_part(pattern, first, last)
    assert local.isascii()
    assert LOCAL.fullmatch(local), local
    assert len(local) <= rules.MAX_LOCAL


@given(first=names, last=names, taken=st.sets(st.text(alphabet="abc.2345@x", max_size=12)))
def test_address_is_never_taken(first: str, last: str, taken: set[str]) -> None:
    domain = "x"
    base = rules.local_part(rules.DEFAULT_PATTERN, first, last)
    taken = taken | {f"{base}@{domain}", f"{base}2@{domain}"}
    got = rules.address(rules.DEFAULT_PATTERN, first, last, domain, taken)
    assert got not in taken
    assert got.startswith(base)
    assert got.endswith("@x")


@given(base=st.text(alphabet="ab", min_size=1, max_size=5), n=st.integers(0, 20))
def test_first_free_takes_the_smallest_digit(base: str, n: int) -> None:
    taken = {base} | {f"{base}{i}" for i in range(2, n + 2)}
    assert rules.first_free(base, taken) == f"{base}{n + 2}"


@pytest.mark.parametrize("pattern", ["{first}.{middle}", "{first}@{last}", "x", "{first}.{last}}"])
def test_bad_patterns(pattern: str) -> None:
    with pytest.raises(rules.PatternError):
        rules.check_pattern(pattern)


@given(
    born=st.dates(dt.date(1900, 1, 1), dt.date(2024, 12, 31)),
    serial=st.integers(0, 999),
)
def test_personal_number_round_trip(born: dt.date, serial: int) -> None:
    body = born.strftime("%y%m%d") + f"{serial:03d}"
    digits = born.strftime("%Y%m%d") + f"{serial:03d}" + luhn.calc_check_digit(body)
    assert rules.normalise_personal_number(digits) == digits
    assert rules.birth_date(digits) == born
    masked = rules.mask_personal_number(digits)
    assert masked == born.strftime("%Y%m%d") + "-****"
    assert digits[-4:] not in masked[-5:]
    wrong = digits[:-1] + str((int(digits[-1]) + 1) % 10)
    with pytest.raises(rules.PersonalNumberError):
        rules.normalise_personal_number(wrong)


@given(text=st.text(max_size=20))
def test_random_text_is_not_a_personal_number_unless_valid(text: str) -> None:
    try:
        digits = rules.normalise_personal_number(text)
    except rules.PersonalNumberError:
        return
    assert len(digits) == 12
    assert digits.isdigit()
