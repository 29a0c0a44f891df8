"""The service desk's configuration and NIS2 in a browser: `admin` shortens Fridays and adds an
extra closed day on the calendar "Servicedesk Dalsland" and sees it among the coming closed days
with its name, and puts a person on the VIP list by searching for part of the name (a group's
page names its lead in the same kind of search field); `agent` marks an incident significant
under NIS2, sees the three deadlines and finds it in the queue under "NIS2-frister". Every page
passes axe-core."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .helpers import check_a11y, login, url

pytestmark = pytest.mark.browser


def test_admin_edits_the_calendar(page: Page) -> None:
    login(page, "admin")
    page.goto(url(page, "/servicedesk/installningar/kalendrar/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Kalendrar")
    check_a11y(page)
    page.get_by_role("link", name="Servicedesk Dalsland").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Servicedesk Dalsland")
    coming = page.locator("#coming-days")
    expect(coming).to_contain_text("Juldagen")
    expect(coming).to_contain_text("Midsommarafton")
    check_a11y(page)

    page.get_by_label("Fredag").fill("08:00-15:00")
    page.get_by_role("button", name="Spara kalendern").click()
    expect(page.get_by_text("Kalendern är sparad.")).to_be_visible()
    expect(page.get_by_label("Fredag")).to_have_value("08:00-15:00")

    # Bad hours: the field is named, nothing saved.
    page.get_by_label("Måndag").fill("17:00-08:00")
    page.get_by_role("button", name="Spara kalendern").click()
    expect(page.get_by_role("alert")).to_contain_text("Måndag")
    check_a11y(page)
    page.goto(page.url)
    expect(page.get_by_label("Måndag")).to_have_value("08:00-16:30")

    page.get_by_label("Datum").fill("2026-12-28")
    page.get_by_label("Anteckning").fill("Flyttdag")
    page.get_by_role("button", name="Spara dagen").click()
    expect(page.get_by_text("Dagen är sparad.")).to_be_visible()
    row = page.locator("#coming-days tr").filter(has_text="2026-12-28")
    expect(row).to_contain_text("Flyttdag")
    expect(row).to_contain_text("stängt")
    check_a11y(page)


def test_admin_adds_a_vip_by_searching_for_the_name(page: Page) -> None:
    login(page, "admin")
    page.goto(url(page, "/servicedesk/installningar/vip/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Prioriterade personer")
    check_a11y(page)

    field = page.get_by_role("combobox", name="Person")
    field.focus()
    field.press_sequentially("Strö", delay=20)
    listbox = page.get_by_role("listbox", name="Träffar")
    option = listbox.get_by_role("option").filter(has_text="anvandare-fargelanda")
    expect(option).to_be_visible()
    expect(field).to_have_attribute("aria-expanded", "true")
    check_a11y(page)
    field.press("ArrowDown")
    expect(option).to_have_attribute("aria-selected", "true")
    field.press("Enter")
    expect(field).to_have_value("Fia Ström (anvandare-fargelanda)")
    expect(listbox).to_be_hidden()

    page.keyboard.press("Tab")
    expect(page.get_by_label("Skäl")).to_be_focused()
    page.keyboard.type("Kommundirektör")
    page.get_by_role("button", name="Lägg till").click()
    expect(page.get_by_text("Personen är tillagd på listan.")).to_be_visible()
    row = page.locator("#vips tbody tr").filter(has_text="anvandare-fargelanda")
    expect(row).to_contain_text("Fia Ström")
    expect(row).to_contain_text("Kommundirektör")
    check_a11y(page)

    # A group's page: the lead reads by name, beside the search for a new member.
    page.goto(url(page, "/servicedesk/installningar/grupper/"))
    page.get_by_role("link", name="Servicedesk 1:a linjen").click()
    expect(page.get_by_role("combobox", name="Teamledare")).to_have_value("Anna Admin (admin)")
    expect(page.get_by_role("combobox", name="Person")).to_have_value("")
    check_a11y(page)


def test_agent_marks_an_incident_significant_under_nis2(page: Page) -> None:
    from itfabrik.accounts.models import User
    from itfabrik.core.actors import SYSTEM
    from itfabrik.servicedesk import services

    ticket = services.ticket_create(
        actor=SYSTEM,
        requester=User.objects.get(username="anvandare-fargelanda"),
        title="Misstänkt intrång i e-posten",
        impact="high",
        urgency="high",
    )
    login(page, "agent")
    page.goto(url(page, f"/servicedesk/arenden/{ticket.pk}/"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(ticket.reference)
    page.get_by_role("button", name="Markera som betydande (NIS2)").click()
    expect(page.get_by_text("Incidenten är markerad som betydande enligt NIS2.")).to_be_visible()
    deadlines = page.locator("#nis2-deadlines")
    expect(deadlines).to_contain_text("Tidig varning")
    expect(deadlines).to_contain_text("Incidentanmälan")
    expect(deadlines).to_contain_text("Slutrapport")
    check_a11y(page)

    page.goto(url(page, "/servicedesk/"))
    page.get_by_label("Grupp").first.select_option("all")
    page.get_by_label("NIS2-frister").check()
    page.get_by_role("button", name="Filtrera").click()
    row = page.locator("#queue tbody tr").filter(has_text=ticket.reference)
    expect(row).to_contain_text("NIS2")
    check_a11y(page)
    # `g q` leads back to the queue from the ticket page, `n` to a new phone ticket.
    row.get_by_role("link", name=ticket.reference).click()
    page.locator("body").click(position={"x": 1, "y": 1})
    page.keyboard.press("n")
    expect(page).to_have_url(url(page, "/servicedesk/nytt/"))
