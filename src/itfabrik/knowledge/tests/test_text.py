"""The pure text rules: Swedish stems, stop words, and query expressions that user input can
never break out of (hypothesis)."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from itfabrik.knowledge import text

FTS5_TERM = re.compile(r'^"[^\W_]+"\*$')
TSQUERY_TERM = re.compile(r"^'[^\W_]+':\*$")


def test_forms_of_a_word_share_a_stem() -> None:
    assert set(text.stems("skrivare skrivaren skrivarna")) == {"skriv"}
    assert text.stems("Och det är skrivaren") == ["skriv"]


@given(st.text())
def test_fts5_match_is_only_quoted_prefix_terms(query: str) -> None:
    match = text.fts5_match(query)
    if match is None:
        assert text.query_words(query) == []
        return
    terms = match.split(" ")
    assert 1 <= len(terms) <= text.MAX_QUERY_WORDS
    assert all(FTS5_TERM.match(t) for t in terms), match


@given(st.text())
def test_tsquery_is_only_quoted_prefix_terms(query: str) -> None:
    raw = text.tsquery(query)
    if raw is None:
        assert text.query_words(query) == []
        return
    terms = raw.split(" & ")
    assert 1 <= len(terms) <= text.MAX_QUERY_WORDS
    assert all(TSQUERY_TERM.match(t) for t in terms), raw


@given(st.text())
def test_stop_words_never_reach_a_query(query: str) -> None:
    assert not set(text.query_words(query)) & text.STOP_WORDS


def test_markdown_escapes_html_and_refuses_script_links() -> None:
    html = text.render_markdown("<b>x</b> [a](javascript:alert(1)) ![i](http://e.example/i.png)")
    assert "<b>" not in html
    assert "&lt;b&gt;" in html
    assert 'href="javascript' not in html
    assert "<img" not in html
