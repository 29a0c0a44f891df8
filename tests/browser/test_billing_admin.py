"""Finance manages billing: a fixed-percentage key for the fund (a sum that is not 100 is
refused with a clear message), the usage list, the fund and the ledger settings — every page
checked with axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .helpers import check_a11y, login, menu_link

pytestmark = pytest.mark.browser


def test_ekonom_adopts_a_percentage_key_and_visits_every_admin_page(page: Page) -> None:
    login(page, "ekonom")
    menu_link(page, "Ekonomiadministration").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kostnadspooler")
    check_a11y(page)

    page.locator("table").get_by_role("link", name="Digitaliseringsfonden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Digitaliseringsfonden")
    # The open key first ends, then a fixed-percentage version follows.
    page.get_by_label("Sista dag").fill("2026-12-31")
    page.get_by_role("button", name="Avsluta versionen").click()
    expect(page.get_by_role("status")).to_contain_text("Nyckelversionen är avslutad.")
    page.get_by_label("Fördelningsmetod").select_option("percentages")
    page.get_by_label("Gäller från").fill("2027-01-01")
    page.get_by_label("Beslut", exact=True).fill("ITR-2026-051")
    for name, value in (
        ("Bengtsfors kommun", "25"),
        ("Färgelanda kommun", "25"),
        ("Melleruds kommun", "25"),
        ("Åmåls kommun", "20"),
    ):
        page.get_by_label(f"Procent för {name}").fill(value)
    page.get_by_role("button", name="Anta nyckeln").click()
    expect(page.locator(".error-summary")).to_contain_text(
        "Procentsatserna ska summera till 100; nu är summan 95,00."
    )
    check_a11y(page)
    page.get_by_label("Procent för Åmåls kommun").fill("25")
    page.get_by_role("button", name="Anta nyckeln").click()
    expect(page.get_by_role("status")).to_contain_text("Den nya nyckelversionen är antagen.")
    expect(page.locator("tr", has_text="ITR-2026-051")).to_contain_text("Åmåls kommun: 25")

    sub = page.get_by_role("navigation", name="Ekonomiadministration")
    for link, heading in (
        ("Förbrukning", "Förbrukningsposter"),
        ("Import av förbrukning", "Importera förbrukning från CSV"),
        ("Digitaliseringsfond", "Digitaliseringsfonden"),
        ("Bokföring (SIE)", "Konton och verifikationsserier för SIE-exporten"),
    ):
        sub.get_by_role("link", name=link, exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        check_a11y(page)
