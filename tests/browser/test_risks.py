"""Risks and systems in a browser: `sakerhet` runs a risk workshop across the four
municipalities (a score outside 1-5 is refused and named) and classifies a system; `strateg`
checks a planned purchase against the register and finds the existing school platforms. Every
page passes axe-core."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .helpers import check_a11y, login, menu_link, screenshot

pytestmark = pytest.mark.browser

MUNICIPALITIES = ("Bengtsfors kommun", "Färgelanda kommun", "Melleruds kommun", "Åmåls kommun")


def test_security_officer_runs_a_workshop_and_classifies_a_system(page: Page) -> None:
    login(page, "sakerhet")
    menu_link(page, "Riskworkshoppar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Riskworkshoppar")
    check_a11y(page)

    page.get_by_label("Rubrik").fill("Workshop om utebliven samverkan 2026")
    page.get_by_label("Datum").fill("2026-12-10")
    risks = page.locator("#id_risks input[type=checkbox]")
    for i in range(3):
        risks.nth(i).check()
    page.get_by_role("button", name="Skapa workshoppen").click()
    expect(page.get_by_text("Workshoppen är skapad.")).to_be_visible()
    check_a11y(page)

    for n, municipality in enumerate(MUNICIPALITIES):
        page.get_by_label("Kommun", exact=True).select_option(label=municipality)
        page.get_by_role("button", name="Välj", exact=True).click()
        probabilities = page.get_by_label(f"Sannolikhet i {municipality} (1–5)")
        consequences = page.get_by_label(f"Konsekvens i {municipality} (1–5)")
        expect(probabilities).to_have_count(3)
        if n == 0:
            # A score outside 1-5: told which risk and field; nothing saved.
            probabilities.nth(0).fill("7")
            consequences.nth(0).fill("2")
            page.get_by_role("button", name=f"Spara poängen för {municipality}").click()
            expect(page.get_by_role("alert")).to_contain_text("Ange ett heltal från 1 till 5.")
            check_a11y(page)
        for i in range(3):
            probabilities.nth(i).fill(str(1 + (i + n) % 5))
            consequences.nth(i).fill(str(5 - i))
        page.get_by_role("button", name=f"Spara poängen för {municipality}").click()
        expect(page.get_by_text(f"Poängen för {municipality} är sparade.")).to_be_visible()

    result = page.locator("#result")
    for municipality in MUNICIPALITIES:
        expect(result.get_by_role("columnheader", name=municipality)).to_be_visible()
    # Ranked by average: the first row's average is the highest.
    averages = [
        float(t.replace(",", "."))
        for t in result.locator("tbody tr td:nth-last-child(2)").all_inner_texts()
    ]
    assert averages == sorted(averages, reverse=True)
    assert len(averages) == 3
    screenshot(page, "risk-workshop")
    check_a11y(page)

    page.get_by_role("link", name="Värmekarta").click()
    expect(
        page.get_by_role("table", name="öppna risker per sannolikhet och konsekvens")
    ).to_be_visible()
    check_a11y(page)

    # Classify a system.
    menu_link(page, "Verksamhetssystem").click()
    page.get_by_label("Sök namn eller leverantör").fill("Schema Takt")
    page.get_by_role("button", name="Filtrera").click()
    page.get_by_role("link", name="Schema Takt").click()
    expect(page.locator("#klassa-summary")).to_have_text("Ej klassad")
    check_a11y(page)
    page.get_by_role("link", name="Klassa systemet").click()
    page.get_by_label("Konfidentialitet").select_option(label="2 Betydande")
    page.get_by_label("Riktighet").select_option(label="3 Allvarlig")
    page.get_by_label("Tillgänglighet").select_option(label="1 Måttlig")
    check_a11y(page)
    page.get_by_role("button", name="Spara klassningen").click()
    expect(page.get_by_text("Klassningen är sparad.")).to_be_visible()
    expect(page.locator("#klassa-summary")).to_have_text("3 Allvarlig")
    check_a11y(page)


def test_strategist_checks_a_planned_purchase(page: Page) -> None:
    login(page, "strateg")
    menu_link(page, "Före inköp").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Före inköp")
    check_a11y(page)
    page.get_by_role("button", name="Sök befintliga system").click()
    expect(page.get_by_role("alert")).to_contain_text("Välj minst en förmåga.")
    check_a11y(page)
    page.get_by_label("Lärplattform").check()
    page.get_by_label("Elevdokumentation").check()
    page.get_by_role("button", name="Sök befintliga system").click()
    coverage = page.locator("#coverage")
    expect(coverage.get_by_role("link", name="Skolplattform Nova")).to_be_visible()
    expect(coverage.get_by_role("link", name="Lärportalen Vidd")).to_be_visible()
    screenshot(page, "before-buying")
    check_a11y(page)
    page.get_by_role("link", name="Dubbletter").click()
    expect(page.get_by_role("heading", name="Lärplattform")).to_be_visible()
    check_a11y(page)
    page.get_by_role("link", name="Avveckling av serverhallar").click()
    expect(page.get_by_role("table", name="Åmåls kommun")).to_be_visible()
    check_a11y(page)


def test_security_officer_reclassifies_an_asset_and_ranks_risks_by_workshop(page: Page) -> None:
    login(page, "sakerhet")
    menu_link(page, "Verksamhetssystem").click()
    page.get_by_role("link", name="Informationstillgångar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Informationstillgångar")
    check_a11y(page)
    page.get_by_role("link", name="Klassa om Leverantörsreskontra").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Leverantörsreskontra")
    check_a11y(page)
    # Spårbarhet without personal data: refused, named in the error summary, nothing saved.
    page.get_by_label("Konfidentialitet").select_option(label="2 Betydande")
    page.get_by_label("Spårbarhet").select_option(label="1 Måttlig")
    page.get_by_role("button", name="Spara klassningen").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Spårbarhet anges bara när personuppgifter behandlas."
    )
    check_a11y(page)
    page.get_by_label("Behandlar personuppgifter").check()
    page.get_by_role("button", name="Spara klassningen").click()
    expect(page.get_by_text("Klassningen är sparad.")).to_be_visible()
    row = page.locator("#assets tbody tr").filter(has_text="Leverantörsreskontra")
    expect(row).to_contain_text("Konfidentialitet: 2 Betydande")
    expect(row).to_contain_text("Spårbarhet: 1 Måttlig")
    check_a11y(page)

    menu_link(page, "Risker").click()
    page.get_by_label("Sortera").select_option(label="Lägst workshopmedel först")
    page.get_by_role("button", name="Filtrera").click()
    cells = page.locator("#risks tbody tr td:nth-child(7)").all_inner_texts()
    averages = [float(t.split(" ")[0].replace(",", ".")) for t in cells if t.strip() != "–"]
    assert len(averages) == 6
    assert averages == sorted(averages)
    assert all(t.strip() == "–" for t in cells[len(averages) :])
    check_a11y(page)
