"""The register's pages as the security officer and the strategist use them."""

from __future__ import annotations

from typing import Any

import pytest

from itfabrik.core.tests import assert_unchanged, db_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def sakerhet(client: Any, register: Any) -> Any:
    client.force_login(register.sakerhet)
    return client


PAGES = [
    "/system/",
    "/system/?drift=own_dc&status=mapped&sort=contract_end",
    "/system/nytt/",
    "/system/dubbletter/",
    "/system/fore-inkop/",
    "/system/serverhallar/",
    "/system/formagor/",
    "/system/krav/",
    "/system/informationstillgangar/",
    "/system/atgarder/",
]


@pytest.mark.parametrize("url", PAGES)
def test_pages_render(sakerhet: Any, url: str) -> None:
    assert sakerhet.get(url).status_code == 200


def test_system_pages_render(sakerhet: Any, register: Any) -> None:
    system = register.system("Omsorg Vård")
    for url in (
        f"/system/{system.pk}/",
        f"/system/{system.pk}/andra/",
        f"/system/{system.pk}/klassa/",
    ):
        r = sakerhet.get(url)
        assert r.status_code == 200, url
    page = sakerhet.get(f"/system/{system.pk}/").content.decode()
    assert "3 Allvarlig" in page
    assert "Larm Trygg" in page


def test_list_query_count_is_fixed(sakerhet: Any, django_assert_max_num_queries: Any) -> None:
    sakerhet.get("/system/")  # warm the session and the grants
    with django_assert_max_num_queries(14):
        r = sakerhet.get("/system/")
    assert r.status_code == 200


def test_list_exports(sakerhet: Any) -> None:
    r = sakerhet.get("/system/?format=csv&q=Nova")
    assert r["Content-Type"].startswith("text/csv")
    text = r.content.decode("utf-8-sig")
    assert "Skolplattform Nova" in text
    assert "Lärportalen" not in text
    r = sakerhet.get("/system/?format=xlsx")
    assert r.content[:2] == b"PK"


def test_classify_a_forged_level_is_refused(sakerhet: Any, register: Any) -> None:
    system = register.system("Schema Takt")
    before = db_state()
    r = sakerhet.post(
        f"/system/{system.pk}/klassa/",
        {"confidentiality": "7", "integrity": "2", "availability": "1", "version": system.version},
    )
    assert r.status_code == 400
    assert "Konfidentialitet" in r.content.decode()
    assert_unchanged(before)
    r = sakerhet.post(
        f"/system/{system.pk}/klassa/",
        {"confidentiality": "2", "integrity": "3", "availability": "1", "version": system.version},
    )
    assert r.status_code == 302
    system.refresh_from_db()
    assert (system.confidentiality, system.integrity, system.klassa_summary) == (2, 3, 3)


def test_before_buying_page_lists_existing_systems(client: Any, register: Any) -> None:
    client.force_login(register.strateg)
    cap = register.capability("Lärplattform")
    r = client.get(f"/system/fore-inkop/?sok=1&capabilities={cap.pk}")
    body = r.content.decode()
    assert "Skolplattform Nova" in body
    assert "Lärportalen Vidd" in body
    assert client.get("/system/fore-inkop/?sok=1").status_code == 400


def test_assessment_from_the_system_page(sakerhet: Any, register: Any) -> None:
    system = register.system("Larm Trygg")
    req = register.requirement("T3")
    r = sakerhet.post(
        f"/system/{system.pk}/bedom/",
        {"requirement": req.pk, "compliance": "partly", "action": "Öva reservrutinen"},
    )
    assert r.status_code == 302
    a = system.assessments.get(requirement=req)
    assert (a.compliance, a.action, a.action_owner) == (
        "partly",
        "Öva reservrutinen",
        register.sakerhet,
    )
