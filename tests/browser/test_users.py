"""User administration: find a person, grant a role with the node search field (keyboard only),
confirm a privileged role, end a role (with a confirmation) and see it among the ended ones;
grant a role that starts later and see it among the future ones; every error of the role form
after one submit."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from .helpers import check_a11y, login, menu_link, screenshot, type_into

pytestmark = pytest.mark.browser


def message(page: Page):  # type: ignore[no-untyped-def]
    """The page's flash message (a search field has a status region of its own)."""
    return page.locator("div.messages[role=status]")


def choose_node(page: Page, label: str, query: str, option: str) -> None:
    """Keyboard only: type into a node search field, arrow down to OPTION, press Enter."""
    field = page.get_by_role("combobox", name=label)
    type_into(page, field, "")
    page.keyboard.press("Delete")
    field.press_sequentially(query, delay=20)
    listbox = page.get_by_role("listbox", name="Träffar")
    expect(listbox.get_by_role("option", name=option, exact=True)).to_be_visible()
    expect(field).to_have_attribute("aria-expanded", "true")
    target = listbox.get_by_role("option", name=option, exact=True)
    for _ in range(25):  # down the list until the option is the active one
        field.press("ArrowDown")
        if target.get_attribute("aria-selected") == "true":
            break
    expect(target).to_have_attribute("aria-selected", "true")
    expect(field).to_have_attribute("aria-activedescendant", target.get_attribute("id") or "")
    field.press("Enter")
    expect(field).to_have_value(option)
    expect(field).to_have_attribute("aria-expanded", "false")


