"""Billing as finance and a council member use it: `ekonom` runs, approves and exports a month;
`radsmedlem` compares the municipalities and simulates an inhabitant-based Bas-IT key."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .helpers import check_a11y, login, menu_link, screenshot, url

pytestmark = pytest.mark.browser


def test_ekonom_runs_approves_and_exports_december(page: Page) -> None:
    login(page, "ekonom")
    menu_link(page, "Fakturering").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Månadens fakturering")
    check_a11y(page)
    page.get_by_label("Period (ÅÅÅÅ-MM)").fill("2026-12")
    page.get_by_role("button", name="Kör fakturering").click()
    status = page.locator("#run-status")
    expect(status).to_contain_text("Klar")
    expect(page.locator("#run-progress")).to_have_attribute("value", "100")
    check_a11y(page)
    screenshot(page, "billing-run")
    status.get_by_role("link", name="Melleruds kommun").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Fakturaunderlag Melleruds kommun 2026-12"
    )
    expect(page.locator("#invoice-status")).to_have_text("Utkast")
    check_a11y(page)
    page.get_by_role("button", name="Godkänn och lås").click()
    expect(page.locator("#invoice-status")).to_have_text("Godkänd")
    expect(page.get_by_role("button", name="Godkänn och lås")).to_have_count(0)
    screenshot(page, "billing-invoice")
    with page.expect_download() as info:
        page.get_by_role("link", name="SIE 4").click()
    download = info.value
    assert download.suggested_filename.endswith(".se")
    with open(download.path(), "rb") as f:
        data = f.read()
    assert data.startswith(b"#FLAGGA 0\r\n")
    assert b"#SIETYP 4" in data
    page.reload()
    expect(page.locator("#invoice-status")).to_have_text("Exporterad")
    # The month cannot be run again: a clear refusal.
    page.goto(url(page, "/fakturering/korningar/"))
    page.get_by_label("Period (ÅÅÅÅ-MM)").fill("2026-12")
    page.get_by_role("button", name="Kör fakturering").click()
    expect(page.get_by_text("redan godkända fakturaunderlag")).to_be_visible()
    check_a11y(page)


def test_radsmedlem_compares_and_simulates_an_inhabitant_key(page: Page) -> None:
    login(page, "radsmedlem")
    nav = page.get_by_role("navigation", name="Huvudmeny")
    expect(
        nav.get_by_role("link", name="Fakturering", exact=True, include_hidden=True)
    ).to_have_count(0)
    menu_link(page, "Kostnader").click()
    page.goto(url(page, "/fakturering/?period=2026-11"))
    table = page.get_by_role("table").first
    expect(table.locator("tbody tr th")).to_have_text(
        ["Bengtsfors kommun", "Färgelanda kommun", "Melleruds kommun", "Åmåls kommun"]
    )
    expect(page.get_by_role("img", name="Kostnad hittills i år per kommun, 2026")).to_be_visible()
    check_a11y(page)
    screenshot(page, "billing-overview")
    # Drill down: a month's figure leads to the invoice, its lines and their sources.
    table.get_by_role("row", name="Åmåls kommun").get_by_role("link").nth(1).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Åmåls kommun 2026-11")
    expect(page.get_by_text("ITR-2025-011 (exempel)").first).to_be_visible()
    menu_link(page, "Simulera nyckel").click()
    page.get_by_label("År").fill("2026")
    page.get_by_label("Fördelningsnyckel att simulera").select_option(label="Invånarantal")
    page.get_by_role("button", name="Simulera").click()
    result = page.locator("#simulation-result")
    expect(result.locator("tbody tr")).to_have_count(4)
    expect(result).to_contain_text("Åmåls kommun")
    check_a11y(page)
    screenshot(page, "billing-simulation")
