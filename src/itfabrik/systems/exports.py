"""The system list as a file: CSV (semicolon, UTF-8 with BOM, so Swedish Excel opens it) and
XLSX. Headers follow the active language."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from .models import System

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class ExportFile:
    filename: str
    content_type: str
    data: bytes


def _header() -> list[str]:
    return [
        _("System"),
        _("Leverantör"),
        _("Drift"),
        _("Programstatus"),
        _("Avtalet löper ut"),
        _("Förmågor"),
        _("Kommuner"),
        _("Användare"),
        _("KLASSA"),
    ]


def _safe(text: str) -> str:
    # A cell starting with =, +, - or @ is a formula to a spreadsheet program.
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


def _values(s: System) -> list[Any]:
    summary = s.klassa_summary
    return [
        _safe(s.name),
        _safe(s.supplier),
        s.get_hosting_display(),
        s.get_status_display(),
        s.contract_end.isoformat() if s.contract_end else "",
        ", ".join(c.name for c in s.capabilities.all()),
        ", ".join(u.municipality.name for u in getattr(s, "active_uses", [])),
        getattr(s, "total_users", None) or 0,
        "" if summary is None else str(summary.label),
    ]


def systems_csv(rows: Iterable[System]) -> ExportFile:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    w.writerow(_header())
    for s in rows:
        w.writerow(_values(s))
    return ExportFile("system.csv", "text/csv; charset=utf-8", buf.getvalue().encode("utf-8-sig"))


def systems_xlsx(rows: Iterable[System]) -> ExportFile:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = _("Verksamhetssystem")[:31]
    ws.append(_header())
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for s in rows:
        ws.append(_values(s))
    buf = io.BytesIO()
    wb.save(buf)
    return ExportFile("system.xlsx", XLSX_TYPE, buf.getvalue())
