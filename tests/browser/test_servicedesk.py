"""The service desk in a browser: `agent` registers a phone call from the keyboard alone and finds
it in the queue with the due time the calendar gives; `anvandare-fargelanda` reports a problem
in the portal and finds it under "Mina ärenden". Every page passes axe-core."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .helpers import check_a11y, login, menu_link, screenshot, send_problem_report, url

pytestmark = pytest.mark.browser


def test_agent_registers_a_phone_call_from_the_keyboard(page: Page) -> None:
    login(page, "agent")
    page.goto(url(page, "/servicedesk/nytt/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Registrera samtal eller besök")
    check_a11y(page)

    field = page.get_by_role("combobox", name="Anmälare")
    field.focus()
    field.press_sequentially("Fia", delay=20)
    listbox = page.get_by_role("listbox", name="Träffar")
    option = listbox.get_by_role("option").filter(has_text="anvandare-fargelanda")
    expect(option).to_be_visible()
    for _ in range(10):
        field.press("ArrowDown")
        if option.get_attribute("aria-selected") == "true":
            break
    field.press("Enter")
    expect(field).to_have_value("Fia Ström (anvandare-fargelanda)")

    page.keyboard.press("Tab")  # the title
    page.keyboard.type("Skrivaren i personalrummet skriver inte ut")
    page.keyboard.press("Tab")  # the description
    page.keyboard.type("Ringde in, felet kom i morse.")
    page.keyboard.press("Tab")  # impact: keep "Låg" (one person)
    page.keyboard.press("Tab")  # urgency
    page.keyboard.type("H")  # "Hög": low × high is P3
    expect(page.get_by_label("Brådska")).to_have_value("high")
    for _ in range(5):  # type, channel (phone), service, device, then "Anmäld"
        page.keyboard.press("Tab")
    expect(page.get_by_label("Anmäld")).to_be_focused()
    page.keyboard.press("ControlOrMeta+a")
    # Friday 27 November 2026 10:00: 24 business hours on Servicedesk Dalsland's calendar
    # (6.5 h Fri, 8.5 h Mon, 8.5 h Tue, 0.5 h Wed) end Wednesday 2 December 08:30.
    page.keyboard.type("2026-11-27 10:00")
    page.keyboard.press("Enter")

    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text("Skrivaren i personalrummet skriver inte ut")
    reference = heading.inner_text().split()[0]
    assert reference.startswith("SD-2026-")
    expect(page.locator("#resolution-due")).to_have_text("2026-12-02 08:30")
    expect(page.locator("#ticket-facts")).to_contain_text("Telefon")
    check_a11y(page)

    page.goto(url(page, f"/servicedesk/?q={reference}"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Ärendekö")
    row = page.get_by_role("row").filter(has_text=reference)
    expect(row).to_contain_text("P3")
    expect(row).to_contain_text("2026-12-02 08:30")
    check_a11y(page)
    page.goto(url(page, "/servicedesk/"))
    expect(page.get_by_role("row").filter(has_text=reference)).to_be_visible()
    screenshot(page, "servicedesk-queue")


def test_end_user_reports_a_problem_in_the_portal(page: Page) -> None:
    login(page, "anvandare-fargelanda")
    page.get_by_role("link", name="Anmäl ett problem").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Anmäl ett problem")
    check_a11y(page)
    page.get_by_role("button", name="Skicka anmälan").click()
    expect(page.get_by_role("alert")).to_contain_text("Vad gäller det?")
    check_a11y(page)
    reference = send_problem_report(
        page, "Kan inte öppna journalsystemet", "Felmeddelande om licens sedan i morse."
    )
    expect(page.get_by_text(f"Tack! Ditt ärende har nummer {reference}.")).to_be_visible()
    check_a11y(page)

    menu_link(page, "Mina ärenden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mina ärenden")
    row = page.get_by_role("row").filter(has_text=reference)
    expect(row).to_contain_text("Kan inte öppna journalsystemet")
    expect(row).to_contain_text("Ny")
    check_a11y(page)
