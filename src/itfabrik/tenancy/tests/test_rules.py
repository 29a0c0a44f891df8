from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.se import orgnr

from itfabrik.tenancy.rules import population_shares
from itfabrik.tenancy.validation import normalise_organisation_number


@given(st.dictionaries(st.integers(), st.integers(min_value=0, max_value=10**7), min_size=1))
def test_population_shares_sum_to_exactly_one_hundred(counts):
    shares = population_shares(counts)
    if sum(counts.values()) == 0:
        assert shares == {}
    else:
        assert sum(shares.values()) == Decimal("100.00")
        assert set(shares) == set(counts)


def test_dalsland_population_shares():
    shares = population_shares(
        {"Åmål": 12006, "Mellerud": 9165, "Bengtsfors": 9138, "Färgelanda": 6434}
    )
    assert shares == {
        "Åmål": Decimal("32.68"),
        "Mellerud": Decimal("24.94"),
        "Bengtsfors": Decimal("24.87"),
        "Färgelanda": Decimal("17.51"),
    }


def _luhn_complete(nine: str) -> str:
    for d in "0123456789":
        if orgnr.is_valid(nine + d):
            return nine + d
    raise AssertionError("no check digit")


@given(st.integers(min_value=200000000, max_value=299999999))
def test_valid_organisation_numbers_normalise_to_dash_form(n):
    number = _luhn_complete(str(n))
    assert normalise_organisation_number(number) == f"{number[:6]}-{number[6:]}"
    assert (
        normalise_organisation_number(f"{number[:6]}-{number[6:]}") == f"{number[:6]}-{number[6:]}"
    )


@given(st.integers(min_value=200000000, max_value=299999999), st.integers(min_value=1, max_value=9))
def test_a_wrong_check_digit_is_refused(n, delta):
    number = _luhn_complete(str(n))
    wrong = number[:9] + str((int(number[9]) + delta) % 10)
    with pytest.raises(ValueError, match=r"^checksum$"):
        normalise_organisation_number(wrong)


def test_malformed_organisation_number():
    for bad in ["", "12345", "abcdefghij", "21200014210"]:
        with pytest.raises(ValueError, match=r"^format$"):
            normalise_organisation_number(bad)
