"""The service list as a file: CSV (semicolon, decimal comma, UTF-8 with BOM, so Swedish Excel
opens it as is) and XLSX. Headers follow the active language."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from .models import Service

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class ExportFile:
    filename: str
    content_type: str
    data: bytes


def _header() -> list[str]:
    return [
        _("Tjänsteområde"),
        _("Tjänst"),
        _("Beskrivning"),
        _("Servicenivå"),
        _("Prismodell"),
        _("Enhet"),
        _("Pris i dag (kr)"),
        _("Får beställas av"),
        _("Godkännande"),
        _("Tillval"),
        _("Ägande team"),
        _("Tjänsteägare"),
        _("Aktiva prenumerationer"),
        _("Status"),
    ]


def _safe(text: str) -> str:
    # A cell starting with =, +, - or @ is a formula to a spreadsheet program.
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


def _values(s: Service) -> list[Any]:
    return [
        s.area.name,
        s.name,
        s.description,
        s.get_tier_display(),
        s.get_price_model_display(),
        s.unit_of_measure,
        getattr(s, "price", None),
        s.get_orderable_by_display(),
        s.get_approval_display(),
        _("Ja") if s.is_addon else _("Nej"),
        s.owner_node.name if s.owner_node else "",
        (s.owner_user.get_full_name() or s.owner_user.username) if s.owner_user else "",
        getattr(s, "active_subscriptions", 0) or 0,
        _("Aktiv") if s.is_active else _("Avslutad"),
    ]


def _cell(value: Any) -> str:
    if isinstance(value, Decimal):
        return f"{value:.2f}".replace(".", ",")
    return "" if value is None else _safe(str(value))


def services_csv(rows: Iterable[Service]) -> ExportFile:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    w.writerow(_header())
    for s in rows:
        w.writerow([_cell(v) for v in _values(s)])
    return ExportFile("tjanster.csv", "text/csv; charset=utf-8", buf.getvalue().encode("utf-8-sig"))


def services_xlsx(rows: Iterable[Service]) -> ExportFile:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = _("Katalogtjänster")[:31]
    ws.append(_header())
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for s in rows:
        ws.append([v if isinstance(v, Decimal | int) else _cell(v) for v in _values(s)])
    for row in ws.iter_rows(min_row=2, min_col=7, max_col=7):
        for cell in row:
            cell.number_format = "#,##0.00"
    out = io.BytesIO()
    wb.save(out)
    return ExportFile("tjanster.xlsx", XLSX_TYPE, out.getvalue())
