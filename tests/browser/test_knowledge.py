"""The help page as Färgelanda's portal user meets it: type "skrivare", hear and see the
suggestions, open an article, and say that it solved the problem; axe-core on every page, on a
desktop and at 375 px."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .helpers import check_a11y, login, screenshot, url

pytestmark = pytest.mark.browser


@pytest.fixture
def search_index(site: str) -> None:
    # The browser tests restore the demo with loaddata, which bypasses the services that keep
    # SQLite's FTS5 table in step; rebuild it as an operator would after a restore.
    from itfabrik.knowledge import search

    search.rebuild()


@pytest.mark.parametrize("width", [1280, 375], ids=["desktop", "375px"])
def test_user_finds_an_article_and_it_solves_the_problem(
    page: Page, search_index: None, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    login(page, "anvandare-fargelanda")
    page.goto(url(page, "/hjalp/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Hjälp")
    check_a11y(page)

    box = page.get_by_role("searchbox", name="Vad behöver du hjälp med?")
    box.press_sequentially("skrivare", delay=30)
    # The count is announced in the live region; the suggestions are links.
    expect(page.locator("#help-suggestions-status")).to_have_text("3 förslag")
    suggestions = page.get_by_role("list", name="Förslag")
    expect(suggestions.get_by_role("link")).to_have_count(3)
    expect(suggestions.get_by_role("link", name="Skrivaren skriver inte ut")).to_be_visible()
    # Neither another municipality's nor the staff's printer articles.
    expect(page.get_by_text("Skrivarna i Åmåls stadshus")).to_have_count(0)
    check_a11y(page)
    if width == 375:
        overflow = page.evaluate("document.documentElement.scrollWidth")
        assert overflow <= 375, f"the help page is {overflow}px wide"
    screenshot(page, f"knowledge-help-{width}")

    # From the keyboard: Tab from the search box reaches the first suggestion.
    box.press("Tab")
    expect(page.get_by_role("button", name="Sök")).to_be_focused()
    page.keyboard.press("Tab")
    expect(suggestions.get_by_role("link").first).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Skrivaren skriver inte ut")
    expect(page.get_by_text("Version 1 av")).to_be_visible()
    check_a11y(page)
    if width == 375:
        overflow = page.evaluate("document.documentElement.scrollWidth")
        assert overflow <= 375, f"the article page is {overflow}px wide"

    page.get_by_role("button", name="Det här löste mitt problem").click()
    expect(page.get_by_role("status")).to_contain_text("Skönt att det löste sig!")
    check_a11y(page)

    from itfabrik.knowledge.models import Deflection

    deflection = Deflection.objects.select_related("user", "article").get()
    assert deflection.user.username == "anvandare-fargelanda"
    assert deflection.article.title == "Skrivaren skriver inte ut"
    assert deflection.query == "skrivare"
