"""The risk list as a file: CSV (semicolon, UTF-8 with BOM) and XLSX."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from .models import Risk

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class ExportFile:
    filename: str
    content_type: str
    data: bytes


def _header() -> list[str]:
    return [
        _("Risk"), _("Omfattning"), _("Kategori"), _("Riskägare"), _("Sannolikhet"),
        _("Konsekvens"), _("Riskvärde"), _("Kvarvarande riskvärde"), _("Hantering"),
        _("Beslut"), _("Nästa uppföljning"), _("Workshop: medel"), _("Workshop: spridning"),
    ]  # fmt: skip


def _safe(text: str) -> str:
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


def _values(r: Risk, averages: dict[int, tuple[Decimal | None, int | None]]) -> list[Any]:
    avg, spread = averages.get(r.pk, (None, None))
    return [
        _safe(r.title),
        r.scope.name,
        r.get_category_display(),
        (r.owner.get_full_name() or r.owner.username) if r.owner else "",
        r.probability,
        r.consequence,
        r.score,
        r.residual_score if r.residual_score is not None else "",
        r.get_treatment_display(),
        r.decision,
        r.next_review.isoformat() if r.next_review else "",
        str(avg).replace(".", ",") if avg is not None else "",
        spread if spread is not None else "",
    ]


def risks_csv(
    rows: Iterable[Risk], averages: dict[int, tuple[Decimal | None, int | None]]
) -> ExportFile:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    w.writerow(_header())
    for r in rows:
        w.writerow(_values(r, averages))
    return ExportFile("risker.csv", "text/csv; charset=utf-8", buf.getvalue().encode("utf-8-sig"))


def risks_xlsx(
    rows: Iterable[Risk], averages: dict[int, tuple[Decimal | None, int | None]]
) -> ExportFile:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = _("Risker")[:31]
    ws.append(_header())
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r in rows:
        ws.append(_values(r, averages))
    buf = io.BytesIO()
    wb.save(buf)
    return ExportFile("risker.xlsx", XLSX_TYPE, buf.getvalue())
