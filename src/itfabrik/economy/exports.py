"""The baseline as a file: XLSX (numbers as numbers, one sheet per table) and CSV (semicolons,
UTF-8 with BOM, decimal comma, as Swedish Excel opens it). Renderers only: bytes from a report."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from .selectors import BaselineReport, FollowUpReport, TimelineReport

FORMATS = ("csv", "xlsx")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class ExportFile:
    filename: str
    content_type: str
    data: bytes


Sheet = tuple[str, list[str], list[list[Any]]]


def baseline_sheets(report: BaselineReport) -> list[Sheet]:
    head = [
        _("Kommun"),
        _("IT-kostnad (kr)"),
        _("Nettokostnad (kr)"),
        _("IT-andel (%)"),
        _("Riktmärke (%)"),
        _("Kostnad vid riktmärket (kr)"),
        _("Skillnad till riktmärket (kr)"),
        _("Besparingspotential (kr)"),
    ]
    rows = [
        [
            r.municipality,
            r.it_cost,
            r.net_cost,
            r.it_share_percent,
            r.benchmark_percent,
            r.benchmark_cost,
            r.gap_to_benchmark,
            r.savings_potential,
        ]
        for r in [*report.result.rows, report.result.total]
    ]
    municipalities = [*report.result.rows, report.result.total]
    cat_head = [_("Kostnadskategori"), _("Besparing (%)")]
    for r in municipalities:
        cat_head += [
            _("%(m)s, kostnad (kr)") % {"m": r.municipality},
            _("%(m)s, besparing (kr)") % {"m": r.municipality},
        ]
    cat_rows = []
    for i, name in enumerate(report.result.category_names):
        line: list[Any] = [name, report.result.total.categories[i].savings_percent]
        for r in municipalities:
            line += [r.categories[i].cost, r.categories[i].savings]
        cat_rows.append(line)
    return [(_("Baslinje"), head, rows), (_("Kostnadskategorier"), cat_head, cat_rows)]


def timeline_sheets(report: TimelineReport) -> list[Sheet]:
    head = [
        _("År"),
        _("Kommun"),
        _("Driftkostnad (kr)"),
        _("Investering (kr)"),
        _("Andel av projektkostnader (kr)"),
        _("Summa (kr)"),
        _("Underlag"),
    ]
    rows = [
        [
            p.year,
            p.municipality,
            p.operating_cost,
            p.investment_cost,
            p.project_share,
            p.total,
            str(report.entry(p).get_basis_display()),
        ]
        for p in report.points
    ]
    return [(_("Tidslinje"), head, rows)]


def followup_sheets(report: FollowUpReport) -> list[Sheet]:
    head = [
        _("Kommun"),
        _("Baslinje (kr)"),
        _("Besparingspotential (kr)"),
        _("Mål (kr)"),
        _("Fakturerat (kr)"),
        _("Realiserad besparing (kr)"),
        _("Andel av potentialen (%)"),
    ]
    all_rows = [r for _m, r in report.rows] + ([report.total] if report.total else [])
    rows = [
        [
            r.municipality,
            r.baseline_cost,
            r.savings_potential,
            r.target_cost,
            r.actual_cost,
            r.realised_savings,
            r.realised_percent,
        ]
        for r in all_rows
    ]
    return [(_("Uppföljning"), head, rows)]


def _sv(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}".replace(".", ",")
    return str(value)


def to_csv(sheet: Sheet, name: str) -> ExportFile:
    _title, head, rows = sheet
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    writer.writerow(head)
    for row in rows:
        writer.writerow([_sv(v) for v in row])
    return ExportFile(
        f"{name}.csv", "text/csv; charset=utf-8", ("\ufeff" + buf.getvalue()).encode("utf-8")
    )


def to_xlsx(sheets: list[Sheet], name: str) -> ExportFile:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    first = wb.active
    assert first is not None
    wb.remove(first)
    for title, head, rows in sheets:
        ws = wb.create_sheet(title[:31].translate({ord(ch): " " for ch in "[]:*?/\\"}))
        ws.append(head)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in rows:
            # openpyxl writes a Decimal as an exact number: no float on the way.
            ws.append(row)
        for col in ws.iter_cols(min_row=2):
            for cell in col:
                if isinstance(cell.value, Decimal):
                    cell.number_format = "#,##0.00"
    out = io.BytesIO()
    wb.save(out)
    return ExportFile(f"{name}.xlsx", XLSX, out.getvalue())


def render(sheets: list[Sheet], name: str, fmt: str) -> ExportFile:
    return to_xlsx(sheets, name) if fmt == "xlsx" else to_csv(sheets[0], name)
