"""The pages work with the Content-Security-Policy enforced, and the axe check itself works.

All other browser tests run in contexts with `bypass_csp=True` so that axe-core can be injected
(see helpers.check_a11y). This test uses a context *without* it, as a real visitor's browser:
any inline script or style, or any `eval` in htmx, would be refused and reported here.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from .helpers import check_a11y, login, url

pytestmark = pytest.mark.browser


@contextmanager
def csp_enforced_page(browser: Browser, site: str) -> Iterator[tuple[Page, list[str]]]:
    """A page as a visitor's browser has it (CSP enforced), and what the CSP or a script refused."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="sv-SE", bypass_csp=False
    )
    try:
        page = context.new_page()
        page.site = site  # type: ignore[attr-defined]
        problems: list[str] = []
        page.on(
            "console",
            lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None,
        )
        page.on("pageerror", lambda exc: problems.append(str(exc)))
        yield page, problems
    finally:
        context.close()


def test_pages_work_with_csp_enforced(browser: Browser, site: str) -> None:
    with csp_enforced_page(browser, site) as (page, problems):
        response = page.goto(url(page, "/konto/logga-in/"))
        assert response is not None
        csp = response.headers.get("content-security-policy", "")
        assert "script-src 'self'" in csp, csp
        login(page, "admin")

        # htmx is loaded from our origin and swaps the filtered table in place.
        page.goto(url(page, "/organisation/"))
        assert page.evaluate("typeof window.htmx") == "object"
        page.evaluate("window.__noFullReload = true")
        page.get_by_label("Typ").select_option(label="Kommun")
        expect(page.locator("#node-results caption")).to_have_text("5 träffar")
        expect(page.locator("#list-status")).to_have_text("5 träffar")
        assert page.evaluate("window.__noFullReload === true")

        for path in ["/", "/granskning/", "/it-organisation/", "/medlemskap/", "/konto/"]:
            page.goto(url(page, path))
        assert not problems, f"blocked by the Content-Security-Policy or failing: {problems}"


def test_api_docs_render_with_csp_enforced(browser: Browser, site: str) -> None:
    """Swagger UI (vendored, split view) starts from our own script, not an inline one."""
    with csp_enforced_page(browser, site) as (page, problems):
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(url(page, "/api/docs/"))
        # The page fetches /api/schema/, generated per request for some 260 operations: seconds
        # on a loaded CI machine, more than expect's default 5 s.
        expect(page.locator(".swagger-ui .info .title")).to_contain_text(
            "itfabrik API", timeout=30_000
        )
        expect(page.locator(".opblock-summary-path").first).to_be_visible()
        assert not problems, problems
        assert all(r.startswith(site) or r.startswith("data:") for r in requests), requests


def test_axe_check_reports_violations(page: Page) -> None:
    """Guard against a checker that silently passes everything."""
    page.goto(url(page, "/konto/logga-in/"))
    page.evaluate(
        """() => {
            const main = document.querySelector("main");
            main.insertAdjacentHTML("beforeend",
                '<img src="/static/itfabrik/favicon.svg"><input type="text" id="nolabel">'
                + '<p style="color:#bbb;background:#fff">Svag kontrast</p>');
        }"""
    )
    with pytest.raises(AssertionError) as failed:
        check_a11y(page)
    message: Any = str(failed.value)
    for rule in ("image-alt", "label", "color-contrast"):
        assert rule in message, message
    assert "#nolabel" in message


def test_node_search_field_works_with_csp_enforced(browser: Browser, site: str) -> None:
    """The search field (htmx with hx-vals, app.js) needs no inline script and no eval."""
    from .test_users import choose_node

    with csp_enforced_page(browser, site) as (page, problems):
        login(page, "admin")
        page.goto(url(page, "/konto/anvandare/ny/"))
        choose_node(
            page,
            "Arbetsplats",
            "hemtjänst mellerud",
            "Hemtjänst norr — Socialförvaltningen, Melleruds kommun",
        )
        assert not problems, f"blocked by the Content-Security-Policy or failing: {problems}"
