"""Permission matrix of the knowledge base: every endpoint × every actor.

Targets: Mellerud's own article ("Hemtjänstens mobiler i Mellerud") and a staff-only one.
Bengtsfors' user sees neither (404, like an id that does not exist); Mellerud's users read the
first; the staff of the joint organisation read both; the service desk (agent) and the
administrator write. Every refused write is checked to have changed nothing.
"""

from __future__ import annotations

from typing import Any

import pytest

from itfabrik.core.tests import (
    ADMIN,
    AGENT,
    ANON,
    FINANCE,
    ORDERER,
    OTHER,
    SAME,
    actor_params,
    assert_error,
    assert_login_redirect,
    assert_unchanged,
    db_state,
    ensure_same_unit_user,
)

MELLERUD_ARTICLE = "Hemtjänstens mobiler i Mellerud"
STAFF_ARTICLE = "Återställa MFA åt en användare"
URL = "/api/v1/knowledge/articles/"
ERROR_CODES = {401: "not_authenticated", 403: "forbidden", 404: "not_found"}

READ_MELLERUD = {
    ANON: 401,
    OTHER: 404,
    SAME: 200,
    ORDERER: 200,
    AGENT: 200,
    FINANCE: 200,
    ADMIN: 200,
}
READ_STAFF = {ANON: 401, OTHER: 404, SAME: 404, ORDERER: 404, AGENT: 200, FINANCE: 200, ADMIN: 200}
CREATE = {ANON: 401, OTHER: 403, SAME: 403, ORDERER: 403, AGENT: 201, FINANCE: 403, ADMIN: 201}
CHANGE = {ANON: 401, OTHER: 404, SAME: 403, ORDERER: 403, AGENT: 200, FINANCE: 403, ADMIN: 200}
ANSWER = {ANON: 401, OTHER: 404, SAME: 201, ORDERER: 201, AGENT: 201, FINANCE: 201, ADMIN: 201}
# Web pages: a page the actor may not use does not exist for them.
WEB_READ = {ANON: 302, OTHER: 404, SAME: 200, ORDERER: 200, AGENT: 200, FINANCE: 200, ADMIN: 200}
WEB_MANAGE = {ANON: 302, OTHER: 404, SAME: 404, ORDERER: 404, AGENT: 200, FINANCE: 404, ADMIN: 200}


def _check(response: Any, expected: int) -> None:
    if expected in ERROR_CODES:
        assert_error(response, expected, ERROR_CODES[expected])
    else:
        assert response.status_code == expected, (response.status_code, response.content[:300])


@pytest.mark.parametrize(("actor", "expected"), actor_params(READ_MELLERUD))
def test_read_municipality_article(kb: Any, api_as: Any, actor: str | None, expected: int) -> None:
    ensure_same_unit_user(kb)
    pk = kb.articles[MELLERUD_ARTICLE].pk
    client = api_as(actor)
    _check(client.get(f"{URL}{pk}/"), expected)
    _check(client.get(f"{URL}{pk}/revisions/"), expected)
    if expected != 401:
        listed = {r["id"] for r in client.get(URL, {"page_size": 200}).json()["results"]}
        assert (pk in listed) == (expected == 200)
        found = {r["id"] for r in client.get(URL, {"q": "hemtjänstens mobiler"}).json()["results"]}
        assert (pk in found) == (expected == 200)


@pytest.mark.parametrize(("actor", "expected"), actor_params(READ_STAFF))
def test_read_staff_article(kb: Any, api_as: Any, actor: str | None, expected: int) -> None:
    ensure_same_unit_user(kb)
    pk = kb.articles[STAFF_ARTICLE].pk
    client = api_as(actor)
    _check(client.get(f"{URL}{pk}/"), expected)
    if expected != 401:
        found = {r["id"] for r in client.get(URL, {"q": "återställa mfa"}).json()["results"]}
        assert (pk in found) == (expected == 200)


@pytest.mark.parametrize(("actor", "expected"), actor_params(CREATE))
def test_create(kb: Any, api_as: Any, actor: str | None, expected: int) -> None:
    ensure_same_unit_user(kb)
    client = api_as(actor)
    before = db_state()
    r = client.post(URL, {"area": kb.areas["Identitet"].pk, "title": "Ny", "body": "Text"})
    _check(r, expected)
    if expected != 201:
        assert_unchanged(before)


@pytest.mark.parametrize(("actor", "expected"), actor_params(CHANGE))
def test_change_publish_archive(kb: Any, api_as: Any, actor: str | None, expected: int) -> None:
    ensure_same_unit_user(kb)
    article = kb.article(MELLERUD_ARTICLE)
    client = api_as(actor)
    before = db_state()
    _check(
        client.patch(f"{URL}{article.pk}/", {"version": article.version, "title": "Ny"}), expected
    )
    if expected != 200:
        _check(client.post(f"{URL}{article.pk}/archive/", {"version": article.version}), expected)
        _check(client.post(f"{URL}{article.pk}/publish/", {"version": article.version}), expected)
        assert_unchanged(before)
    else:
        article.refresh_from_db()
        r = client.post(f"{URL}{article.pk}/archive/", {"version": article.version})
        assert r.status_code == 200


@pytest.mark.parametrize(("actor", "expected"), actor_params(ANSWER))
def test_feedback_and_deflection(kb: Any, api_as: Any, actor: str | None, expected: int) -> None:
    ensure_same_unit_user(kb)
    pk = kb.articles[MELLERUD_ARTICLE].pk
    client = api_as(actor)
    before = db_state()
    _check(client.post("/api/v1/knowledge/feedback/", {"article": pk, "helpful": True}), expected)
    _check(client.post("/api/v1/knowledge/deflections/", {"article": pk, "query": "x"}), expected)
    if expected != 201:
        assert_unchanged(before)


@pytest.mark.parametrize(("actor", "expected"), actor_params(WEB_READ))
def test_web_article_pages(kb: Any, web_as: Any, actor: str | None, expected: int) -> None:
    ensure_same_unit_user(kb)
    pk = kb.articles[MELLERUD_ARTICLE].pk
    client = web_as(actor)
    for url in (f"/hjalp/artiklar/{pk}/", f"/hjalp/artiklar/{pk}/versioner/",
                f"/hjalp/artiklar/{pk}/versioner/1/"):  # fmt: skip
        r = client.get(url)
        if expected == 302:
            assert_login_redirect(r, url)
        else:
            assert r.status_code == expected, url
    before = db_state()
    r = client.post(f"/hjalp/artiklar/{pk}/lost/", {"q": "mobil"})
    if expected == 200:
        assert r.status_code == 302
    else:
        assert r.status_code == expected
        assert_unchanged(before)


@pytest.mark.parametrize(("actor", "expected"), actor_params(WEB_MANAGE))
def test_web_staff_pages(kb: Any, web_as: Any, actor: str | None, expected: int) -> None:
    ensure_same_unit_user(kb)
    article = kb.article(MELLERUD_ARTICLE)
    client = web_as(actor)
    for url in ("/kunskapsbank/", "/kunskapsbank/ny/", f"/kunskapsbank/{article.pk}/andra/",
                f"/kunskapsbank/{article.pk}/aterkoppling/"):  # fmt: skip
        r = client.get(url)
        if expected == 302:
            assert_login_redirect(r, url)
        else:
            assert r.status_code == expected, url
    if expected != 200:
        before = db_state()
        r = client.post(f"/kunskapsbank/{article.pk}/arkivera/", {"version": article.version})
        assert r.status_code in (302, 404)
        assert_unchanged(before)
