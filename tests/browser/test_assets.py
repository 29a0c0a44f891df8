"""Devices in a browser: `tekniker` imports the example export with its deliberate errors, reads
them by line, imports the corrected file; `admin` reads Mellerud's compliance and the refresh plan;
`anvandare-bengtsfors` reports a problem from "Mina enheter". Every page passes axe-core."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from .helpers import check_a11y, login, url

pytestmark = pytest.mark.browser

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"


def test_technician_imports_the_example_file(page: Page) -> None:
    login(page, "tekniker")
    page.goto(url(page, "/enheter/import/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Importera enheter")
    check_a11y(page)
    page.get_by_label("Fil (CSV eller XLSX)").set_input_files(
        str(EXAMPLES / "intune-enheter-med-fel.csv")
    )
    page.get_by_role("button", name="Kontrollera filen").click()
    expect(page.locator("#import-status")).to_contain_text("Har fel")
    expect(page.locator("#import-rows")).to_contain_text("ThinkPad X1 Carbon")
    expect(page.get_by_role("button", name="Starta importen")).to_have_count(0)
    check_a11y(page)
    page.get_by_role("link", name="Importera enheter").first.click()
    page.get_by_label("Fil (CSV eller XLSX)").set_input_files(str(EXAMPLES / "intune-enheter.csv"))
    page.get_by_role("button", name="Kontrollera filen").click()
    expect(page.locator("#import-counts")).to_contain_text("Nya enheter: 10")
    page.get_by_role("button", name="Starta importen").click()
    expect(page.locator("#import-status")).to_contain_text("Klar")
    check_a11y(page)


def test_admin_compliance_and_plan_and_user_reports_a_problem(page: Page) -> None:
    login(page, "admin")
    page.goto(url(page, "/enheter/efterlevnad/"))
    page.get_by_label("Kommun", exact=True).select_option(label="Melleruds kommun")
    page.get_by_role("button", name="Visa").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Melleruds kommun")
    page.locator("#compliance").get_by_role(
        "link", name="Inte ansluten till enhetshantering"
    ).click()
    expect(page.locator("#rule-devices")).to_be_visible()
    check_a11y(page)
    page.goto(url(page, "/enheter/planering/"))
    page.get_by_label("Kommun", exact=True).select_option(label="Melleruds kommun")
    page.get_by_label("År", exact=True).select_option(index=2)
    page.get_by_role("button", name="Visa").click()
    expect(page.locator("#plan tbody tr")).to_have_count(4)
    check_a11y(page)
    page.context.clear_cookies()

    login(page, "anvandare-bengtsfors")
    page.goto(url(page, "/enheter/mina/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Mina enheter")
    check_a11y(page)
    page.get_by_role("link", name="Anmäl ett problem med").first.click()
    expect(page.get_by_label("Vad gäller det?")).to_have_value(re.compile(r"^Problem med .*BEN-"))
    check_a11y(page)
