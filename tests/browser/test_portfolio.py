"""The digitalisation portfolio in a browser: `strateg` (portfolio manager) follows the start
page's reminder to the benefits she owns that lack a realised value, reports one, and opens the
overview and the report for IT-råd Dalsland. Every page passes axe-core."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .helpers import check_a11y, login, url

pytestmark = pytest.mark.browser


def test_strateg_reports_realised_benefits(page: Page) -> None:
    login(page, "strateg")
    panel = page.get_by_role("region", name="Nyttor att rapportera")
    expect(panel).to_contain_text("saknar realiserat värde")
    panel.get_by_role("link", name="Rapportera realiserad nytta").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nyttor")
    check_a11y(page)
    table = page.locator("#benefit-list")
    first = table.locator("tbody tr").first
    code = first.locator("th").inner_text()
    before = table.locator("tbody tr").count()
    link = first.locator("td").first.get_by_role("link")
    href = link.get_attribute("href") or ""
    link.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Nytta:")
    check_a11y(page)
    page.get_by_label("Realiserat").fill("1 500,50")
    page.get_by_label("Kommentar").fill("Enligt ekonomienhetens uppföljning")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("status")).to_contain_text("Nyttan är sparad.")
    # Back on the list of what is left to report: one row fewer (or the next page's first).
    expect(page.get_by_role("heading", level=1)).to_have_text("Nyttor")
    assert table.locator("tbody tr").count() <= before
    check_a11y(page)

    page.goto(url(page, href.split("?")[0]))
    expect(page.get_by_label("Realiserat")).to_have_value(re.compile(r"1500[.,]50"))
    page.goto(url(page, "/portfolj/oversikt/"))
    expect(page.get_by_role("img", name="Färdplan")).to_be_visible()
    check_a11y(page)
    page.goto(url(page, "/portfolj/rapport/"))
    expect(page.locator("#report-table")).to_contain_text(code)
    check_a11y(page)
