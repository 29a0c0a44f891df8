"""An invoice basis as a file: CSV, XLSX, PDF (Swedish) and SIE 4 (vouchers for the ledger).

Renderers only: they take an invoice with its lines and the municipality's ledger settings and
return bytes; nothing is written to the database here.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from .choices import LineKind
from .models import Invoice, InvoiceLine, LedgerSettings, UsageRecord
from .sie import SieFile, Transaction, Voucher, balanced, render

FORMATS = ("csv", "xlsx", "pdf", "sie")
KIND_LABELS = {
    LineKind.SHARED: "Gemensam kostnad",
    LineKind.CONSUMPTION: "Förbrukning",
    LineKind.FUND: "Digitaliseringsfond",
    LineKind.CORRECTION: "Rättelse",
}
HEADER = [
    "Rad",
    "Typ",
    "Enhet",
    "Kostnadsställe",
    "Tjänst/kostnadspool",
    "Text",
    "Antal",
    "À-pris",
    "Belopp",
    "Källa",
]


@dataclass(frozen=True)
class ExportFile:
    filename: str
    content_type: str
    data: bytes


def _sv(amount: Decimal | None) -> str:
    return "" if amount is None else f"{amount:.2f}".replace(".", ",")


def _source_text(line: InvoiceLine) -> str:
    src = line.source or {}
    if src.get("type") == "usage_record":
        return f"Förbrukningspost {src.get('usage_record')}"
    if src.get("type") == "pool_allocation":
        days = f"{src.get('member_days')}/{src.get('days_in_month')} dagar"
        return f"{src.get('cost_pool_name')}: {src.get('key')}, {days}"
    return str(src.get("summary", ""))


def _rows(lines: Sequence[InvoiceLine]) -> list[list[str]]:
    return [
        [
            str(line.position),
            KIND_LABELS.get(line.kind, line.kind),  # type: ignore[call-overload]
            line.unit.name if line.unit else "",
            line.cost_centre,
            line.service or (line.cost_pool.name if line.cost_pool else ""),
            line.description,
            _sv(line.quantity),
            _sv(line.unit_price),
            _sv(line.amount),
            _source_text(line),
        ]
        for line in lines
    ]


def _base(invoice: Invoice) -> str:
    return f"fakturaunderlag-{invoice.municipality.name}-{invoice.period}".replace(" ", "-")


def to_csv(invoice: Invoice, lines: Sequence[InvoiceLine]) -> ExportFile:
    """Semicolon separated, decimal comma, UTF-8 with BOM (opens as is in Swedish Excel)."""
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    w.writerow(HEADER)
    w.writerows(_rows(lines))
    w.writerow(["", "Summa", "", "", "", "", "", "", _sv(invoice.total), ""])
    return ExportFile(
        f"{_base(invoice)}.csv", "text/csv; charset=utf-8", buf.getvalue().encode("utf-8-sig")
    )


def to_xlsx(invoice: Invoice, lines: Sequence[InvoiceLine]) -> ExportFile:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = invoice.period
    ws.append([f"Fakturaunderlag {invoice.municipality.name} {invoice.period}"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([])
    ws.append(HEADER)
    for cell in ws[3]:
        cell.font = Font(bold=True)
    for line in lines:
        ws.append(
            [
                line.position,
                KIND_LABELS.get(line.kind, line.kind),  # type: ignore[call-overload]
                line.unit.name if line.unit else "",
                line.cost_centre,
                line.service or (line.cost_pool.name if line.cost_pool else ""),
                line.description,
                line.quantity,
                line.unit_price,
                line.amount,
                _source_text(line),
            ]
        )
    ws.append(["", "Summa", "", "", "", "", "", "", invoice.total, ""])
    for row in ws.iter_rows(min_row=4, min_col=7, max_col=9):
        for cell in row:
            cell.number_format = "#,##0.00"
    out = io.BytesIO()
    wb.save(out)
    return ExportFile(
        f"{_base(invoice)}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        out.getvalue(),
    )


USAGE_HEADER = [
    "Id",
    "Datum",
    "Kommun",
    "Enhet",
    "Kostnadsställe",
    "Tjänst",
    "Beskrivning",
    "Antal",
    "À-pris",
    "Belopp",
    "Kreditering av",
    "Import",
]


def _usage_row(r: UsageRecord) -> list[object]:
    return [
        r.pk,
        r.used_on,
        r.municipality.name,
        r.unit.name,
        r.cost_centre,
        r.service,
        r.description,
        r.quantity,
        r.unit_price,
        r.amount,
        r.corrects_id or "",
        r.import_reference,
    ]


def usage_csv(records: Iterable[UsageRecord]) -> ExportFile:
    """The usage list as it is filtered, every row (not only the page on screen)."""
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    w.writerow(USAGE_HEADER)
    for r in records:
        row = _usage_row(r)
        row[7:10] = [_sv(r.quantity), _sv(r.unit_price), _sv(r.amount)]
        row[1] = r.used_on.isoformat()
        w.writerow(row)
    return ExportFile(
        "forbrukning.csv", "text/csv; charset=utf-8", buf.getvalue().encode("utf-8-sig")
    )


def usage_xlsx(records: Iterable[UsageRecord]) -> ExportFile:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Förbrukning")
    bold = []
    for title in USAGE_HEADER:
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(ws, value=title)
        cell.font = Font(bold=True)
        bold.append(cell)
    ws.append(bold)
    for r in records:
        ws.append(_usage_row(r))
    out = io.BytesIO()
    wb.save(out)
    return ExportFile(
        "forbrukning.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        out.getvalue(),
    )


def unit_totals(lines: Sequence[InvoiceLine]) -> list[tuple[str, str, Decimal]]:
    """(unit name, cost centre, total) per unit; municipality-level lines as one row."""
    totals: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for line in lines:
        name = line.unit.name if line.unit else "Kommunen (gemensamma kostnader)"
        totals[(name, line.cost_centre)] += line.amount
    return [(n, c, t) for (n, c), t in sorted(totals.items())]


def _latin1(text: str) -> str:
    # The PDF core fonts are Latin-1: å ä ö é are there, – ’ − are not.
    text = text.replace("\u2013", "-").replace("\u2014", "-").replace("\u2212", "-")
    text = text.replace("\u2019", "'").replace("\u00a0", " ")
    return text.encode("latin-1", "replace").decode("latin-1")


def to_pdf(invoice: Invoice, lines: Sequence[InvoiceLine], *, host_name: str) -> ExportFile:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_title(_latin1(f"Fakturaunderlag {invoice.municipality.name} {invoice.period}"))
    pdf.set_lang("sv")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.cell(0, 10, _latin1(f"Fakturaunderlag {invoice.period}"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 11)
    org = invoice.municipality.organisation_number or "uppgift saknas"
    status = {"draft": "Utkast", "approved": "Godkänd", "exported": "Exporterad"}.get(
        invoice.status, invoice.status
    )
    for text in (
        f"Kommun: {invoice.municipality.name} (organisationsnummer {org})",
        f"Från: {host_name}",
        f"Period: {invoice.period}    Status: {status}",
    ):
        pdf.cell(0, 7, _latin1(text), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("Helvetica", "B", 12)
    pdf.cell(0, 8, "Summa per enhet", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    for name, cc, total in unit_totals(lines):
        pdf.cell(110, 6, _latin1(name))
        pdf.cell(35, 6, _latin1(cc))
        pdf.cell(35, 6, _sv(total), align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "B", 10)
    pdf.cell(145, 7, "Totalt")
    pdf.cell(35, 7, _sv(invoice.total), align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("Helvetica", "B", 12)
    pdf.cell(0, 8, "Rader", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 8)
    for line in lines:
        label = KIND_LABELS.get(line.kind, line.kind)  # type: ignore[call-overload]
        pdf.cell(25, 5, _latin1(label))
        pdf.cell(25, 5, _latin1(line.cost_centre))
        pdf.cell(105, 5, _latin1(line.description[:70]))
        pdf.cell(25, 5, _sv(line.amount), align="R", new_x="LMARGIN", new_y="NEXT")
    return ExportFile(f"{_base(invoice)}.pdf", "application/pdf", bytes(pdf.output()))


def to_sie(
    invoice: Invoice,
    lines: Sequence[InvoiceLine],
    *,
    ledger: LedgerSettings,
    today: dt.date,
) -> ExportFile:
    """One balanced voucher: the costs per account and cost centre (dimension 1) as debits, the
    total on the counter account as the credit."""
    account_for = {
        LineKind.SHARED: ledger.shared_account,
        LineKind.FUND: ledger.fund_account,
        LineKind.CONSUMPTION: ledger.consumption_account,
        LineKind.CORRECTION: ledger.consumption_account,
    }
    sums: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    names: dict[str, str] = {}
    for line in lines:
        account = account_for.get(line.kind, ledger.consumption_account)  # type: ignore[call-overload]
        sums[(account, line.cost_centre)] += line.amount
        if line.cost_centre and line.unit:
            names[line.cost_centre] = line.unit.name
    rows = [
        Transaction(account, amount, ((1, cc),) if cc else (), "")
        for (account, cc), amount in sorted(sums.items())
        if amount != 0
    ]
    year, month = (int(x) for x in invoice.period.split("-"))
    last = (dt.date(year + month // 12, month % 12 + 1, 1)) - dt.timedelta(days=1)
    text = f"IT-samverkan fakturaunderlag {invoice.period}"
    transactions = balanced(rows, counter_account=ledger.counter_account, text=text)
    voucher = Voucher(ledger.voucher_series, invoice.pk, last, text, transactions)
    accounts = sorted(
        {
            (ledger.shared_account, "IT Bas-IT (gemensam kostnad)"),
            (ledger.consumption_account, "IT-tjänster förbrukning"),
            (ledger.fund_account, "Digitaliseringsfond"),
            (ledger.counter_account, "Skuld IT-samverkan"),
        }
    )
    sie = SieFile(
        company_name=invoice.municipality.name,
        organisation_number=invoice.municipality.organisation_number or "",
        generated_on=today,
        accounts=tuple(accounts),
        objects=tuple((1, cc, n) for cc, n in sorted(names.items())),
        vouchers=(voucher,) if rows else (),
    )
    return ExportFile(f"{_base(invoice)}.se", "text/plain; charset=cp437", render(sie))
