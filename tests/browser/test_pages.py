"""Membership, the IT organisation, the audit log, my account, the accessibility statement,
the 404 page, the language switch and keyboard use."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .helpers import check_a11y, login, menu_link, screenshot, url, visit

pytestmark = pytest.mark.browser


def test_membership_join_and_end(page: Page) -> None:
    login(page, "admin")
    menu_link(page, "Medlemskap").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Medlemskap")
    table = page.get_by_role("table", name="Medlemskap")
    expect(table.locator("tbody tr")).to_have_count(4)
    check_a11y(page)

    # Dals-Ed, the only municipality that is not a member, joins.
    kommun = page.get_by_label("Kommun", exact=True)
    expect(kommun.locator("option")).to_have_text(["Dals-Eds kommun"])
    page.get_by_role("button", name="Lägg till medlemskap").click()
    expect(page.locator(".error-summary")).to_contain_text("Medlem från")
    check_a11y(page)
    page.get_by_label("Medlem från").fill("2026-07-01")
    page.get_by_label("Beslut (diarienummer)").fill("KF 2026/17")
    page.get_by_role("button", name="Lägg till medlemskap").click()
    expect(page).to_have_url(url(page, "/medlemskap/"))
    expect(page.get_by_role("status")).to_have_text("Dals-Eds kommun är medlem från 2026-07-01.")
    expect(table.locator("tbody tr")).to_have_count(5)
    expect(table.get_by_role("row", name=re.compile("^Dals-Eds kommun"))).to_contain_text(
        "KF 2026/17"
    )
    expect(
        page.get_by_text("Alla kommuner i samverkans organisation är medlemmar.")
    ).to_be_visible()
    check_a11y(page)

    # Färgelanda's membership ends; the history stays.
    page.get_by_role("link", name="Avsluta Färgelanda kommun").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Avsluta medlemskapet för Färgelanda kommun"
    )
    check_a11y(page)
    page.get_by_label("Medlem till och med").fill("2026-12-31")
    page.get_by_label("Beslut (diarienummer)").fill("KF 2026/40")
    page.get_by_role("button", name="Avsluta medlemskapet").click()
    expect(page).to_have_url(url(page, "/medlemskap/"))
    expect(page.get_by_role("status")).to_have_text("Medlemskapet är avslutat.")
    row = table.get_by_role("row", name=re.compile("^Färgelanda kommun"))
    expect(row.locator("td").nth(1)).to_have_text("2026-12-31")
    expect(row.get_by_role("link")).to_have_count(0)
    check_a11y(page)


def test_it_organisation(page: Page) -> None:
    login(page, "tekniker")
    menu_link(page, "Gemensam IT-organisation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Dalslands IT- och digitaliseringsorganisation"
    )
    expect(page.locator(".lead")).to_have_text("28 tjänster")
    expect(page.locator("main table tbody tr")).to_have_count(28)
    second_line = page.get_by_role("table", name="2:a linjen")
    expect(second_line.locator("tbody tr")).to_have_count(16)
    expect(second_line.get_by_role("row", name=re.compile("Identitet"))).to_contain_text(
        ["Tore Karlsson", "Vakant", "Vakant", "Vakant"]
    )
    check_a11y(page)
    screenshot(page, "it-organisation")


def test_audit_log_filters(page: Page) -> None:
    login(page, "admin")
    # Make one change so that the log has an "Ändrad" entry by a person.
    visit(page, "/organisation/?kind=municipality&q=Åmål")
    page.locator("#node-results").get_by_role("link", name="Åmåls kommun").click()
    page.get_by_role("link", name="Ändra").click()
    page.get_by_label("E-postdomän").fill("amal.example")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("status")).to_contain_text("Ändringarna är sparade.")

    menu_link(page, "Granskningslogg").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Granskningslogg")
    caption = page.locator("#audit-results caption")
    expect(caption).to_have_text(re.compile(r"^\d+ poster$"))
    check_a11y(page)
    screenshot(page, "audit-log")

    search = page.get_by_role("search", name="Filtrera loggen")
    page.evaluate("window.__noFullReload = true")
    search.get_by_label("Händelse").select_option(label="Ändrad")
    search.get_by_label("Sök objekt eller person").fill("Åmål")
    search.get_by_role("button", name="Filtrera").click()
    expect(caption).to_have_text(re.compile(r"^[1-9]\d* post(er)?$"))
    expect(page).to_have_url(re.compile(r"/granskning/\?q=%C3%85m%C3%A5l.*action=update"))
    rows = page.locator("#audit-results table:not(.changes) > tbody > tr")
    expect(rows.first).to_contain_text("Ändrad")
    # The changed field by its label, not its column; the version number is bookkeeping.
    expect(rows.filter(has_text="admin").filter(has_text="e-postdomän")).to_have_count(1)
    assert page.evaluate("window.__noFullReload === true"), "the page was reloaded, not swapped"
    # Before and after values open in a disclosure, one row per field.
    row = rows.filter(has_text="admin").filter(has_text="e-postdomän")
    expect(row).not_to_contain_text("email_domain")
    row.get_by_text("Visa").click()
    expect(
        row.get_by_role("row", name="e-postdomän amal.se amal.example", exact=True)
    ).to_be_visible()
    check_a11y(page)

    search.get_by_label("Sök objekt eller person").fill("finns-inte")
    search.get_by_role("button", name="Filtrera").click()
    expect(caption).to_have_text("0 poster")
    expect(page.locator("#audit-results table:not(.changes) > tbody")).to_have_text("Inga poster.")


def test_profile(page: Page) -> None:
    login(page, "ekonom")
    menu_link(page, "Mitt konto").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mitt konto")
    expect(page.locator("dl.facts")).to_contain_text("ekonom")
    expect(page.locator("dl.facts")).to_contain_text("Eva Nilsson")
    expect(page.locator("main table tbody")).to_contain_text("Dalslands IT-samverkan")
    check_a11y(page)
    page.get_by_role("button", name=re.compile("API-nyckel")).click()
    expect(page.get_by_role("status")).to_contain_text("En ny API-nyckel har skapats.")
    expect(page.get_by_text("Du har en API-nyckel.")).to_be_visible()
    check_a11y(page)


def test_accessibility_statement_report(page: Page) -> None:
    # Open to everyone, also without logging in; linked from every page's footer.
    page.goto(url(page, "/konto/logga-in/"))
    page.get_by_role("contentinfo").get_by_role("link", name="Tillgänglighetsredogörelse").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tillgänglighetsredogörelse")
    check_a11y(page)

    page.get_by_role("button", name="Skicka rapport").click()
    summary = page.locator(".error-summary")
    expect(summary.get_by_role("link", name=re.compile("^Beskriv problemet"))).to_have_attribute(
        "href", "#id_description"
    )
    check_a11y(page)
    page.get_by_label("Vilken sida gäller det?").fill("/organisation/")
    page.get_by_label("Beskriv problemet").fill("Filtret läser inte upp antalet träffar.")
    page.get_by_label("Din e-postadress (om du vill ha svar)").fill("test@example.org")
    page.get_by_role("button", name="Skicka rapport").click()
    expect(page).to_have_url(url(page, "/tillganglighet/"))
    expect(page.get_by_role("status")).to_have_text(
        "Tack! Din rapport är mottagen och skickas vidare."
    )
    check_a11y(page)

    from itfabrik.accessibility.models import AccessibilityReport

    report = AccessibilityReport.objects.get()
    assert report.page_url == "/organisation/"
    assert report.contact_email == "test@example.org"


def test_not_found_page(page: Page) -> None:
    visit(page, "/finns-inte/", status=404)
    expect(page).to_have_title("Sidan hittades inte – itfabrik")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sidan hittades inte")
    login(page, "radsmedlem")
    visit(page, "/organisation/999999/", status=404)
    expect(page.get_by_role("heading", level=1)).to_have_text("Sidan hittades inte")
    page.get_by_role("link", name="Till startsidan").click()
    expect(page).to_have_url(url(page, "/"))


def test_switch_to_english_and_back(page: Page) -> None:
    login(page, "agent")
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    page.get_by_role("banner").get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(url(page, "/"))
    check_a11y(page)
    visit(page, "/organisation/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("banner").get_by_role("button", name="Svenska").click()
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page).to_have_url(url(page, "/organisation/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Organisation")


def test_skip_link_is_first_tab_stop(page: Page) -> None:
    login(page, "anvandare-fargelanda")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Hoppa till huvudinnehållet")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    check_a11y(page)
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    expect(page).to_have_url(url(page, "/#main"))
    # The next Tab continues inside the main content, not back in the header.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")
