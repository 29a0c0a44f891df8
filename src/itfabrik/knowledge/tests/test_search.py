"""Swedish full-text search: the same answers on SQLite (FTS5 + Snowball in Python) and on
PostgreSQL (to_tsvector('swedish') + GIN), within the reader's audience. The expected titles are
written out, so a difference between the databases fails on one of the two CI runs."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from itfabrik.core.actors import SYSTEM
from itfabrik.knowledge import search, selectors, services

PRINTER_FOR_EVERYONE = {
    "Skrivaren skriver inte ut",
    "Lägga till en skrivare på din dator",
    # "skriva" has the same stem as "skrivare" ("skriv").
    "Skriva ut lönespecifikation",
}
PRINTER_STAFF_ONLY = {"Skrivarserver: starta om utskriftskön", "Skrivarna i Åmåls stadshus"}


def titles(actor: Any, q: str) -> set[str]:
    return {a.title for a in selectors.article_list(actor=actor, q=q)}


@pytest.mark.parametrize("q", ["skrivare", "skrivaren", "skrivarna", "Skrivare", "SKRIVAREN"])
def test_every_form_of_a_word_finds_every_other(kb: Any, q: str) -> None:
    assert titles(kb.user("anvandare-fargelanda"), q) == PRINTER_FOR_EVERYONE


def test_the_last_word_is_a_prefix_while_typing(kb: Any) -> None:
    assert titles(kb.user("anvandare-fargelanda"), "skri") == PRINTER_FOR_EVERYONE
    assert titles(kb.user("anvandare-fargelanda"), "lösen") == {
        "Byta lösenord",
        "Glömt lösenord eller kontot är låst",
        "Ansluta till wifi Dalsland",
        "Ny medarbetare: konto och dator",
    }


def test_every_word_must_match(kb: Any) -> None:
    assert titles(kb.user("anvandare-fargelanda"), "teams ljud") == {"Teams-möte utan ljud"}
    assert titles(kb.user("anvandare-fargelanda"), "skrivare wifi") == set()


def test_best_match_first(kb: Any) -> None:
    found = list(selectors.article_list(actor=kb.user("anvandare-fargelanda"), q="skrivaren"))
    # The title says it twice and the text many times.
    assert found[0].title == "Skrivaren skriver inte ut"
    assert found[0].rank >= found[1].rank >= found[2].rank


@pytest.mark.parametrize("q", ["och", "det är", "?!"])
def test_a_query_of_stop_words_or_punctuation_finds_nothing(kb: Any, q: str) -> None:
    assert titles(kb.user("agent"), q) == set()


def test_search_keeps_to_the_audience(kb: Any) -> None:
    # An end user of Färgelanda: nothing for staff, Åmål or Mellerud only.
    assert titles(kb.user("anvandare-fargelanda"), "skrivare") == PRINTER_FOR_EVERYONE
    assert titles(kb.user("anvandare-fargelanda"), "mobiler hemtjänst") == set()
    assert titles(kb.user("bestallare-mellerud"), "mobiler hemtjänst") == {
        "Hemtjänstens mobiler i Mellerud"
    }
    assert titles(kb.user("anvandare-fargelanda"), "omsorg inloggning") == {
        "Verksamhetssystem i Färgelanda: inloggning"
    }
    # Staff of the joint organisation read every audience.
    assert titles(kb.user("agent"), "skrivare") == PRINTER_FOR_EVERYONE | PRINTER_STAFF_ONLY


def test_drafts_and_archived_are_not_found_by_readers(kb: Any) -> None:
    assert titles(kb.user("anvandare-fargelanda"), "fax") == set()
    assert titles(kb.user("anvandare-fargelanda"), "dockning") == set()
    assert titles(kb.user("agent"), "fax") == {"Faxa från kontoret"}


def test_the_index_follows_every_edit(kb: Any) -> None:
    article = kb.article("Teams-möte utan ljud")
    services.article_update(
        actor=SYSTEM,
        article=article,
        expected_version=article.version,
        title="Videomöte utan ljud",
        body="Välj rätt högtalare i mötet.",
    )
    user = kb.user("anvandare-fargelanda")
    assert titles(user, "teams") == set()
    assert titles(user, "videomöte högtalaren") == {"Videomöte utan ljud"}


def test_a_new_article_is_found_at_once(kb: Any) -> None:
    services.article_create(
        actor=SYSTEM,
        cooperation=kb.cooperation,
        area=kb.areas["IT-arbetsplats"],
        title="Dockningsstationer på hemtjänstkontoren",
        body="Alla kontor har dockningsstationer.",
        publish=True,
    )
    assert titles(kb.user("anvandare-fargelanda"), "dockningsstation") == {
        "Dockningsstationer på hemtjänstkontoren"
    }


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the GIN index is PostgreSQL's")
def test_postgresql_uses_the_gin_index(kb: Any) -> None:
    from itfabrik.knowledge.models import Article

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = search.search(Article.objects.all(), "skrivare").explain()  # type: ignore[union-attr]
    assert search.INDEX_NAME in plan, plan


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 table is SQLite's")
def test_sqlite_index_can_be_rebuilt_from_the_articles(kb: Any) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {search.FTS_TABLE}")
    assert titles(kb.user("anvandare-fargelanda"), "skrivare") == set()
    assert search.rebuild() == len(kb.articles)
    assert titles(kb.user("anvandare-fargelanda"), "skrivare") == PRINTER_FOR_EVERYONE


WORDS = (
    "skrivare skrivaren skrivarna skriva lösenord lösenordet lösenorden datorn datorer "
    "ansluta anslutningen mötet möten högtalaren multifaktorautentisering inloggningen "
    "beställa beställningar kontot konton nätverket trådlösa"
)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="compares with PostgreSQL's stemmer")
def test_python_stems_as_postgresql_does(db: Any) -> None:
    """The SQLite side stems with the Snowball release PostgreSQL ships: if either moves on, this
    fails before the two databases start to answer differently."""
    from itfabrik.knowledge import text

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT word FROM ts_stat(%s)", [f"SELECT to_tsvector('swedish', '{WORDS}')"]
        )
        postgres = {row[0] for row in cursor.fetchall()}
    assert set(text.stems(WORDS)) == postgres
