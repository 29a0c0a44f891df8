from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from itfabrik.core.money import ORE, MoneyError, format_sek, split, split_equally, to_money

amounts = st.decimals(
    min_value=Decimal("-10000000"), max_value=Decimal("10000000"), places=2, allow_nan=False
)
weights = st.lists(st.integers(min_value=0, max_value=1_000_000), min_size=1, max_size=40).filter(
    lambda w: sum(w) > 0
)


@given(amounts, weights)
def test_split_sums_back_exactly(amount, w):
    parts = split(amount, w)
    assert sum(parts, Decimal(0)) == amount
    assert len(parts) == len(w)
    assert all(p == p.quantize(ORE) for p in parts)


@given(amounts, weights)
def test_each_part_is_within_one_ore_of_its_exact_share(amount, w):
    parts = split(amount, w)
    total = sum(w)
    for part, weight in zip(parts, w, strict=True):
        exact = amount * Decimal(weight) / Decimal(total)
        assert abs(part - exact) < ORE


@given(amounts, weights)
def test_zero_weight_gets_nothing_and_result_is_deterministic(amount, w):
    parts = split(amount, w)
    assert parts == split(amount, w)
    for part, weight in zip(parts, w, strict=True):
        if weight == 0:
            assert part == 0


def test_split_equally_gives_leftover_ore_to_the_first_parts():
    # Bas-IT split equally between four municipalities (R8): 100.01 kr.
    assert split_equally(Decimal("100.01"), 4) == [
        Decimal("25.01"),
        Decimal("25.00"),
        Decimal("25.00"),
        Decimal("25.00"),
    ]


def test_split_by_population_of_dalsland():
    parts = split(Decimal("1000000.00"), [12006, 9165, 9138, 6434])
    # Exact shares 326756.1168…, 249435.2666…, 248700.4327…, 175108.1839…: the floors leave
    # two öre, which go to the two largest remainders (0.68 and 0.66).
    assert parts == [
        Decimal("326756.12"),
        Decimal("249435.27"),
        Decimal("248700.43"),
        Decimal("175108.18"),
    ]
    assert sum(parts) == Decimal("1000000.00")


@pytest.mark.parametrize(
    ("bad", "weights_"),
    [(Decimal("1"), []), (Decimal("1"), [0, 0]), (Decimal("1"), [1, -1])],
)
def test_split_refuses_meaningless_weights(bad, weights_):
    with pytest.raises(MoneyError):
        split(bad, weights_)


def test_to_money_refuses_float_and_garbage_and_parses_swedish_format():
    with pytest.raises(MoneyError):
        to_money(0.1)  # type: ignore[arg-type]
    with pytest.raises(MoneyError):
        to_money("tio kronor")
    with pytest.raises(MoneyError):
        to_money("NaN")
    assert to_money("1 234,505") == Decimal("1234.51")
    assert to_money(3) == Decimal("3.00")


def test_format_sek():
    assert format_sek(Decimal("1234567.5")) == "1\u00a0234\u00a0567,50\u00a0kr"
    assert format_sek(Decimal("-12")) == "−12,00\u00a0kr"
    assert format_sek(Decimal("0")) == "0,00\u00a0kr"


def test_an_amount_with_more_digits_than_any_amount_is_a_money_error() -> None:
    with pytest.raises(MoneyError):
        to_money("1e999999")
