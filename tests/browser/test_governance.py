"""Governance as a council member uses it: `radsmedlem` registers a need in Mellerud's local IT
council, prepares it as a proposal for IT-råd Dalsland, and IT-råd decides it: the decision gets
its number and links to the new price list."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .helpers import check_a11y, login, menu_link, screenshot

pytestmark = pytest.mark.browser


def test_radsmedlem_prepares_in_mellerud_and_it_rad_decides_with_the_price_list(
    page: Page,
) -> None:
    login(page, "radsmedlem")
    menu_link(page, "Råd och möten").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Råd och möten")
    check_a11y(page)
    page.get_by_role("link", name="Lokalt IT-råd Mellerud").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lokalt IT-råd Mellerud")
    check_a11y(page)

    page.get_by_role("link", name="Registrera ärende").click()
    page.get_by_label("Typ").select_option(label="Lokalt behov")
    page.get_by_label("Gäller").select_option(label="Pris eller fördelning")
    page.get_by_label("Rubrik").fill("Prislista 2027 för Mellerud")
    page.get_by_label("Beskrivning").fill(
        "Hemtjänsten behöver fler delade arbetsplatser till 2027."
    )
    check_a11y(page)
    page.get_by_role("button", name="Registrera").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Prislista 2027 för Mellerud")
    expect(page.locator("#matter-status")).to_have_text("Registrerat")
    expect(page.get_by_label("För beslut i", exact=True)).to_have_value(re.compile(r"\d+"))
    page.get_by_label("Förslag till beslut").fill(
        "IT-råd Dalsland fastställer prislistan för 2027."
    )
    check_a11y(page)
    page.get_by_role("button", name="Bered och skicka").click()
    expect(page.locator("#matter-status")).to_have_text("Berett, skickat för beslut")

    page.get_by_role("link", name="Besluta i IT-råd Dalsland").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Registrera beslut i IT-råd Dalsland")
    expect(page.get_by_label("Beslutstext")).to_have_value(
        "IT-råd Dalsland fastställer prislistan för 2027."
    )
    page.locator("#governs").get_by_label(re.compile(r"Prislista 2027")).check()
    check_a11y(page)
    screenshot(page, "governance-decide")
    page.get_by_role("button", name="Registrera beslut").click()

    expect(page.locator("#decision-number")).to_have_text(re.compile(r"^ITR-\d{4}-\d{3}$"))
    expect(page.locator("#decision-status")).to_have_text("Beslutat")
    expect(page.locator("#governed")).to_contain_text("Prislista 2027")
    check_a11y(page)
    screenshot(page, "governance-decision")
