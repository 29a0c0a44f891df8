"""A satisfaction report as a file (CSV, XLSX): renderers only, nothing is written here."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from .selectors import Period, ReportRow

FORMATS = ("csv", "xlsx")


@dataclass(frozen=True)
class ExportFile:
    filename: str
    content_type: str
    data: bytes


def _header(dimension_label: str) -> list[str]:
    return [
        dimension_label,
        _("Lösta"),
        _("Betygsatta"),
        _("Svarsfrekvens (%)"),
        _("Medelbetyg"),
        _("Låga betyg"),
    ]


def _sv(value: Decimal | None) -> str:
    return "" if value is None else str(value).replace(".", ",")


def _name(dimension: str, period: Period, ext: str) -> str:
    return f"nojdhet-{dimension}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.{ext}"


def to_csv(
    *, dimension: str, dimension_label: str, period: Period, rows: Sequence[ReportRow]
) -> ExportFile:
    """Semicolon separated, decimal comma, UTF-8 with BOM (opens as is in Swedish Excel)."""
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    w.writerow(_header(dimension_label))
    for r in rows:
        w.writerow([r.label, r.resolved, r.rated, _sv(r.response_rate), _sv(r.average), r.low])
    return ExportFile(
        _name(dimension, period, "csv"),
        "text/csv; charset=utf-8",
        buf.getvalue().encode("utf-8-sig"),
    )


def to_xlsx(
    *, dimension: str, dimension_label: str, period: Period, rows: Sequence[ReportRow]
) -> ExportFile:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = _("Nöjdhet")[:31]
    ws.append(_header(dimension_label))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r in rows:
        ws.append(
            [
                r.label,
                r.resolved,
                r.rated,
                float(r.response_rate) if r.response_rate is not None else None,
                float(r.average) if r.average is not None else None,
                r.low,
            ]
        )
    out = io.BytesIO()
    wb.save(out)
    return ExportFile(
        _name(dimension, period, "xlsx"),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        out.getvalue(),
    )
