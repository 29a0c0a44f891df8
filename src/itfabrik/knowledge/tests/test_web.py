"""The help pages and the staff screens through the Django client: search without JavaScript,
suggestions as an HTMX fragment, "this solved it", feedback, writing, CSV, query counts."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from itfabrik.core.actors import SYSTEM
from itfabrik.core.tests import assert_unchanged, db_state, page_query_count
from itfabrik.knowledge import hooks, services
from itfabrik.knowledge.models import Article, ArticleFeedback, ArticleRevision, Deflection


def test_help_page_searches_without_javascript(kb: Any, web_as: Any) -> None:
    r = web_as("anvandare-fargelanda").get("/hjalp/", {"q": "skrivarna"})
    assert r.status_code == 200
    html = r.content.decode()
    assert "3 artiklar om ”skrivarna”" in html
    assert "Skrivaren skriver inte ut" in html
    assert "Skrivarna i Åmåls stadshus" not in html
    assert 'role="search"' in html
    assert 'aria-live="polite"' in html


def test_suggestions_fragment_counts_for_screen_readers(kb: Any, web_as: Any) -> None:
    client = web_as("anvandare-fargelanda")
    r = client.get("/hjalp/forslag/", {"q": "skrivare"}, HTTP_HX_REQUEST="true")
    html = r.content.decode()
    assert 'id="help-suggestions-status" hx-swap-oob="innerHTML">3 förslag' in html
    assert html.count("<li>") == 3
    assert f"/hjalp/artiklar/{kb.articles['Skrivaren skriver inte ut'].pk}/?q=skrivare" in html
    none = client.get("/hjalp/forslag/", {"q": "qwerty"}, HTTP_HX_REQUEST="true").content.decode()
    assert "0 förslag" in none
    # Without HTMX the same address is the plain search page.
    plain = client.get("/hjalp/forslag/", {"q": "skrivare"})
    assert plain.status_code == 302
    assert plain["Location"] == "/hjalp/?q=skrivare"


def test_deflection_from_the_article_page(kb: Any, web_as: Any) -> None:
    client = web_as("anvandare-fargelanda")
    article = kb.articles["Skrivaren skriver inte ut"]
    page = client.get(f"/hjalp/artiklar/{article.pk}/", {"q": "skrivare"}).content.decode()
    assert "Det här löste mitt problem" in page
    assert 'name="q" value="skrivare"' in page
    assert "Version 1 av" in page
    r = client.post(f"/hjalp/artiklar/{article.pk}/lost/", {"q": "skrivare"}, follow=True)
    assert "Skönt att det löste sig!" in r.content.decode()
    d = Deflection.objects.get(article=article)
    assert (d.user.username, d.query, d.municipality.name) == (  # type: ignore[union-attr]
        "anvandare-fargelanda",
        "skrivare",
        "Färgelanda kommun",
    )


def test_feedback_form(kb: Any, web_as: Any) -> None:
    client = web_as("anvandare-fargelanda")
    article = kb.articles["Teams-möte utan ljud"]
    before = db_state()
    r = client.post(f"/hjalp/artiklar/{article.pk}/aterkoppling/", {"comment": "?"})
    assert r.status_code == 400
    assert "Hjälpte det här?" in r.content.decode()
    assert_unchanged(before)
    r = client.post(
        f"/hjalp/artiklar/{article.pk}/aterkoppling/", {"helpful": "no", "comment": "Fel mikrofon"}
    )
    assert r.status_code == 302
    fb = ArticleFeedback.objects.get(article=article)
    assert (fb.helpful, fb.comment) == (False, "Fel mikrofon")
    page = client.get(f"/hjalp/artiklar/{article.pk}/").content.decode()
    assert "Du har svarat nej" in page


def test_markdown_is_rendered_without_raw_html(kb: Any, web_as: Any) -> None:
    article = services.article_create(
        actor=SYSTEM,
        cooperation=kb.cooperation,
        area=kb.areas["IT-arbetsplats"],
        title="Markdown",
        body="1. **Ett**\n2. Två\n\n<img src=x onerror=alert(1)>",
        publish=True,
    )
    html = web_as("anvandare-fargelanda").get(f"/hjalp/artiklar/{article.pk}/").content.decode()
    assert "<ol>" in html
    assert "<strong>Ett</strong>" in html
    assert "<img" not in html


def test_report_problem_slot_uses_the_registered_link(kb: Any, web_as: Any) -> None:
    client = web_as("anvandare-fargelanda")
    registered = list(hooks._report_problem)
    # Without a registered link (no service desk installed) the slot says whom to contact.
    hooks._report_problem.clear()
    try:
        assert "Kontakta servicedesken" in client.get("/hjalp/").content.decode()
    finally:
        hooks._report_problem[:] = registered
    link = hooks.register_report_problem(lambda request, article, q: f"/rapportera/?q={q}")
    try:
        html = client.get("/hjalp/", {"q": "wifi"}).content.decode()
        assert 'href="/rapportera/?q=wifi"' in html
        assert "Anmäl ett problem" in html
    finally:
        hooks._report_problem.remove(link)


def test_staff_create_then_edit_publishes_a_new_version(kb: Any, web_as: Any) -> None:
    client = web_as("agent")
    r = client.post(
        "/kunskapsbank/ny/",
        {
            "title": "Skanna till e-post",
            "summary": "",
            "body": "Välj **Skanna** på skrivaren.",
            "area": kb.areas["IT-arbetsplats"].pk,
            "audience": "everyone",
            "municipality": "",
            "publish": "1",
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    article = Article.objects.get(title="Skanna till e-post")
    assert article.revision == 1
    edit_url = f"/kunskapsbank/{article.pk}/andra/"
    form = {
        "title": "Skanna till e-post",
        "summary": "Skanna direkt till din inkorg.",
        "body": "Välj **Skanna till e-post** på skrivaren.",
        "area": kb.areas["IT-arbetsplats"].pk,
        "audience": "everyone",
        "municipality": "",
        "version": article.version,
    }
    r = client.post(edit_url, form, follow=True)
    assert "Ändringen är publicerad som version 2." in r.content.decode()
    assert ArticleRevision.objects.filter(article=article).count() == 2
    # The same form again (a double submit, or a colleague's stale page): told, nothing lost.
    before = db_state()
    r = client.post(edit_url, {**form, "body": "Annat"})
    assert r.status_code == 200
    assert "Någon annan har ändrat" in r.content.decode()
    assert_unchanged(before)


def test_staff_form_names_bad_fields(kb: Any, web_as: Any) -> None:
    client = web_as("agent")
    before = db_state()
    r = client.post(
        "/kunskapsbank/ny/",
        {
            "title": "",
            "body": "x",
            "area": kb.areas["IT-arbetsplats"].pk,
            "audience": "municipality",
        },
    )
    html = r.content.decode()
    assert r.status_code == 200
    assert "Rubrik: Det här fältet är obligatoriskt." in html
    assert_unchanged(before)
    r = client.post(
        "/kunskapsbank/ny/",
        {
            "title": "T",
            "body": "x",
            "area": kb.areas["IT-arbetsplats"].pk,
            "audience": "municipality",
        },
    )
    assert "Ange vilken kommun artikeln är för." in r.content.decode()
    assert_unchanged(before)


def test_archive_from_the_article_page(kb: Any, web_as: Any) -> None:
    client = web_as("agent")
    article = kb.article("Gästnätverk för besökare")
    r = client.post(
        f"/kunskapsbank/{article.pk}/arkivera/", {"version": article.version}, follow=True
    )
    assert "Artikeln är arkiverad." in r.content.decode()
    assert web_as("anvandare-fargelanda").get(f"/hjalp/artiklar/{article.pk}/").status_code == 404


def test_staff_list_filters_sorts_and_exports(kb: Any, web_as: Any) -> None:
    client = web_as("agent")
    html = client.get("/kunskapsbank/", {"status": "draft"}).content.decode()
    assert "Skärmen är svart efter dockning" in html
    assert "Byta lösenord" not in html
    r = client.get("/kunskapsbank/", {"q": "lösenord", "ordering": "title", "format": "csv"})
    assert r["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:2] == ["Id", "Rubrik"]
    # The search ranks first; the chosen order breaks ties.
    assert {row[1] for row in rows[1:]} == {
        "Byta lösenord",
        "Glömt lösenord eller kontot är låst",
        "Ansluta till wifi Dalsland",
        "Ny medarbetare: konto och dator",
    }


@pytest.mark.parametrize("url", ["/kunskapsbank/", "/hjalp/", "/hjalp/?q=skrivare"])
def test_list_query_counts_do_not_grow(kb: Any, web_as: Any, url: str) -> None:
    client = web_as("agent")
    queries, _r = page_query_count(client, url)
    for i in range(12):
        services.article_create(
            actor=SYSTEM,
            cooperation=kb.cooperation,
            area=kb.areas["Infrastruktur"],
            title=f"Skrivare på plan {i}",
            body="Skrivaren står vid hissen.",
            audience="municipality" if i % 2 else "everyone",
            municipality=kb.node("Melleruds kommun") if i % 2 else None,
            owner=kb.user("tekniker"),
            publish=True,
        )
    more, _r = page_query_count(client, url)
    assert more == queries
