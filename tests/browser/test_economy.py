"""The economic baseline in a browser: `admin` opens the 2024 baseline and sees each
municipality's IT share, the gap to the national average and the savings potential, computed;
a scenario with a negative share is refused with a message; the timeline and the follow-up show
their charts with tables. Every page passes axe-core."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .helpers import check_a11y, login, screenshot, url

pytestmark = pytest.mark.browser


def test_admin_reads_the_2024_baseline_and_a_bad_scenario_is_refused(page: Page) -> None:
    login(page, "admin")
    page.goto(url(page, "/ekonomi/?year=2024"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Ekonomisk baslinje 2024")
    table = page.locator("#baseline")
    row = table.locator("tbody tr", has=page.locator("th", has_text="Bengtsfors kommun"))
    expect(row).to_contain_text("1,82 %")
    expect(row).to_contain_text("4 703 257,00 kr")
    expect(row).to_contain_text("1 669 200,00 kr")
    expect(table.locator("tfoot")).to_contain_text("45 939 995,00 kr")
    expect(page.get_by_role("img", name="IT-andel av nettokostnaden 2024")).to_be_visible()
    check_a11y(page)
    screenshot(page, "economy-baseline-2024")

    page.goto(url(page, "/ekonomi/scenarier/nytt/"))
    page.get_by_label("Namn", exact=True).fill("Fel andel")
    page.get_by_label("Riktmärke: IT-kostnad som andel av nettokostnaden (%)").fill("-1")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Riktmärket måste vara mellan 0 och 100 procent"
    )
    check_a11y(page)

    page.goto(url(page, "/ekonomi/tidslinje/"))
    expect(page.get_by_role("img", name="Kostnader per år")).to_be_visible()
    check_a11y(page)
    page.goto(url(page, "/ekonomi/uppfoljning/?year=2026"))
    expect(page.locator("#followup")).to_contain_text("Melleruds kommun")
    check_a11y(page)
