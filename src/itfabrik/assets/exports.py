"""The device list as a file: CSV (semicolon, UTF-8 with BOM, so Swedish Excel opens it as is)
and XLSX. Headers follow the active language."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A file a person opens in a spreadsheet: beyond this the API's paginated list is the way.
MAX_ROWS = 100_000


@dataclass(frozen=True)
class ExportFile:
    filename: str
    content_type: str
    data: bytes


def _header() -> list[str]:
    return [
        _("Inventarienummer"),
        _("Serienummer"),
        _("Tillverkare"),
        _("Modell"),
        _("Enhetstyp"),
        _("Kommun"),
        _("Ägande enhet"),
        _("Livscykelsteg"),
        _("Ägandeform"),
        _("Leasingen slutar"),
        _("Supporten upphör"),
        _("Ansluten"),
        _("Lokal administratör"),
        _("Säkerhetsnivå"),
    ]


def _safe(text: str) -> str:
    # A cell starting with =, +, - or @ is a formula to a spreadsheet program.
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


def _rows(qs: Any) -> list[list[Any]]:
    yes, no = _("Ja"), _("Nej")
    out = []
    for d in qs[:MAX_ROWS]:
        out.append(
            [
                _safe(d.asset_tag),
                _safe(d.serial_number),
                _safe(d.manufacturer),
                _safe(d.model.name),
                d.get_kind_display(),
                d.municipality.name,
                d.owner_unit.name,
                d.get_state_display(),
                d.get_ownership_display(),
                d.lease_end.isoformat() if d.lease_end else "",
                d.model.end_of_support.isoformat() if d.model.end_of_support else "",
                yes if d.managed else no,
                yes if d.local_admin else no,
                "" if d.security_level is None else d.security_level,
            ]
        )
    return out


def devices_file(qs: Any, file_format: str) -> ExportFile:
    rows = _rows(qs)
    if file_format == "xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet(_("Enheter")[:31])
        sheet.append(_header())
        for row in rows:
            sheet.append(row)
        buf = io.BytesIO()
        book.save(buf)
        return ExportFile("enheter.xlsx", XLSX_TYPE, buf.getvalue())
    text = io.StringIO()
    writer = csv.writer(text, delimiter=";")
    writer.writerow(_header())
    writer.writerows(rows)
    return ExportFile(
        "enheter.csv", "text/csv; charset=utf-8", ("\ufeff" + text.getvalue()).encode()
    )
