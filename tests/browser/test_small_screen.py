"""A phone-sized window (320 CSS pixels, WCAG 1.4.10 Reflow): no sideways scrolling of the page,
wide tables scroll inside their own keyboard-reachable region, and axe still passes."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .helpers import check_a11y, login, url, visit

pytestmark = pytest.mark.browser


def _assert_reflows(page: Page) -> None:
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    if overflow > 0:
        culprits = page.evaluate(
            """() => {
                const w = document.documentElement.clientWidth, out = [];
                for (const el of document.querySelectorAll("body *")) {
                    const inBox = el.parentElement && el.parentElement.closest(".table-scroll");
                    const wide = el.getBoundingClientRect().right > w + 1
                        || (el.scrollWidth > el.clientWidth + 1 && !el.matches(".table-scroll"));
                    if (wide && !inBox && !el.matches("html, body, main")) {
                        out.push(el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
                                 + (el.className ? "." + el.className : ""));
                    }
                }
                return out.slice(0, 8);
            }"""
        )
        raise AssertionError(
            f"{page.url}: the page scrolls sideways by {overflow}px at 320px; too wide: {culprits}"
        )


def test_pages_reflow_at_320px(page: Page) -> None:
    page.set_viewport_size({"width": 320, "height": 640})
    visit(page, "/konto/logga-in/")
    _assert_reflows(page)
    login(page, "admin")
    municipality = page.get_by_role("table", name="Kommunerna i samverkan").get_by_role("link")
    href = municipality.first.get_attribute("href")
    for path in [
        "/",
        "/organisation/",
        href,
        "/it-organisation/",
        "/medlemskap/",
        "/granskning/",
        "/konto/",
        "/konto/anvandare/",
        "/tillganglighet/",
    ]:
        assert path
        visit(page, path)
        _assert_reflows(page)
    # A person's page, with the role table and the form to grant a role.
    page.goto(url(page, "/konto/anvandare/?q=bengtsfors"))
    page.locator("main table").get_by_role("link", name="Björn Ek").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Björn Ek")
    check_a11y(page)
    _assert_reflows(page)

    # On the IT organisation page the team tables are wider than the screen: each scrolls in its
    # own region, which app.js makes keyboard-reachable and names after the table.
    visit(page, "/it-organisation/")
    region = page.get_by_role("region", name="2:a linjen")
    expect(region).to_have_attribute("tabindex", "0")
    region.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("End")
    expect(region).to_be_focused()
    page.wait_for_function("document.activeElement.scrollLeft > 0")
