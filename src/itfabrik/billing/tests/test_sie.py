import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from itfabrik.billing.sie import (
    SieError,
    SieFile,
    Transaction,
    Voucher,
    balanced,
    parse,
    render,
    tokens,
)

amounts = st.decimals(min_value=Decimal("-9999999.99"), max_value=Decimal("9999999.99"), places=2)
texts = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)


def sample(rows: list[Transaction], text: str = "Fakturaunderlag 2026-01") -> SieFile:
    return SieFile(
        company_name="Melleruds kommun",
        organisation_number="212000-1421",
        generated_on=dt.date(2026, 2, 3),
        objects=((1, "1461-3100", "Hemtjänst norr"),),
        accounts=(("6540", "IT-tjänster"), ("2440", "Leverantörsskulder")),
        vouchers=(
            Voucher(
                "I",
                1,
                dt.date(2026, 1, 31),
                text,
                balanced(rows, counter_account="2440", text="Motkonto"),
            ),
        ),
    )


def test_the_file_is_what_a_ledger_reads() -> None:
    data = render(sample([Transaction("6540", Decimal("1234.50"), ((1, "1461-3100"),))]))
    text = data.decode("cp437")
    lines = text.split("\r\n")
    assert lines[0] == "#FLAGGA 0"
    assert "#FORMAT PC8" in lines
    assert "#SIETYP 4" in lines
    assert '#VER "I" 1 20260131 "Fakturaunderlag 2026-01"' in lines
    assert '   #TRANS 6540 {1 "1461-3100"} 1234.50' in lines
    assert '   #TRANS 2440 {} -1234.50 "" "Motkonto"' in lines
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", "")


def test_swedish_letters_are_code_page_437_and_missing_punctuation_is_replaced() -> None:
    data = render(sample([Transaction("6540", Decimal("1"))], text="Åmål – ”IT” 5 €"))
    assert "Åmål".encode("cp437") in data
    assert '"Åmål - \\"IT\\" 5 EUR"'.encode("cp437") in data


def test_an_unbalanced_voucher_is_refused() -> None:
    sie = sample([Transaction("6540", Decimal("10"))])
    broken = Voucher("I", 2, dt.date(2026, 1, 31), "x", (Transaction("6540", Decimal("1")),))
    with pytest.raises(SieError, match="does not balance"):
        render(SieFile(**{**sie.__dict__, "vouchers": (broken,)}))


@given(st.lists(st.tuples(st.sampled_from(["6540", "6550", "5410"]), amounts), min_size=1,
                max_size=20), texts)  # fmt: skip
def test_parsing_gives_back_the_same_amounts_and_every_voucher_sums_to_zero(
    rows: list[tuple[str, Decimal]], text: str
) -> None:
    sie = sample([Transaction(a, x, ((1, "1461-3100"),)) for a, x in rows], text=text)
    back = parse(render(sie))
    assert len(back.vouchers) == 1
    v = back.vouchers[0]
    assert v.total() == 0
    assert [(t.account, t.amount) for t in v.transactions] == [
        (t.account, t.amount) for t in sie.vouchers[0].transactions
    ]
    assert back.company_name == "Melleruds kommun"
    assert back.objects == sie.objects


def test_tokens_keep_escaped_quotes_and_object_lists() -> None:
    assert tokens(r'#TRANS 6540 {1 "a\"b"} -1.00') == ["#TRANS", "6540", ["1", 'a"b'], "-1.00"]


@pytest.mark.parametrize(
    "data",
    [
        b"#SIETYP 4\r\n",
        b'#FLAGGA 0\r\n#SIETYP 4\r\n#VER "I" 1 20260101 "x"\r\n{\r\n',
        b"#FLAGGA 0\r\n",
    ],
)
def test_broken_files_are_refused(data: bytes) -> None:
    with pytest.raises(SieError):
        parse(data)
