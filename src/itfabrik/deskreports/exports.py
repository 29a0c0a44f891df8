"""A report table as a file: CSV (semicolon-separated, UTF-8 with BOM, decimal comma, as Swedish
Excel opens it) and XLSX (numbers as numbers). Renderers only: bytes from a `Table`."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .params import ReportFilter
from .selectors import PERCENT, SCORE, Report, Table

FORMATS = ("csv", "xlsx")


@dataclass(frozen=True)
class ExportFile:
    filename: str
    content_type: str
    data: bytes


def written(value: Any, kind: str) -> str:
    """A cell as Swedish text: shares with one decimal, scores with two, a decimal comma."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.{2 if kind == SCORE else 1}f}".replace(".", ",")
    return str(value)


def _filename(report: Report, table: Table, f: ReportFilter, ext: str) -> str:
    return f"servicedesk-{report.key}-{table.key}-{f.first_month}-{f.last_month}.{ext}"


def to_csv(report: Report, table: Table, f: ReportFilter) -> ExportFile:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    writer.writerow([str(c.label) for c in table.columns])
    for row in table.rows:
        writer.writerow([written(row.get(c.key), c.kind) for c in table.columns])
    return ExportFile(
        _filename(report, table, f, "csv"),
        "text/csv; charset=utf-8",
        ("\ufeff" + buf.getvalue()).encode("utf-8"),
    )


def to_xlsx(report: Report, table: Table, f: ReportFilter) -> ExportFile:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    # Sheet titles: at most 31 characters, none of []:*?/\
    ws.title = str(table.title)[:31].translate({ord(ch): " " for ch in "[]:*?/\\"})
    ws.append([str(c.label) for c in table.columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in table.rows:
        values = []
        for c in table.columns:
            v = row.get(c.key)
            values.append(float(v) if isinstance(v, Decimal) else v)
        ws.append(values)
    for i, c in enumerate(table.columns, start=1):
        if c.kind in (PERCENT, SCORE):
            for (cell,) in ws.iter_rows(min_row=2, min_col=i, max_col=i):
                cell.number_format = "0.0" if c.kind == PERCENT else "0.00"
    out = io.BytesIO()
    wb.save(out)
    return ExportFile(
        _filename(report, table, f, "xlsx"),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        out.getvalue(),
    )


def render(report: Report, table: Table, f: ReportFilter, fmt: str) -> ExportFile:
    return to_csv(report, table, f) if fmt == "csv" else to_xlsx(report, table, f)
