"""Managing the positions of the joint IT organisation, and reading their history."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .helpers import check_a11y, login, menu_link, url, visit

pytestmark = pytest.mark.browser


def test_positions_are_created_changed_and_closed(page: Page) -> None:
    login(page, "admin")
    menu_link(page, "Gemensam IT-organisation").click()
    expect(page).to_have_url(url(page, "/it-organisation/"))
    expect(page.locator("p.lead")).to_have_text("28 tjänster")
    check_a11y(page)

    # A new position: nothing filled in is refused with the error summary.
    page.get_by_role("link", name="Ny tjänst").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ny tjänst")
    check_a11y(page)
    page.get_by_role("button", name="Spara").click()
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("Befattning")
    check_a11y(page)
    page.get_by_label("Befattning").fill("Nätverkstekniker")
    page.get_by_label("Linje").select_option(label="2:a linjen")
    page.get_by_label("Team").select_option(label="2:a linjen")
    page.get_by_role("button", name="Spara").click()
    expect(page).to_have_url(url(page, "/it-organisation/"))
    expect(page.get_by_role("status")).to_contain_text("Tjänsten Nätverkstekniker är skapad.")
    expect(page.locator("p.lead")).to_have_text("29 tjänster")
    row = page.locator("tr", has_text="Nätverkstekniker")
    expect(row).to_contain_text("Vakant")

    # Filled by a person, then closed: it leaves the page but not the record.
    row.get_by_role("link", name="Ändra Nätverkstekniker").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ändra tjänsten Nätverkstekniker")
    check_a11y(page)
    holder = page.get_by_label("Innehavare")
    holder.select_option(index=1)
    chosen = holder.locator("option:checked").inner_text().split(" (")[0]
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("status")).to_contain_text("Ändringarna är sparade.")
    expect(page.locator("tr", has_text="Nätverkstekniker")).to_contain_text(chosen)

    page.get_by_role("link", name=f"Ändra Nätverkstekniker, {chosen}").click()
    close = page.get_by_role("form", name="Avsluta tjänsten")
    close.get_by_label("Avslutas från och med").fill("2026-12-31")
    close.get_by_role("button", name="Avsluta tjänsten").click()
    expect(page.get_by_role("status")).to_contain_text("Tjänsten Nätverkstekniker är avslutad.")
    expect(page.locator("p.lead")).to_have_text("28 tjänster")
    expect(page.locator("tr", has_text="Nätverkstekniker")).to_have_count(0)

    # The audit log tells the story in words: labels, names and choice labels.
    visit(page, "/granskning/?object_type=tenancy.position&q=N%C3%A4tverkstekniker")
    rows = page.locator("#audit-results table:not(.changes) > tbody > tr")
    expect(rows).to_have_count(3)
    newest = rows.first
    expect(newest).to_contain_text("(tjänst)")
    expect(newest).to_contain_text("avslutad, innehavare")
    newest.locator("summary").click()
    changes = newest.locator("table.changes")
    expect(changes.locator("tr", has_text="innehavare")).to_contain_text(chosen)
    expect(changes.locator("tr", has_text="avslutad")).to_contain_text("2026-12-31")
    created = rows.last
    created.locator("summary").click()
    expect(created.get_by_role("row", name="linje – 2:a linjen", exact=True)).to_be_visible()
    expect(created.get_by_role("row", name="team – 2:a linjen", exact=True)).to_be_visible()
    expect(created.locator("table.changes")).not_to_contain_text("team_id")
    expect(created.locator("table.changes")).not_to_contain_text("version")
    check_a11y(page)

    # The same in English, after the language switch in the header.
    page.get_by_role("banner").get_by_role("button", name="English").click()
    visit(page, "/granskning/?object_type=tenancy.position&q=N%C3%A4tverkstekniker")
    newest = page.locator("#audit-results table:not(.changes) > tbody > tr").first
    expect(newest).to_contain_text("(position)")
    expect(newest).to_contain_text("closed, holder")
    newest.locator("summary").click()
    expect(newest.locator("table.changes tr", has_text="holder")).to_contain_text(chosen)
    check_a11y(page)
