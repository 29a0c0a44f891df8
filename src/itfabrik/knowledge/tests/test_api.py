"""The knowledge API: search, audience per endpoint (404 outside it), staff writes with
versions, feedback, deflections, bad input, fixed query counts."""

from __future__ import annotations

from typing import Any

import pytest

from itfabrik.core.actors import SYSTEM
from itfabrik.core.tests import (
    MISSING_ID,
    assert_error,
    assert_unchanged,
    db_state,
    list_query_count,
)
from itfabrik.knowledge import services
from itfabrik.knowledge.models import ArticleRevision, Deflection

URL = "/api/v1/knowledge/articles/"


def test_list_searches_in_swedish_best_first(kb: Any, api_as: Any) -> None:
    r = api_as("anvandare-fargelanda").get(URL, {"q": "skrivarna"})
    assert r.status_code == 200
    rows = r.json()["results"]
    assert rows[0]["title"] == "Skrivaren skriver inte ut"
    assert {row["title"] for row in rows} == {
        "Skrivaren skriver inte ut",
        "Lägga till en skrivare på din dator",
        "Skriva ut lönespecifikation",
    }
    ranks = [row["rank"] for row in rows]
    assert ranks == sorted(ranks, reverse=True)


def test_list_without_q_is_the_readers_published_articles(kb: Any, api_as: Any) -> None:
    rows = api_as("anvandare-fargelanda").get(URL, {"page_size": 200}).json()["results"]
    titles = {row["title"] for row in rows}
    assert "Verksamhetssystem i Färgelanda: inloggning" in titles
    assert "Hemtjänstens mobiler i Mellerud" not in titles
    assert "Skrivarna i Åmåls stadshus" not in titles
    assert "Återställa MFA åt en användare" not in titles
    assert "Faxa från kontoret" not in titles
    assert {row["status"] for row in rows} == {"published"}
    assert {row["rank"] for row in rows} == {None}


@pytest.mark.parametrize(
    ("username", "title", "status"),
    [
        ("bestallare-mellerud", "Skrivarna i Åmåls stadshus", 404),
        ("bestallare-mellerud", "Återställa MFA åt en användare", 404),
        ("bestallare-mellerud", "Skärmen är svart efter dockning", 404),
        ("bestallare-mellerud", "Hemtjänstens mobiler i Mellerud", 200),
        ("anvandare-fargelanda", "Hemtjänstens mobiler i Mellerud", 404),
        ("agent", "Återställa MFA åt en användare", 200),
        ("agent", "Skärmen är svart efter dockning", 200),
        ("ekonom", "Återställa MFA åt en användare", 200),
        ("ekonom", "Skärmen är svart efter dockning", 404),
    ],
)
def test_get_answers_404_outside_the_audience(
    kb: Any, api_as: Any, username: str, title: str, status: int
) -> None:
    client = api_as(username)
    pk = kb.articles[title].pk
    assert client.get(f"{URL}{pk}/").status_code == status
    assert client.get(f"{URL}{pk}/revisions/").status_code == status
    if status == 404:
        assert_error(client.get(f"{URL}{pk}/"), 404, "not_found")
        before = db_state()
        assert (
            client.post("/api/v1/knowledge/feedback/", {"article": pk, "helpful": True}).status_code
            == 404
        )
        assert client.post("/api/v1/knowledge/deflections/", {"article": pk}).status_code == 404
        assert_unchanged(before)


def test_detail_renders_markdown_without_raw_html(kb: Any, api_as: Any) -> None:
    article = services.article_create(
        actor=SYSTEM,
        cooperation=kb.cooperation,
        area=kb.areas["IT-arbetsplats"],
        title="Test",
        body="## Rubrik\n\n<script>alert(1)</script> [x](javascript:alert(1)) **fet**",
        publish=True,
    )
    html = api_as("anvandare-fargelanda").get(f"{URL}{article.pk}/").json()["body_html"]
    assert "<h2>Rubrik</h2>" in html
    assert "<strong>fet</strong>" in html
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert 'href="javascript' not in html


