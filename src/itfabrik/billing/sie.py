"""SIE 4 (type 4i: vouchers for import into a ledger) — a small writer and the parser that reads
it back. Pure: no Django.

The format, as checked in shared/design/DOMAIN.md: `#FLAGGA 0` first; `#FORMAT PC8` means code
page 437 (å ä ö Å Ä Ö é exist; – ’ € do not); lines end CRLF; strings are quoted with `\\"`
escaping a quote; amounts use `.`; dates are YYYYMMDD; `#SIETYP 4` (some strict readers refuse
`4i`); dimension 1 is the cost centre. Every voucher's rows sum to exactly zero. No maintained
Python writer exists on PyPI, hence this module.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

ENCODING = "cp437"
CRLF = "\r\n"
COST_CENTRE_DIMENSION = 1

# Characters common in Swedish text that code page 437 lacks, and what a ledger should read.
_REPLACEMENTS = {
    "\u2013": "-",  # en dash
    "\u2014": "-",  # em dash
    "\u2018": "'",
    "\u2019": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u20ac": "EUR",
    "\u00a0": " ",  # no-break space
}


class SieError(ValueError):
    """A SIE file that cannot be written (unbalanced voucher) or read (bad syntax)."""


@dataclass(frozen=True)
class Transaction:
    account: str
    amount: Decimal
    objects: tuple[tuple[int, str], ...] = ()  # (dimension, object code), e.g. ((1, "1461-3100"),)
    text: str = ""


@dataclass(frozen=True)
class Voucher:
    series: str
    number: int
    date: dt.date
    text: str
    transactions: tuple[Transaction, ...]

    def total(self) -> Decimal:
        return sum((t.amount for t in self.transactions), Decimal("0"))


@dataclass(frozen=True)
class SieFile:
    company_name: str
    organisation_number: str
    generated_on: dt.date
    program: str = "itfabrik"
    program_version: str = "1"
    dimensions: tuple[tuple[int, str], ...] = ((COST_CENTRE_DIMENSION, "Kostnadsställe"),)
    objects: tuple[tuple[int, str, str], ...] = ()  # (dimension, code, name)
    accounts: tuple[tuple[str, str], ...] = ()  # (account number, name)
    vouchers: tuple[Voucher, ...] = field(default_factory=tuple)


def to_cp437_text(text: str) -> str:
    """The text as code page 437 can hold it: known punctuation replaced, the rest as '?'."""
    out = []
    for ch in text:
        ch = _REPLACEMENTS.get(ch, ch)
        try:
            ch.encode(ENCODING)
        except UnicodeEncodeError:
            ch = "?"
        out.append(ch)
    # Control characters would break the line structure.
    return "".join(c if c >= " " else " " for c in "".join(out))


def quote(text: str) -> str:
    text = to_cp437_text(text).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'


def amount(value: Decimal) -> str:
    """An amount with `.` and two decimals (öre), never an exponent."""
    return f"{value.quantize(Decimal('0.01')):f}"


def render(sie: SieFile) -> bytes:
    """The file as bytes in code page 437 with CRLF line ends. Refuses an unbalanced voucher."""
    for v in sie.vouchers:
        if v.total() != 0:
            raise SieError(f"voucher {v.series} {v.number} does not balance: {v.total()}")
        if not v.transactions:
            raise SieError(f"voucher {v.series} {v.number} has no rows")
    lines = [
        "#FLAGGA 0",
        f"#PROGRAM {quote(sie.program)} {quote(sie.program_version)}",
        "#FORMAT PC8",
        f"#GEN {sie.generated_on:%Y%m%d}",
        "#SIETYP 4",
    ]
    if sie.organisation_number:  # optional; an empty #ORGNR would be malformed
        lines.append(f"#ORGNR {sie.organisation_number}")
    lines.append(f"#FNAMN {quote(sie.company_name)}")
    lines += [f"#KONTO {number} {quote(name)}" for number, name in sie.accounts]
    lines += [f"#DIM {dim} {quote(name)}" for dim, name in sie.dimensions]
    lines += [f"#OBJEKT {dim} {quote(code)} {quote(name)}" for dim, code, name in sie.objects]
    for v in sie.vouchers:
        lines.append(f"#VER {quote(v.series)} {v.number} {v.date:%Y%m%d} {quote(v.text)}")
        lines.append("{")
        for t in v.transactions:
            objs = " ".join(f"{dim} {quote(code)}" for dim, code in t.objects)
            row = f"   #TRANS {t.account} {{{objs}}} {amount(t.amount)}"
            if t.text:
                row += f' "" {quote(t.text)}'
            lines.append(row)
        lines.append("}")
    return (CRLF.join(lines) + CRLF).encode(ENCODING)


# --- reading -------------------------------------------------------------------------------


def tokens(line: str) -> list[str | list[str]]:
    """Split one line into words, quoted strings (unquoted) and `{…}` object lists."""
    out: list[str | list[str]] = []
    i, n = 0, len(line)
    stack: list[list[str | list[str]]] = [out]
    while i < n:
        c = line[i]
        if c in " \t":
            i += 1
        elif c == '"':
            j, buf = i + 1, []
            while j < n and line[j] != '"':
                if line[j] == "\\" and j + 1 < n:
                    j += 1
                buf.append(line[j])
                j += 1
            if j >= n:
                raise SieError(f"unterminated string: {line!r}")
            stack[-1].append("".join(buf))
            i = j + 1
        elif c == "{":
            inner: list[str | list[str]] = []
            stack[-1].append(inner)  # type: ignore[arg-type]
            stack.append(inner)
            i += 1
        elif c == "}":
            if len(stack) == 1:
                raise SieError(f"unbalanced brace: {line!r}")
            stack.pop()
            i += 1
        else:
            j = i
            while j < n and line[j] not in ' \t"{}':
                j += 1
            stack[-1].append(line[i:j])
            i = j
    if len(stack) != 1:
        raise SieError(f"unbalanced brace: {line!r}")
    return out


def _date(text: str) -> dt.date:
    try:
        return dt.datetime.strptime(text, "%Y%m%d").date()
    except ValueError:
        raise SieError(f"not a date YYYYMMDD: {text!r}") from None


def _amount(text: str) -> Decimal:
    try:
        return Decimal(text)
    except InvalidOperation:
        raise SieError(f"not an amount: {text!r}") from None


def _lines(data: bytes) -> Iterator[str]:
    text = data.decode(ENCODING)
    for raw in text.split("\n"):
        line = raw.rstrip("\r").strip()
        if line:
            yield line


def parse(data: bytes) -> SieFile:
    """Read a file written by `render` (and the common subset of SIE 4 vouchers) back."""
    head: dict[str, list[str | list[str]]] = {}
    dims: list[tuple[int, str]] = []
    objects: list[tuple[int, str, str]] = []
    accounts: list[tuple[str, str]] = []
    vouchers: list[Voucher] = []
    lines = list(_lines(data))
    if not lines or lines[0] != "#FLAGGA 0":
        raise SieError("a SIE file starts with #FLAGGA 0")
    i = 0
    while i < len(lines):
        words = tokens(lines[i])
        label = str(words[0])
        if label == "#VER":
            series, number, date, text = (str(w) for w in words[1:5])
            if i + 1 >= len(lines) or lines[i + 1] != "{":
                raise SieError(f"#VER without a block at line {i + 1}")
            rows: list[Transaction] = []
            i += 2
            while i < len(lines) and lines[i] != "}":
                t = tokens(lines[i])
                if t[0] != "#TRANS":
                    raise SieError(f"unexpected {t[0]!r} in a voucher at line {i + 1}")
                objs = t[2] if isinstance(t[2], list) else []
                pairs = tuple(
                    (int(str(objs[k])), str(objs[k + 1])) for k in range(0, len(objs) - 1, 2)
                )
                row_text = str(t[5]) if len(t) > 5 else ""
                rows.append(Transaction(str(t[1]), _amount(str(t[3])), pairs, row_text))
                i += 1
            if i >= len(lines):
                raise SieError("a voucher block is not closed")
            vouchers.append(Voucher(series, int(number), _date(date), text, tuple(rows)))
        elif label == "#DIM":
            dims.append((int(str(words[1])), str(words[2])))
        elif label == "#OBJEKT":
            objects.append((int(str(words[1])), str(words[2]), str(words[3])))
        elif label == "#KONTO":
            accounts.append((str(words[1]), str(words[2])))
        else:
            head[label] = words[1:]
        i += 1
    if [str(w) for w in head.get("#SIETYP", [])] != ["4"]:
        raise SieError("not a SIE 4 file (#SIETYP 4)")
    program = [str(w) for w in head.get("#PROGRAM", ["", ""])]
    return SieFile(
        company_name=str((head.get("#FNAMN") or [""])[0]),
        organisation_number=str((head.get("#ORGNR") or [""])[0]),
        generated_on=_date(str(head.get("#GEN", ["19700101"])[0])),
        program=program[0],
        program_version=program[1] if len(program) > 1 else "",
        dimensions=tuple(dims),
        objects=tuple(objects),
        accounts=tuple(accounts),
        vouchers=tuple(vouchers),
    )


def balanced(
    rows: Sequence[Transaction], *, counter_account: str, text: str = ""
) -> tuple[Transaction, ...]:
    """The rows plus one counter row on `counter_account` that brings the sum to zero."""
    total = sum((r.amount for r in rows), Decimal("0"))
    return (*rows, Transaction(counter_account, -total, (), text))
