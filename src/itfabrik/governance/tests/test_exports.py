"""The decision list as a spreadsheet, opened as a reader opens it: the header row and the known
demo decision ITR-2025-011 with its values."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db


def test_the_decisions_xlsx_has_the_header_and_itr_2025_011(web_as: Any, gov: Any) -> None:
    r = web_as("radsmedlem").get(reverse("governance:decisions"), {"format": "xlsx"})
    assert r.status_code == 200
    book = load_workbook(io.BytesIO(r.content))
    sheet = book.worksheets[0]
    assert sheet.title == "Beslut"
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (
        "Beslutsnummer",
        "Datum",
        "Forum",
        "Omfattning",
        "Kommun",
        "Rubrik",
        "Status",
        "Beslutstext",
    )
    row = next(r for r in rows[1:] if r[0] == "ITR-2025-011")
    assert row[1:4] == ("2025-11-19", "IT-råd Dalsland", "Hela samverkan")
    assert row[4] in (None, "")  # a cooperation-wide decision names no municipality
    assert row[5:7] == ("Fördelningsnyckel för Bas-IT", "Genomfört")
    assert row[7]
    # The filters apply to the file too: Mellerud's council's decisions only.
    r = web_as("radsmedlem").get(
        reverse("governance:decisions"), {"format": "xlsx", "forum": gov.mellerud.pk}
    )
    rows = list(load_workbook(io.BytesIO(r.content)).worksheets[0].iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["MEL-2026-001"]
