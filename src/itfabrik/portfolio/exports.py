"""The portfolio's lists and the report for IT-råd Dalsland as files (CSV, XLSX): renderers
only, nothing is written here."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from .models import Benefit, Initiative
from .selectors import MunicipalityBenefits, ReportRow

FORMATS = ("csv", "xlsx")


@dataclass(frozen=True)
class ExportFile:
    filename: str
    content_type: str
    data: bytes


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _sv(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value).replace(".", ",")
    if value is None:
        return ""
    return value


def _csv(name: str, header: list[str], rows: Iterable[list[Any]]) -> ExportFile:
    """Semicolon separated, decimal comma, UTF-8 with BOM (opens as is in Swedish Excel)."""
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    w.writerow(header)
    for r in rows:
        w.writerow([_sv(v) for v in r])
    return ExportFile(f"{name}.csv", "text/csv; charset=utf-8", buf.getvalue().encode("utf-8-sig"))


def _xlsx(name: str, sheets: Sequence[tuple[str, list[str], Iterable[list[Any]]]]) -> ExportFile:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    first = True
    for title, header, rows in sheets:
        ws = wb.active if first else wb.create_sheet()
        assert ws is not None
        first = False
        ws.title = title[:31]
        ws.append(header)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for r in rows:
            ws.append([float(v) if isinstance(v, Decimal) else v for v in r])
    buf = io.BytesIO()
    wb.save(buf)
    return ExportFile(f"{name}.xlsx", XLSX, buf.getvalue())


def _initiative_header() -> list[str]:
    return [
        _("Nummer"),
        _("Namn"),
        _("Läge"),
        _("Prioritet"),
        _("Ägare"),
        _("Kommuner"),
        _("Start"),
        _("Slut"),
        _("Beslut"),
        _("Budget (kr)"),
    ]


def _initiative_rows(initiatives: Iterable[Initiative]) -> Iterable[list[Any]]:
    for i in initiatives:
        sponsors = (
            _("Hela samverkan")
            if i.all_municipalities
            else ", ".join(n.name for n in i.sponsors.all())
        )
        yield [
            i.code,
            i.title,
            i.get_state_display(),
            i.priority_score,
            i.owner.get_full_name() or i.owner.get_username(),
            sponsors,
            i.start,
            i.end,
            i.decision_reference,
            i.budget,
        ]


def initiatives_file(fmt: str, initiatives: Iterable[Initiative]) -> ExportFile:
    if fmt == "csv":
        return _csv("initiativ", _initiative_header(), _initiative_rows(initiatives))
    return _xlsx(
        "initiativ", [(_("Initiativ"), _initiative_header(), _initiative_rows(initiatives))]
    )


def _benefit_header() -> list[str]:
    return [
        _("Initiativ"),
        _("Kommun"),
        _("Månad"),
        _("Slag"),
        _("Mått"),
        _("Enhet"),
        _("Planerat"),
        _("Realiserat"),
        _("Ansvarig"),
        _("Kommentar"),
    ]


def _benefit_rows(benefits: Iterable[Benefit]) -> Iterable[list[Any]]:
    for b in benefits:
        yield [
            b.initiative.code,
            b.municipality.name,
            f"{b.period:%Y-%m}",
            b.get_kind_display(),
            b.measure,
            b.unit,
            b.planned,
            b.realised,
            b.owner.get_full_name() or b.owner.get_username(),
            b.comment,
        ]


def benefits_file(fmt: str, benefits: Iterable[Benefit]) -> ExportFile:
    if fmt == "csv":
        return _csv("nyttor", _benefit_header(), _benefit_rows(benefits))
    return _xlsx("nyttor", [(_("Nyttor"), _benefit_header(), _benefit_rows(benefits))])


def report_file(
    *,
    first: dt.date,
    last: dt.date,
    rows: Sequence[ReportRow],
    municipalities: Sequence[MunicipalityBenefits],
) -> ExportFile:
    """The report for IT-råd Dalsland: one sheet per initiative row, one per municipality."""
    header = [
        _("Nummer"),
        _("Namn"),
        _("Läge"),
        _("Prioritet"),
        _("Status"),
        _("Kommentar"),
        _("Planerad nytta (kr)"),
        _("Realiserad nytta (kr)"),
        _("Planerade timmar"),
        _("Realiserade timmar"),
        _("Tilldelat ur fonden (kr)"),
        _("Utbetalt ur fonden (kr)"),
    ]
    colours = {"green": _("Grön"), "yellow": _("Gul"), "red": _("Röd")}
    lines = [
        [
            r.initiative.code,
            r.initiative.title,
            r.initiative.get_state_display(),
            r.initiative.priority_score,
            colours.get(r.colour or "", ""),
            r.comment,
            r.planned_money,
            r.realised_money,
            r.planned_hours,
            r.realised_hours,
            r.allocated,
            r.spent,
        ]
        for r in rows
    ]
    m_header = [
        _("Kommun"),
        _("Planerad nytta (kr)"),
        _("Realiserad nytta (kr)"),
        _("Planerade timmar"),
        _("Realiserade timmar"),
    ]
    m_lines = [
        [m.municipality, m.planned_money, m.realised_money, m.planned_hours, m.realised_hours]
        for m in municipalities
    ]
    name = f"portfoljrapport-{first:%Y%m}-{last:%Y%m}"
    return _xlsx(name, [(_("Initiativ"), header, lines), (_("Per kommun"), m_header, m_lines)])
