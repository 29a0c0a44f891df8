"""Issue 13 in the browser: every error of a submit at once, long text refused (never cut) with a
counter, a long name that wraps instead of widening the page, a date field that says its format."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .helpers import check_a11y, login, visit

pytestmark = pytest.mark.browser


def _open_edit_of(page: Page, municipality: str) -> None:
    visit(page, "/organisation/?kind=municipality&q=" + municipality.split()[0])
    page.locator("#node-results").get_by_role("link", name=municipality).click()
    page.get_by_role("link", name="Ändra").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Ändra {municipality}")


def test_every_error_of_the_form_comes_in_one_submit(page: Page) -> None:
    login(page, "admin")
    _open_edit_of(page, "Bengtsfors kommun")
    page.get_by_label("Namn").fill("")
    page.get_by_label("Kommunkod").fill("146")
    page.get_by_label("Organisationsnummer").fill("123")
    page.get_by_role("button", name="Spara").click()

    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    links = summary.get_by_role("link")
    expect(links).to_have_count(3)
    expect(links.nth(0)).to_have_attribute("href", "#id_name")
    expect(links.nth(1)).to_contain_text("Kommunkoden ska vara fyra siffror")
    expect(links.nth(2)).to_contain_text("Organisationsnumret har fel format")
    for label in ("Namn", "Kommunkod", "Organisationsnummer"):
        expect(page.get_by_label(label)).to_have_attribute("aria-invalid", "true")
    check_a11y(page)


def test_long_text_is_refused_with_the_limit_named_not_cut(page: Page) -> None:
    login(page, "admin")
    visit(page, "/organisation/?q=Barn-+och+utbildning&municipality=")
    page.locator("#node-results").get_by_role(
        "link", name="Barn- och utbildningsförvaltningen"
    ).first.click()
    page.get_by_role("link", name="Lägg till underliggande").click()
    name = page.get_by_label("Namn")
    long_name = "Fritidshem" * 500  # 5 000 characters, one word
    name.fill(long_name)
    # The browser keeps every character (no maxlength) and the counter says what is too much.
    assert len(name.input_value()) == 5000
    counter = page.locator("#id_name_counter")
    expect(counter).to_be_visible()
    expect(counter).to_have_text(re.compile(r"^4\s800 tecken för mycket \(högst 200\)$"))
    page.get_by_role("button", name="Spara").click()
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("Namn: Texten är för lång: högst 200 tecken.")
    # The page does not grow sideways with the long word.
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.viewport_size
    assert viewport is not None
    assert width <= viewport["width"] + 1, width
    check_a11y(page)


def test_text_area_counts_its_characters(page: Page) -> None:
    visit(page, "/tillganglighet/")
    area = page.get_by_label("Beskriv problemet")
    counter = page.locator("#id_description_counter")
    expect(counter).to_have_text(re.compile(r"^0 av 5\s000 tecken$"))
    area.fill("Knappen saknar namn")
    expect(counter).to_have_text(re.compile(r"^19 av 5\s000 tecken$"))
    check_a11y(page)


def test_a_long_unit_name_wraps_in_the_heading(page: Page) -> None:
    login(page, "admin")
    visit(page, "/organisation/?q=Barn-+och+utbildning&municipality=")
    page.locator("#node-results").get_by_role(
        "link", name="Barn- och utbildningsförvaltningen"
    ).first.click()
    page.get_by_role("link", name="Lägg till underliggande").click()
    page.get_by_label("Typ").select_option(label="Enhet")
    page.get_by_label("Namn").fill("Fritidshem" * 20)  # 200 characters without a space
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fritidshem" * 20)
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.viewport_size
    assert viewport is not None
    assert width <= viewport["width"] + 1, width
    page.set_viewport_size({"width": 375, "height": 800})
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 376, width


def test_date_field_says_its_format(page: Page) -> None:
    login(page, "admin")
    visit(page, "/medlemskap/")
    field = page.get_by_label("Medlem från")
    expect(field).to_have_attribute("type", "text")
    expect(page.locator("#id_joined_on_helptext")).to_have_text("ÅÅÅÅ-MM-DD")
    field.fill("1/7/2026")
    page.get_by_role("button", name=re.compile("Lägg till|Spara|Gå med")).first.click()
    expect(page.locator(".error-summary")).to_contain_text(
        "Ange datumet som ÅÅÅÅ-MM-DD, till exempel 2026-03-31."
    )
    check_a11y(page)
