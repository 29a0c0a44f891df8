"""The risk register's pages."""

from __future__ import annotations

from typing import Any

import pytest

from itfabrik.core.tests import assert_unchanged, db_state
from itfabrik.risks.models import Risk

pytestmark = pytest.mark.django_db


@pytest.fixture
def sakerhet(client: Any, riskreg: Any) -> Any:
    client.force_login(riskreg.sakerhet)
    return client


@pytest.mark.parametrize(
    "url",
    ["/risker/", "/risker/?sort=next_review&kategori=staff", "/risker/ny/", "/risker/varmekarta/",
     "/risker/varmekarta/?kvarvarande=1", "/risker/workshoppar/"],
)  # fmt: skip
def test_pages_render(sakerhet: Any, url: str) -> None:
    assert sakerhet.get(url).status_code == 200


def test_risk_and_workshop_pages(sakerhet: Any, riskreg: Any) -> None:
    risk = riskreg.seed()[0]
    body = sakerhet.get(f"/risker/{risk.pk}/").content.decode()
    assert "3 × 5 = 15" in body
    assert sakerhet.get(f"/risker/{risk.pk}/andra/").status_code == 200
    ws = riskreg.seed_workshop()
    body = sakerhet.get(f"/risker/workshoppar/{ws.pk}/").content.decode()
    assert "15,0" in body or "15.0" in body


def test_heat_map_counts_per_scope(sakerhet: Any, riskreg: Any) -> None:
    r = sakerhet.get(f"/risker/varmekarta/?omfattning={riskreg.root.pk}")
    grid = r.context["grid"]
    # Rows are consequence 5..1, columns probability 1..5: the seed's 3×5 risk is row 0, col 2.
    assert grid[0][2].count == 1
    assert r.context["total"] == 6


def test_list_query_count_is_fixed(sakerhet: Any, django_assert_max_num_queries: Any) -> None:
    sakerhet.get("/risker/")
    with django_assert_max_num_queries(14):
        assert sakerhet.get("/risker/").status_code == 200


def test_export(sakerhet: Any) -> None:
    text = sakerhet.get("/risker/?format=csv").content.decode("utf-8-sig")
    assert "15,0" in text  # the workshop average of the highest seed risk
    assert sakerhet.get("/risker/?format=xlsx").content[:2] == b"PK"


def test_create_with_a_bad_score_is_refused(sakerhet: Any, riskreg: Any) -> None:
    before = db_state()
    r = sakerhet.post(
        "/risker/ny/",
        {"title": "Ny", "scope": riskreg.root.pk, "category": "security", "probability": "6",
         "consequence": "2", "treatment": "undecided", "review_months": "6"},
    )  # fmt: skip
    assert r.status_code == 400
    assert "Ange ett heltal från 1 till 5." in r.content.decode()
    assert_unchanged(before)
    r = sakerhet.post(
        "/risker/ny/",
        {"title": "Ny", "scope": riskreg.root.pk, "category": "security", "probability": "4",
         "consequence": "2", "treatment": "undecided", "review_months": "6"},
    )  # fmt: skip
    assert r.status_code == 302
    assert Risk.objects.get(title="Ny").score == 8


def test_workshop_scoring_refuses_a_bad_score(sakerhet: Any, riskreg: Any, demo: Any) -> None:
    r = sakerhet.post(
        "/risker/workshoppar/",
        {
            "title": "Höstens workshop",
            "held_on": "2026-12-10",
            "risks": [x.pk for x in riskreg.seed()],
        },
    )
    assert r.status_code == 302
    ws_url = r["Location"]
    muni = demo.node("Melleruds kommun")
    risk = riskreg.seed()[0]
    before = db_state()
    r = sakerhet.post(
        f"{ws_url}?kommun={muni.pk}", {f"probability-{risk.pk}": "9", f"consequence-{risk.pk}": "2"}
    )
    assert r.status_code == 400
    assert "Ange ett heltal från 1 till 5." in r.content.decode()
    assert_unchanged(before)
    r = sakerhet.post(
        f"{ws_url}?kommun={muni.pk}", {f"probability-{risk.pk}": "4", f"consequence-{risk.pk}": "2"}
    )
    assert r.status_code == 302


def test_the_form_links_initiatives_and_the_page_shows_them(
    sakerhet: Any, riskreg: Any, links: Any
) -> None:
    i1, i2 = links.initiatives
    form = sakerhet.get("/risker/ny/").content.decode()
    assert f'value="{i1.pk}"' in form
    assert links.foreign_initiative.title not in form
    r = sakerhet.post(
        "/risker/ny/",
        {"title": "Med initiativ", "scope": riskreg.root.pk, "category": "security",
         "probability": "2", "consequence": "2", "treatment": "undecided", "review_months": "6",
         "initiatives": [i1.pk], "systems": [links.systems[0].pk]},
    )  # fmt: skip
    assert r.status_code == 302, r.content.decode()[:2000]
    risk = Risk.objects.get(title="Med initiativ")
    assert list(risk.initiatives.all()) == [i1]
    assert list(risk.systems.all()) == [links.systems[0]]
    body = sakerhet.get(f"/risker/{risk.pk}/").content.decode()
    assert i1.code in body
    before = db_state()
    r = sakerhet.post(
        f"/risker/{risk.pk}/andra/",
        {"title": "Med initiativ", "scope": riskreg.root.pk, "category": "security",
         "probability": "2", "consequence": "2", "treatment": "undecided", "review_months": "6",
         "is_open": "on", "version": risk.version, "initiatives": [links.foreign_initiative.pk]},
    )  # fmt: skip
    assert r.status_code == 400
    assert_unchanged(before)
    r = sakerhet.post(
        f"/risker/{risk.pk}/andra/",
        {"title": "Med initiativ", "scope": riskreg.root.pk, "category": "security",
         "probability": "2", "consequence": "2", "treatment": "undecided", "review_months": "6",
         "is_open": "on", "version": risk.version, "initiatives": [i2.pk]},
    )  # fmt: skip
    assert r.status_code == 302, r.content.decode()[:2000]
    assert list(risk.initiatives.all()) == [i2]