@pytest.mark.parametrize("width", [1280, 375], ids=["desktop", "phone"])
def test_grant_and_end_role(page: Page, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    login(page, "admin")
    if width > 600:
        menu_link(page, "Användare").click()
    else:
        page.goto(page.site + "/konto/anvandare/")  # type: ignore[attr-defined]
    expect(page.get_by_role("heading", level=1)).to_have_text("Användare")
    check_a11y(page)

    search = page.get_by_role("search", name="Sök användare")
    search.get_by_label("Sök namn, användarnamn eller e-post").fill("bengtsfors")
    search.get_by_role("button", name="Sök").click()
    table = page.locator("main table")
    expect(table.locator("caption")).to_have_text("1 användare")
    # The workplace is named with its administration and municipality.
    expect(table).to_contain_text("Bengtsfors kommun")
    table.get_by_role("link", name="Björn Ek").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Björn Ek")
    roles = page.get_by_role("table", name="Gällande roller", exact=True)
    expect(roles.locator("tbody tr")).to_have_count(1)
    check_a11y(page)

    # The form starts empty: no role, no node, "also below" unticked.
    expect(page.get_by_label("Roll", exact=True)).to_have_value("")
    expect(page.get_by_label("Gäller även underliggande enheter")).not_to_be_checked()

    page.get_by_label("Roll", exact=True).select_option(label="Beställare")
    choose_node(page, "Gäller för", "Bengtsfors", "Bengtsfors kommun")
    page.get_by_label("Gäller även underliggande enheter").press("Space")
    page.get_by_role("button", name="Tilldela").press("Enter")
    expect(message(page)).to_have_text("Rollen är tilldelad.")
    expect(roles.locator("tbody tr")).to_have_count(2)
    expect(roles.get_by_role("row", name=re.compile("^Beställare"))).to_contain_text(
        "Bengtsfors kommun"
    )
    check_a11y(page)

    page.get_by_role("link", name="Avsluta Beställare – Bengtsfors kommun").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Avsluta roll")
    check_a11y(page)
    page.get_by_role("button", name="Avsluta rollen").press("Enter")
    expect(message(page)).to_have_text("Rollen är avslutad.")
    expect(roles.locator("tbody tr")).to_have_count(1)
    ended = page.get_by_role("table", name="Avslutade roller")
    expect(ended.locator("tbody tr")).to_have_count(1)
    expect(ended).to_contain_text("Beställare")
    check_a11y(page)


def test_privileged_role_is_confirmed_with_what_it_gives(page: Page) -> None:
    login(page, "admin")
    page.goto(page.site + "/konto/anvandare/?q=bengtsfors")  # type: ignore[attr-defined]
    page.locator("main table").get_by_role("link", name="Björn Ek").click()
    page.get_by_label("Roll", exact=True).select_option(label="Samverkansadministratör")
    choose_node(page, "Gäller för", "Bengtsfors", "Bengtsfors kommun")
    page.get_by_label("Gäller även underliggande enheter").check()
    page.get_by_role("button", name="Tilldela").click()
    box = page.locator(".confirm-box")
    expect(box).to_be_focused()
    expect(box).to_contain_text("Björn Ek får rollen Samverkansadministratör på Bengtsfors kommun")
    expect(box).to_contain_text("underliggande enheter")
    expect(box).to_contain_text("skapa konton och tilldela roller")
    check_a11y(page)
    page.get_by_role("button", name="Bekräfta och tilldela").click()
    expect(message(page)).to_have_text("Rollen är tilldelad.")
    expect(page.get_by_role("table", name="Gällande roller", exact=True)).to_contain_text(
        "Samverkansadministratör"
    )


def test_search_field_opens_on_arrow_down_and_closes_on_escape(page: Page) -> None:
    login(page, "admin")
    page.goto(page.site + "/konto/anvandare/ny/")  # type: ignore[attr-defined]
    field = page.get_by_role("combobox", name="Arbetsplats")
    page.get_by_label("Efternamn").focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(field).to_be_focused()
    expect(field).to_have_attribute("aria-expanded", "false")  # focus alone opens nothing
    field.press("ArrowDown")
    expect(field).to_have_attribute("aria-expanded", "true")
    listbox = page.get_by_role("listbox", name="Träffar")
    expect(listbox.get_by_role("option")).to_have_count(21)  # 20 and "there are more"
    check_a11y(page)
    field.press("Escape")
    expect(field).to_have_attribute("aria-expanded", "false")
    expect(listbox).to_be_hidden()
    # Without choosing, the form says what to do.
    page.get_by_label("Användarnamn").fill("utan.arbetsplats")
    page.get_by_role("button", name="Skapa konto").click()
    expect(page.locator(".error-summary")).to_contain_text("Arbetsplats: Sök och välj i listan.")
    check_a11y(page)


def test_future_role_is_shown_apart_and_every_error_comes_at_once(page: Page) -> None:
    start = (dt.date.today() + dt.timedelta(days=14)).isoformat()
    login(page, "admin")
    page.goto(page.site + "/konto/anvandare/?q=bengtsfors")  # type: ignore[attr-defined]
    page.locator("main table").get_by_role("link", name="Björn Ek").click()

    # One submit with a missing role, a start in the past and an end in the wrong format: every
    # message at once, in the summary and at each field.
    page.get_by_label("Gäller från").fill("2001-01-01")
    page.get_by_label("Gäller till").fill("31/12/2099")
    page.get_by_role("button", name="Tilldela").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Roll:")
    expect(summary).to_contain_text("Startdatumet har redan passerat")
    expect(summary).to_contain_text("ÅÅÅÅ-MM-DD")
    for field in ("role", "valid_from", "valid_until"):
        expect(page.locator(f"#id_{field}")).to_have_attribute("aria-invalid", "true")
    check_a11y(page)
    screenshot(page, "user-role-errors")

    page.get_by_label("Roll", exact=True).select_option(label="Beställare")
    choose_node(page, "Gäller för", "Bengtsfors", "Bengtsfors kommun")
    page.get_by_label("Gäller från").fill(start)
    page.get_by_label("Gäller till").fill("")
    page.get_by_role("button", name="Tilldela").press("Enter")
    expect(message(page)).to_have_text("Rollen är tilldelad.")
    future = page.get_by_role("table", name="Kommande roller")
    expect(future.get_by_role("row", name=re.compile("^Beställare"))).to_contain_text(start)
    current = page.get_by_role("table", name="Gällande roller", exact=True)
    expect(current).not_to_contain_text("Beställare")
    check_a11y(page)
    screenshot(page, "user-roles-future")
