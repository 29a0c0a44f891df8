"""The portfolio's spreadsheets as a reader opens them: the initiatives with their time span
(the road map's timeline), the benefits' monthly follow-up and the report for IT-råd, each with
its header row and a known demo row's values."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db


def _sheet(response: Any, index: int = 0) -> list[tuple[Any, ...]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    return list(book.worksheets[index].iter_rows(values_only=True))


def test_the_initiatives_xlsx_has_the_header_and_the_platforms_timeline(
    client: Any, demo: Any
) -> None:
    client.force_login(demo.user("strateg"))
    rows = _sheet(client.get(reverse("portfolio:export", args=["xlsx"])))
    assert rows[0] == (
        "Nummer",
        "Namn",
        "Läge",
        "Prioritet",
        "Ägare",
        "Kommuner",
        "Start",
        "Slut",
        "Beslut",
        "Budget (kr)",
    )
    platform = next(r for r in rows[1:] if r[0] == "PORT-2026-001")
    assert platform[1] == "Gemensam e-tjänsteplattform"
    assert platform[2] == "Pågår"
    assert platform[4] == "Sara Lind"
    assert platform[5] == "Hela samverkan"
    assert (platform[6], platform[7]) == (dt.datetime(2026, 1, 1), dt.datetime(2026, 12, 31))
    assert platform[8] == "ITR-2025-013"


def test_the_benefits_xlsx_has_the_header_and_a_months_follow_up(client: Any, demo: Any) -> None:
    client.force_login(demo.user("strateg"))
    rows = _sheet(client.get(reverse("portfolio:benefit_export", args=["xlsx"])))
    assert rows[0] == (
        "Initiativ",
        "Kommun",
        "Månad",
        "Slag",
        "Mått",
        "Enhet",
        "Planerat",
        "Realiserat",
        "Ansvarig",
        "Kommentar",
    )
    january = [
        r
        for r in rows[1:]
        if r[0] == "PORT-2026-001"
        and r[1] == "Melleruds kommun"
        and r[2] == "2026-01"
        and r[4] == "Minskade licenskostnader"
    ]
    assert len(january) == 1
    assert (january[0][5], january[0][6]) == ("kr", 12000)


def test_the_report_xlsx_has_both_headers(client: Any, demo: Any) -> None:
    client.force_login(demo.user("radsmedlem"))
    response = client.get(reverse("portfolio:report_export") + "?first=2026-01&last=2026-09")
    initiatives, municipalities = _sheet(response, 0), _sheet(response, 1)
    assert initiatives[0][:6] == ("Nummer", "Namn", "Läge", "Prioritet", "Status", "Kommentar")
    assert initiatives[0][-2:] == ("Tilldelat ur fonden (kr)", "Utbetalt ur fonden (kr)")
    platform = next(r for r in initiatives[1:] if r[0] == "PORT-2026-001")
    assert (platform[1], platform[2], platform[4]) == (
        "Gemensam e-tjänsteplattform",
        "Pågår",
        "Grön",
    )
    assert platform[10] == 600000
    assert municipalities[0] == (
        "Kommun",
        "Planerad nytta (kr)",
        "Realiserad nytta (kr)",
        "Planerade timmar",
        "Realiserade timmar",
    )
    mellerud = next(r for r in municipalities[1:] if r[0] == "Melleruds kommun")
    assert mellerud[1] > 0
