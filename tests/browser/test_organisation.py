"""The organisation: the filtered list (HTMX), a node's page, editing a node, adding a child."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .helpers import check_a11y, login, menu_link, screenshot, url, visit

pytestmark = pytest.mark.browser


def _results(page: Page):
    return page.locator("#node-results")


def _mark_page(page: Page) -> None:
    """Set a flag that a full page load would wipe: proves a later change came from HTMX."""
    page.evaluate("window.__noFullReload = true")


def _assert_no_full_reload(page: Page) -> None:
    assert page.evaluate("window.__noFullReload === true"), "the page was reloaded, not swapped"


def test_organisation_list_filters(page: Page) -> None:
    login(page, "admin")
    menu_link(page, "Organisation").click()
    expect(page).to_have_url(url(page, "/organisation/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Organisation")
    table = _results(page).get_by_role("table")
    # 1 cooperation + 5 municipalities × (1 + 4 administrations + 18 units) + IT org + 6 teams.
    expect(table.locator("caption")).to_have_text("123 träffar")
    expect(table.locator("tbody tr")).to_have_count(50)
    pagination = page.get_by_role("navigation", name="Sidnavigering")
    expect(pagination).to_contain_text("Sida 1 av 3")
    check_a11y(page)
    screenshot(page, "organisation")

    search = page.get_by_role("search", name="Filtrera organisationen")
    _mark_page(page)

    # Kind select: HTMX swaps the table on change, pushes the URL and announces the count.
    search.get_by_label("Typ").select_option(label="Kommun")
    expect(table.locator("caption")).to_have_text("5 träffar")
    expect(page).to_have_url(url(page, "/organisation/?q=&kind=municipality&municipality="))
    expect(page.locator("#list-status")).to_have_text("5 träffar")
    expect(table.locator("tbody tr th")).to_have_text(
        [
            "Åmåls kommun",
            "Melleruds kommun",
            "Bengtsfors kommun",
            "Färgelanda kommun",
            "Dals-Eds kommun",
        ]
    )
    expect(pagination).to_have_count(0)
    _assert_no_full_reload(page)
    check_a11y(page)

    # Municipality select, all kinds: the municipality with its 4 administrations and 18 units.
    search.get_by_label("Typ").select_option(label="Alla typer")
    search.get_by_label("Kommun").select_option(label="Bengtsfors kommun")
    expect(table.locator("caption")).to_have_text("23 träffar")
    expect(table.locator("tbody tr td:nth-child(4)").nth(1)).to_have_text("Bengtsfors kommun")

    # Search within the municipality: submitting the form (Enter) also swaps the table.
    search.get_by_label("Sök namn eller kostnadsställe").fill("grundskola")
    search.get_by_label("Sök namn eller kostnadsställe").press("Enter")
    expect(table.locator("caption")).to_have_text("1 träff")
    expect(table.locator("tbody tr")).to_have_text(
        [
            "Grundskola F–6 Enhet Barn- och utbildningsförvaltningen"
            " Bengtsfors kommun 1460-4200 Aktiv"
        ]
    )
    _assert_no_full_reload(page)

    # Search across all municipalities with the button; nothing matching says so.
    search.get_by_label("Kommun").select_option(label="Alla kommuner")
    expect(table.locator("caption")).to_have_text("5 träffar")
    search.get_by_label("Sök namn eller kostnadsställe").fill("finns-inte")
    search.get_by_role("button", name="Filtrera").click()
    expect(table.locator("caption")).to_have_text("0 träffar")
    expect(table.locator("tbody")).to_have_text("Inget matchar filtret.")
    _assert_no_full_reload(page)
    check_a11y(page)

    # The pushed URL is a real page: reloading it renders the same filtered list in full.
    page.reload()
    expect(page.get_by_label("Sök namn eller kostnadsställe")).to_have_value("finns-inte")
    expect(_results(page).locator("caption")).to_have_text("0 träffar")


def test_node_detail_municipality(page: Page) -> None:
    login(page, "admin")
    visit(page, "/organisation/?kind=municipality")
    _results(page).get_by_role("link", name="Färgelanda kommun").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Färgelanda kommun")
    crumbs = page.get_by_role("navigation", name="Var du är")
    expect(crumbs.get_by_role("link")).to_have_text(
        ["Organisation", "Dalslands IT-samverkan", "Färgelanda kommun"]
    )
    facts = page.locator("dl.facts")
    expect(facts).to_contain_text("1439")
    expect(facts).to_contain_text("212000-1421")
    expect(facts).to_contain_text("fargelanda.se")
    expect(facts).to_contain_text("6 434")
    expect(
        page.get_by_role("table", name="Underliggande enheter").locator("tbody tr")
    ).to_have_count(4)
    expect(page.get_by_role("table", name="Invånare per år")).to_contain_text("2023")
    expect(page.get_by_role("table", name="Medlemskap")).to_contain_text("2025-01-01")
    expect(page.get_by_role("link", name="Ändra")).to_be_visible()
    expect(page.get_by_role("link", name="Lägg till underliggande")).to_be_visible()
    check_a11y(page)
    screenshot(page, "node-municipality")


def test_node_edit_saves_and_validates(page: Page) -> None:
    login(page, "admin")
    visit(page, "/organisation/?kind=municipality&q=Mellerud")
    _results(page).get_by_role("link", name="Melleruds kommun").click()
    detail_url = page.url
    expect(page.locator("dl.facts")).to_contain_text("mellerud.se")
    page.get_by_role("link", name="Ändra").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ändra Melleruds kommun")
    check_a11y(page)

    # An organisation number with a wrong check digit: a Swedish error summary linking the field.
    page.get_by_label("Organisationsnummer").fill("212000-1420")
    page.get_by_role("button", name="Spara").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("heading")).to_have_text("Något behöver rättas")
    expect(summary).to_be_focused()  # app.js moves focus there
    link = summary.get_by_role(
        "link", name="Organisationsnummer: Organisationsnumrets kontrollsiffra"
    )
    expect(link).to_have_attribute("href", "#id_organisation_number")
    field = page.get_by_label("Organisationsnummer")
    expect(field).to_have_attribute("aria-invalid", "true")
    check_a11y(page)
    link.click()
    expect(field).to_be_focused()

    # A wrong format says so, too.
    field.fill("12345")
    page.get_by_role("button", name="Spara").click()
    expect(summary).to_contain_text("Organisationsnumret har fel format (NNNNNN-NNNN).")

    # A valid change is saved and shown, with a message, a new version and a history entry.
    field.fill("")
    page.get_by_label("E-postdomän").fill("mellerud.example")
    page.get_by_role("button", name="Spara").click()
    # (The browser keeps the #fragment of the error link across the redirect.)
    expect(page).to_have_url(re.compile(re.escape(detail_url) + "(#.*)?$"))
    expect(page.get_by_role("status")).to_contain_text("Ändringarna är sparade.")
    expect(page.locator("dl.facts")).to_contain_text("mellerud.example")
    expect(page.locator("dl.facts dt:has-text('Version') + dd")).to_have_text("2")
    history = page.get_by_role("list", name="Ändringshistorik")
    # Field labels and values people read, not columns and internal bookkeeping.
    expect(history).to_contain_text("e-postdomän: mellerud.se → mellerud.example")
    expect(history).not_to_contain_text("email_domain")
    expect(history).not_to_contain_text("version")
    check_a11y(page)


def test_node_add_child(page: Page) -> None:
    login(page, "admin")
    visit(page, "/organisation/?q=Barn-+och+utbildning&municipality=")
    _results(page).get_by_role("link", name="Barn- och utbildningsförvaltningen").first.click()
    parent = page.get_by_role("heading", level=1).inner_text()
    municipality = page.locator("dl.facts dt:has-text('Kommun') + dd").inner_text()
    page.get_by_role("link", name="Lägg till underliggande").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Lägg till under {parent}")
    check_a11y(page)

    # Nothing filled in: the name is required.
    page.get_by_role("button", name="Spara").click()
    expect(page.locator(".error-summary")).to_contain_text("Namn")
    check_a11y(page)

    page.get_by_label("Typ").select_option(label="Enhet")
    page.get_by_label("Namn").fill("Fritidshemmet Solstrålen")
    page.get_by_label("Kostnadsställe").fill("FT-4600")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fritidshemmet Solstrålen")
    expect(page.get_by_role("status")).to_contain_text("Fritidshemmet Solstrålen har lagts till.")
    expect(page.locator("dl.facts")).to_contain_text("FT-4600")
    expect(page.locator("dl.facts")).to_contain_text(municipality)
    expect(page.get_by_role("navigation", name="Var du är")).to_contain_text(parent)
    check_a11y(page)
