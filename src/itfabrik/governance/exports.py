"""The decision list as a file: CSV (semicolon, UTF-8 with BOM, so Swedish Excel opens it as is)
and XLSX. Headers follow the active language."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from django.utils.translation import gettext as _

from .models import Decision
from .pdf import PdfFile as ExportFile

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _header() -> list[str]:
    return [
        _("Beslutsnummer"),
        _("Datum"),
        _("Forum"),
        _("Omfattning"),
        _("Kommun"),
        _("Rubrik"),
        _("Status"),
        _("Beslutstext"),
    ]


def _row(d: Decision) -> list[str]:
    return [
        d.number,
        d.decided_on.isoformat(),
        d.forum.name,
        str(d.get_scope_display()),
        d.municipality.name if d.municipality else "",
        d.title,
        str(d.get_status_display()),
        d.text,
    ]


def decisions_csv(rows: Iterable[Decision]) -> ExportFile:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(_header())
    for d in rows:
        writer.writerow(_row(d))
    return ExportFile("beslut.csv", "text/csv; charset=utf-8", ("\ufeff" + out.getvalue()).encode())


def decisions_xlsx(rows: Iterable[Decision]) -> ExportFile:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = _("Beslut")
    ws.append(_header())
    for d in rows:
        ws.append(_row(d))
    out = io.BytesIO()
    wb.save(out)
    return ExportFile("beslut.xlsx", XLSX_TYPE, out.getvalue())
