"""Pure text rules of the knowledge base (no Django): Swedish words for search, and the safe
Markdown subset articles are written in.

Search (ADR 0021): PostgreSQL's `swedish` text-search configuration is the Snowball Swedish
stemmer with the Snowball Swedish stop list. On SQLite the same two are applied here, in
Python, to both the indexed text and the query, so "skrivare", "skrivaren" and "skrivarna" all
become "skriv" on either database.
"""

from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer
from markdown_it import MarkdownIt

# The Snowball Swedish stop list, the one PostgreSQL's `swedish` configuration uses
# (tsearch_data/swedish.stop): words too common to search for are dropped on both databases.
STOP_WORDS = frozenset(
    """
    och det att i en jag hon som han på den med var sig för så till är men ett om hade de av
    icke mig du henne då sin nu har inte hans honom skulle hennes där min man ej vid kunde
    något från ut när efter upp vi dem vara vad över än dig kan sina här ha mot alla under
    någon eller allt mycket sedan ju denna själv detta åt utan varit hur ingen mitt ni bli
    blev oss din dessa några deras blir mina samma vilken er sådan vår blivit dess inom
    mellan sådant varför varje vilka ditt vem vilket sitta sådana vart dina vars vårt våra
    ert era vilkas
    """.split()  # noqa: SIM905  (the list as Snowball prints it)
)

# Letters and digits; underscores and punctuation separate words, as PostgreSQL's parser does.
_WORD = re.compile(r"[^\W_]+")

# Longest query we look at: a search box, not a document.
MAX_QUERY_WORDS = 12


@lru_cache(maxsize=1)
def _stemmer() -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer("swedish")


def words(text: str) -> list[str]:
    """The searchable words of a text: lower-cased, stop words removed, in order."""
    return [w for w in _WORD.findall(text.lower()) if w not in STOP_WORDS]


def stems(text: str) -> list[str]:
    return list(_stemmer().stemWords(words(text)))


def stemmed(text: str) -> str:
    """The text as the SQLite index stores it: its stems separated by spaces."""
    return " ".join(stems(text))


def query_words(query: str) -> list[str]:
    """The words of a search query (at most MAX_QUERY_WORDS), before stemming."""
    return words(query)[:MAX_QUERY_WORDS]


def fts5_match(query: str) -> str | None:
    """An FTS5 MATCH expression: every stem of the query, each as a prefix (the user may still
    be typing the last word). None when the query has no searchable word."""
    terms = _stemmer().stemWords(query_words(query))
    if not terms:
        return None
    # A stem is letters and digits only, so quoting it cannot break out of the string.
    return " ".join(f'"{t}"*' for t in terms)


def tsquery(query: str) -> str | None:
    """A PostgreSQL `to_tsquery('swedish', …)` text with the same meaning as `fts5_match`:
    every word as a prefix, all required. PostgreSQL stems each word itself."""
    terms = query_words(query)
    if not terms:
        return None
    return " & ".join(f"'{t}':*" for t in terms)


# --- Markdown --------------------------------------------------------------------------------

# CommonMark with raw HTML switched off: `<script>` in an article is shown as text. Links with
# javascript:, vbscript:, file: or data: (other than images) are refused by markdown-it itself.
_MARKDOWN = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_MARKDOWN.disable("image")  # no remote images: no request to anywhere but our own origin


def render_markdown(text: str) -> str:
    """HTML for an article body written in the safe Markdown subset (headings, lists, emphasis,
    links, code, quotes). Raw HTML is escaped, never passed through."""
    return _MARKDOWN.render(text)
