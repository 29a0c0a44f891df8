"""Where other apps plug into the help pages without the knowledge base importing them.

The service desk (an app above this one) registers the "Anmäl ett problem" link with
`register_report_problem`; the help page and the article page show it in their
`report_problem` block, carrying what the person searched for and read. Until an app
registers one, the block says to contact the service desk.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# (request, article or None, query) -> the URL of the report form, or None to show nothing.
ReportProblemLink = Callable[[Any, Any, str], str | None]

_report_problem: list[ReportProblemLink] = []


def register_report_problem(link: ReportProblemLink) -> ReportProblemLink:
    """Register the function giving the "report a problem" URL (the last one registered wins)."""
    _report_problem.append(link)
    return link


def report_problem_url(request: Any, article: Any = None, query: str = "") -> str | None:
    if not _report_problem:
        return None
    return _report_problem[-1](request, article, query)


# --- known errors (ADR 0039) ---------------------------------------------------------------------
# A known-error article names the problem ticket it was published from; the service desk
# registers the function that links staff from the article to that ticket. It answers None for
# ordinary articles and for people who may not open the ticket.

# (request, article) -> (label, url), or None.
ArticleSourceLink = Callable[[Any, Any], tuple[str, str] | None]

_article_source: list[ArticleSourceLink] = []


def register_article_source(link: ArticleSourceLink) -> ArticleSourceLink:
    """Register the function giving the link to an article's source (the last one wins)."""
    _article_source[:] = [link]
    return link


def article_source_link(request: Any, article: Any) -> tuple[str, str] | None:
    if not _article_source:
        return None
    return _article_source[0](request, article)
