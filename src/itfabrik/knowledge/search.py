"""Ranked Swedish full-text search of articles on PostgreSQL and SQLite (ADR 0021).

PostgreSQL: `to_tsvector('swedish', …)` of title (weight A), summary (B) and body (C), matched
with `to_tsquery('swedish', …)` and ranked with `ts_rank`; the GIN index of migration 0002 is
built on exactly the expression `search_vector()` returns, so the planner can use it.

SQLite: the FTS5 table `knowledge_article_fts` (rowid = article id) holds the Snowball stems of
the same three columns (`text.stemmed`); the services call `index_article` after every write.
The query is stemmed the same way and ranked with `bm25` and the same column weights.

Both match every word of the query as a prefix, so suggestions work while the user types.
"""

from __future__ import annotations

from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, FloatField, QuerySet
from django.db.models.expressions import CombinedExpression, RawSQL

from . import text

FTS_TABLE = "knowledge_article_fts"
INDEX_NAME = "knowledge_article_search"
CONFIG = "swedish"
# bm25 column weights on SQLite, in the proportion of PostgreSQL's default A/B/C weights.
_BM25_WEIGHTS = "10.0, 4.0, 2.0"


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def search_vector() -> CombinedExpression:
    """The Swedish search vector of an article. The GIN index is built on this same expression."""
    return (
        SearchVector("title", weight="A", config=CONFIG)
        + SearchVector("summary", weight="B", config=CONFIG)
        + SearchVector("body", weight="C", config=CONFIG)
    )


def search(queryset: QuerySet[Any], query: str) -> QuerySet[Any] | None:
    """The articles of `queryset` matching `query`, annotated with `rank` (higher is better).

    None when the query holds no searchable word (only stop words or punctuation): the caller
    decides what an empty search shows.
    """
    if is_postgresql():
        raw = text.tsquery(query)
        if raw is None:
            return None
        ts_query = SearchQuery(raw, search_type="raw", config=CONFIG)
        return (
            queryset.annotate(search_document=search_vector())
            .filter(search_document=ts_query)
            .annotate(rank=SearchRank(F("search_document"), ts_query))
        )
    match = text.fts5_match(query)
    if match is None:
        return None
    table = queryset.model._meta.db_table
    # The table names are constants of this module; the query is always a parameter.
    matching = RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", (match,))  # noqa: S608, S611
    # bm25 is lower for a better match; negated so that higher is better on both databases.
    rank_sql = (
        f"SELECT -bm25({FTS_TABLE}, {_BM25_WEIGHTS}) FROM {FTS_TABLE} "  # noqa: S608
        f"WHERE {FTS_TABLE} MATCH %s AND rowid = {table}.id"
    )
    rank = RawSQL(  # noqa: S611
        rank_sql,
        (match,),
        output_field=FloatField(),
    )
    return queryset.filter(pk__in=matching).annotate(rank=rank)


def index_article(*, pk: int, title: str, summary: str, body: str) -> None:
    """Keep the SQLite index in step with the article (PostgreSQL indexes by itself)."""
    if is_postgresql():
        return
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [pk])  # noqa: S608
        cursor.execute(
            _INSERT,
            [pk, text.stemmed(title), text.stemmed(summary), text.stemmed(body)],
        )


def rebuild() -> int:
    """Refill the SQLite index from the articles (after a restore with `loaddata`, which writes
    rows without the services). Returns the number of articles indexed; 0 on PostgreSQL."""
    if is_postgresql():
        return 0
    from .models import Article

    rows = list(Article.objects.values_list("pk", "title", "summary", "body"))
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {FTS_TABLE}")  # noqa: S608
        cursor.executemany(
            _INSERT,
            [(pk, text.stemmed(t), text.stemmed(s), text.stemmed(b)) for pk, t, s, b in rows],
        )
    return len(rows)


_INSERT = f"INSERT INTO {FTS_TABLE} (rowid, title, summary, body) VALUES (%s, %s, %s, %s)"  # noqa: S608


# --- the migration's operations ---------------------------------------------------------------


def create_index(apps: Any, schema_editor: Any) -> None:
    """Migration 0002: the search index of whichever database this is."""
    article = apps.get_model("knowledge", "Article")
    if schema_editor.connection.vendor == "postgresql":
        from django.contrib.postgres.indexes import GinIndex

        schema_editor.add_index(article, GinIndex(search_vector(), name=INDEX_NAME))
    elif schema_editor.connection.vendor == "sqlite":
        # Stems are stored, so the tokenizer must keep å, ä and ö apart from a, o.
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5("
            "title, summary, body, tokenize = 'unicode61 remove_diacritics 0')"
        )
        for row in article.objects.values("pk", "title", "summary", "body"):
            schema_editor.execute(
                _INSERT,
                [
                    row["pk"],
                    text.stemmed(row["title"]),
                    text.stemmed(row["summary"]),
                    text.stemmed(row["body"]),
                ],
            )


def drop_index(apps: Any, schema_editor: Any) -> None:
    article = apps.get_model("knowledge", "Article")
    if schema_editor.connection.vendor == "postgresql":
        from django.contrib.postgres.indexes import GinIndex

        schema_editor.remove_index(article, GinIndex(search_vector(), name=INDEX_NAME))
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
