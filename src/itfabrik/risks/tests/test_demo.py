"""The demo holds the pre-study's six risks with their workshop averages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from itfabrik.risks import selectors
from itfabrik.risks.models import Workshop

pytestmark = pytest.mark.django_db


def test_seed_workshop_averages(demo: Any) -> None:
    workshop = Workshop.objects.get()
    municipalities = (
        list(demo.cooperation.root.get_children())
        if hasattr(demo.cooperation.root, "get_children")
        else []
    )
    rows = selectors.workshop_result(workshop=workshop, municipalities=municipalities)
    assert [r.average for r in rows] == [
        Decimal(x) for x in ("15.0", "13.0", "11.0", "11.0", "10.0", "10.0")
    ]