def test_staff_create_update_publish_archive(kb: Any, api_as: Any) -> None:
    client = api_as("agent")
    r = client.post(
        URL,
        {
            "area": kb.areas["Identitet"].pk,
            "title": "Byta mobil med MFA",
            "body": "Registrera den nya mobilen först.",
            "audience": "municipality",
            "municipality": kb.node("Melleruds kommun").pk,
        },
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert (body["status"], body["revision"], body["municipality_name"]) == (
        "draft",
        0,
        "Melleruds kommun",
    )
    pk, version = body["id"], body["version"]
    r = client.post(f"{URL}{pk}/publish/", {"version": version})
    assert r.status_code == 200, r.content
    assert r.json()["revision"] == 1
    version = r.json()["version"]
    r = client.patch(f"{URL}{pk}/", {"version": version, "body": "Ny text."})
    assert r.status_code == 200, r.content
    assert r.json()["revision"] == 2
    # The same version again: someone else changed it in between.
    before = db_state()
    assert_error(client.patch(f"{URL}{pk}/", {"version": version, "body": "X"}), 409, "conflict")
    assert_unchanged(before)
    revisions = client.get(f"{URL}{pk}/revisions/").json()
    assert [r["number"] for r in revisions] == [2, 1]
    r = client.post(f"{URL}{pk}/archive/", {"version": version + 1})
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "archived"
    assert ArticleRevision.objects.filter(article_id=pk).count() == 2


@pytest.mark.parametrize("username", ["anvandare-fargelanda", "ekonom"])
def test_readers_may_not_write_and_nothing_changes(kb: Any, api_as: Any, username: str) -> None:
    client = api_as(username)
    article = kb.article("Byta lösenord")
    before = db_state()
    assert_error(
        client.post(URL, {"area": kb.areas["Identitet"].pk, "title": "X", "body": "Y"}),
        403,
        "forbidden",
    )
    assert_error(
        client.patch(f"{URL}{article.pk}/", {"version": article.version, "title": "X"}),
        403,
        "forbidden",
    )
    assert_error(
        client.post(f"{URL}{article.pk}/archive/", {"version": article.version}), 403, "forbidden"
    )
    assert_unchanged(before)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"title": "", "body": "x"}, "title"),
        ({"title": "x", "body": ""}, "body"),
        ({"title": "x", "body": "y", "audience": "alla"}, "audience"),
        ({"title": "x", "body": "y", "audience": "municipality"}, "municipality"),
        ({"title": "x", "body": "y", "area": MISSING_ID}, "area"),
        (
            {"title": "x", "body": "y", "municipality": MISSING_ID, "audience": "municipality"},
            "municipality",
        ),
        ({"title": "x" * 201, "body": "y"}, "title"),
    ],
)
def test_bad_input_names_the_field_in_both_languages(
    kb: Any, api_as: Any, data: dict[str, Any], field: str
) -> None:
    payload = {"area": kb.areas["Identitet"].pk, **data}
    client = api_as("agent")
    before = db_state()
    error = assert_error(client.post(URL, payload), 400, "invalid")
    assert field in error["fields"], error
    assert set(error["fields"][field][0]["messages"]) == {"sv", "en"}
    assert_unchanged(before)


def test_bad_query_parameters(kb: Any, api_as: Any) -> None:
    client = api_as("agent")
    assert_error(client.get(URL, {"q": "x" * 201}), 400, "invalid")
    assert_error(client.get(URL, {"status": "borta"}), 400, "invalid")
    assert_error(client.get(URL, {"area": "ett"}), 400, "invalid")
    assert client.get(URL, {"q": "och"}).json()["count"] == 0


def test_feedback_and_deflection(kb: Any, api_as: Any) -> None:
    client = api_as("anvandare-fargelanda")
    article = kb.article("Ansluta till wifi Dalsland")
    r = client.post(
        "/api/v1/knowledge/feedback/", {"article": article.pk, "helpful": False, "comment": "Nej"}
    )
    assert r.status_code == 201, r.content
    assert r.json()["revision_number"] == 2
    r = client.post("/api/v1/knowledge/feedback/", {"article": article.pk, "helpful": True})
    assert r.status_code == 201
    assert r.json()["helpful"] is True
    # Feedback is read by the writers only.
    assert client.get("/api/v1/knowledge/feedback/").json()["count"] == 0
    staff = api_as("agent").get("/api/v1/knowledge/feedback/").json()["results"]
    assert any(row["article"] == article.pk and row["helpful"] for row in staff)
    assert_error(
        client.post("/api/v1/knowledge/feedback/", {"article": article.pk, "helpful": "kanske"}),
        400,
        "invalid",
    )

    r = client.post("/api/v1/knowledge/deflections/", {"article": article.pk, "query": "wifi"})
    assert r.status_code == 201, r.content
    d = Deflection.objects.get(pk=r.json()["id"])
    assert (d.query, d.municipality.name) == ("wifi", "Färgelanda kommun")  # type: ignore[union-attr]
    assert [
        row["id"] for row in client.get("/api/v1/knowledge/deflections/").json()["results"]
    ] == [d.pk]
    assert api_as("anvandare-bengtsfors").get("/api/v1/knowledge/deflections/").json()["count"] == 0


def test_anonymous_gets_401(kb: Any, api_as: Any) -> None:
    client = api_as(None)
    assert client.get(URL).status_code == 401
    assert client.post("/api/v1/knowledge/deflections/", {"article": 1}).status_code == 401


@pytest.mark.parametrize("params", [{}, {"q": "skrivare"}])
def test_list_query_count_does_not_grow(kb: Any, api_as: Any, params: dict[str, str]) -> None:
    client = api_as("agent")
    queries, rows = list_query_count(client, URL, **params)
    for i in range(15):
        services.article_create(
            actor=SYSTEM,
            cooperation=kb.cooperation,
            area=kb.areas["IT-arbetsplats"],
            title=f"Skrivare {i}",
            body="Skrivaren på plan 2.",
            audience="municipality" if i % 2 else "everyone",
            municipality=kb.node("Åmåls kommun") if i % 2 else None,
            publish=True,
        )
    more_queries, more_rows = list_query_count(client, URL, **params)
    assert more_rows == rows + 15
    assert more_queries == queries
