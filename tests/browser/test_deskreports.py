"""Service desk reports in a browser: `agent` opens the SLA compliance report from the menu,
narrows it to one municipality and downloads the table as CSV. Every page passes axe-core."""

from __future__ import annotations

import csv
import io

import pytest
from playwright.sync_api import Page, expect

from .helpers import check_a11y, login, menu_link, screenshot

pytestmark = pytest.mark.browser


def test_agent_filters_sla_by_municipality_and_downloads_csv(page: Page) -> None:
    login(page, "agent")
    menu_link(page, "Servicedeskrapporter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rapporter för servicedesken")
    check_a11y(page)
    page.get_by_role("main").get_by_role("link", name="SLA-uppfyllelse").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("SLA-uppfyllelse")
    expect(page.locator("#definition")).to_contain_text("Svar i tid")
    check_a11y(page)

    page.get_by_label("Kommun", exact=True).select_option(label="Färgelanda kommun")
    page.get_by_role("button", name="Visa").click()
    expect(page.get_by_text("Bara Färgelanda kommun.")).to_be_visible()
    table = page.locator("#table-municipality")
    expect(table.locator("tbody th")).to_have_text(["Färgelanda kommun"])
    expect(page.get_by_role("img", name="SLA per kommun").first).to_be_visible()
    check_a11y(page)
    screenshot(page, "deskreports-sla")

    with page.expect_download() as info:
        page.get_by_role("link", name="CSV – SLA per kommun").click()
    download = info.value
    assert download.suggested_filename.startswith("servicedesk-sla-municipality-")
    with open(download.path(), encoding="utf-8-sig") as f:
        rows = list(csv.reader(io.StringIO(f.read()), delimiter=";"))
    assert rows[0][0] == "Kommun"
    assert [r[0] for r in rows[1:]] == ["Färgelanda kommun"]
    assert int(rows[1][1]) > 0
