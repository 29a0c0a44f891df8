"""The risk list sorted by the workshop average (the mean of the municipalities' scores in the
latest workshop that has the risk), on the page and in the API: in the database, both ways,
unscored risks last, in a fixed number of queries however many rows there are."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from itfabrik.core.tests import list_query_count, page_query_count

pytestmark = pytest.mark.django_db


@pytest.fixture
def sakerhet(client: Any, riskreg: Any) -> Any:
    client.force_login(riskreg.sakerhet)
    return client


def _municipalities(riskreg: Any) -> list[Any]:
    from itfabrik.tenancy.models import OrgNode

    return list(
        OrgNode.objects.filter(cooperation=riskreg.cooperation, kind="municipality").order_by(
            "name"
        )[:4]
    )


def _workshop(riskreg: Any, risks: list[Any], scores: list[tuple[int, int]], days: int) -> Any:
    """A workshop held `days` ago in which each municipality scored every risk (p, c)."""
    from itfabrik.risks.models import Workshop, WorkshopScore

    ws = Workshop.objects.create(
        cooperation=riskreg.cooperation,
        title=f"Workshop {days}",
        held_on=dt.date.today() - dt.timedelta(days=days),
        is_open=False,
    )
    ws.risks.set(risks)
    WorkshopScore.objects.bulk_create(
        [
            WorkshopScore(workshop=ws, risk=r, municipality=m, probability=p, consequence=c,
                          score=p * c)
            for r in risks
            for m, (p, c) in zip(_municipalities(riskreg), scores, strict=False)
        ]
    )  # fmt: skip
    return ws


def _grow(riskreg: Any, n: int) -> None:
    """n more risks, each scored in a workshop of its own, and n unscored ones."""
    for i in range(n):
        scored = riskreg.risk(title=f"Växande {i:02}")
        _workshop(riskreg, [scored], [(1 + i % 5, 2), (2, 2)], days=10 + i)
        riskreg.risk(title=f"Oskattad {i:02}")


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _page_order(client: Any, sort: str) -> list[tuple[str, Decimal | None]]:
    r = client.get(f"/risker/?sort={sort}")
    assert r.status_code == 200
    return [(row.title, row.workshop[0] if row.workshop else None) for row in r.context["page"]]


def _assert_sorted(rows: list[tuple[str, Decimal | None]], descending: bool) -> None:
    scored = [avg for _t, avg in rows if avg is not None]
    assert scored == sorted(scored, reverse=descending)
    first_unscored = next(i for i, (_t, avg) in enumerate(rows) if avg is None)
    assert all(avg is None for _t, avg in rows[first_unscored:]), "unscored risks come last"


def test_the_page_sorts_by_the_workshop_average(sakerhet: Any, riskreg: Any) -> None:
    rows = _page_order(sakerhet, "-workshop_average")
    averages = [avg for _t, avg in rows]
    assert averages[:6] == [Decimal(v) for v in ("15.0", "13.0", "11.0", "11.0", "10.0", "10.0")]
    assert averages[6:] == [None] * (len(rows) - 6)
    assert len(rows) > 6
    _assert_sorted(rows, descending=True)
    ascending = _page_order(sakerhet, "workshop_average")
    assert [avg for _t, avg in ascending][:6] == sorted(averages[:6])
    _assert_sorted(ascending, descending=False)
    body = sakerhet.get("/risker/?sort=-workshop_average").content.decode()
    assert '<option value="-workshop_average" selected>' in body


def test_the_latest_workshop_counts(sakerhet: Any, riskreg: Any) -> None:
    top = riskreg.seed()[0]
    before = _page_order(sakerhet, "-workshop_average")
    assert before[0] == (top.title, Decimal("15.0"))
    _workshop(riskreg, [top], [(1, 1), (1, 2)], days=1)  # a later workshop: mean 1.5
    after = _page_order(sakerhet, "-workshop_average")
    scored = [(t, avg) for t, avg in after if avg is not None]
    assert scored[-1] == (top.title, Decimal("1.5"))
    _assert_sorted(after, descending=True)
    assert _page_order(sakerhet, "workshop_average")[0] == (top.title, Decimal("1.5"))


def test_the_page_query_count_is_fixed_as_rows_grow(sakerhet: Any, riskreg: Any) -> None:
    url = "/risker/?sort=-workshop_average"
    sakerhet.get(url)
    few, r = page_query_count(sakerhet, url)
    rows = len(r.context["page"])
    _grow(riskreg, 15)
    many, r = page_query_count(sakerhet, url)
    assert len(r.context["page"]) == rows + 30
    assert many == few
    _assert_sorted(
        [(row.title, row.workshop[0] if row.workshop else None) for row in r.context["page"]],
        descending=True,
    )


def test_the_api_orders_by_the_workshop_average(api_as: Any, riskreg: Any) -> None:
    api = api_as("sakerhet")
    _grow(riskreg, 3)
    for ordering, descending in (("-workshop_average", True), ("workshop_average", False)):
        r = api.get("/api/v1/risks/", {"ordering": ordering, "page_size": 200})
        assert r.status_code == 200
        rows = [(row["title"], _decimal(row["workshop_average"])) for row in r.json()["results"]]
        _assert_sorted(rows, descending=descending)
    top = api.get("/api/v1/risks/", {"ordering": "-workshop_average"}).json()["results"][0]
    assert (top["title"], _decimal(top["workshop_average"])) == (
        riskreg.seed()[0].title,
        Decimal("15.0"),
    )


def test_the_api_query_count_is_fixed_as_rows_grow(api_as: Any, riskreg: Any) -> None:
    api = api_as("sakerhet")
    url = "/api/v1/risks/"
    api.get(url, {"ordering": "-workshop_average"})
    few, rows = list_query_count(api, url, ordering="-workshop_average")
    _grow(riskreg, 10)
    many, more = list_query_count(api, url, ordering="-workshop_average")
    assert more == rows + 20
    assert many == few
