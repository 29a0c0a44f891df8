"""The service catalogue as Mellerud's orderer uses it: search the catalogue, order a package for
their unit, submit it and see it among their orders; the pages pass axe-core and work at 375 px."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .helpers import check_a11y, login, menu_link, screenshot, url

pytestmark = pytest.mark.browser


def test_orderer_searches_orders_a_package_and_sees_it(page: Page) -> None:
    login(page, "bestallare-mellerud")
    menu_link(page, "Tjänstekatalog").click()
    expect(page).to_have_url(url(page, "/katalog/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Tjänstekatalog")
    expect(page.get_by_text("ITR-2026-003 (exempel)")).to_be_visible()
    check_a11y(page)
    screenshot(page, "catalog")

    # Search by a word of the description.
    search = page.get_by_role("search", name="Sök i katalogen")
    search.get_by_label("Sök tjänst eller paket").fill("hemtjänsten")
    search.get_by_role("button", name="Sök").click()
    expect(page.get_by_role("status")).to_contain_text("träff")
    expect(page.get_by_role("rowheader", name="Delad stationär dator").first).to_be_visible()
    search.get_by_label("Sök tjänst eller paket").fill("vård och omsorg")
    search.get_by_role("button", name="Sök").click()
    package = page.get_by_role("region", name="Delad arbetsplats vård och omsorg")
    expect(package.get_by_role("table")).to_contain_text("Funktionskonto")
    check_a11y(page)

    # Order it for the unit (the orderer's own unit is preselected).
    package.get_by_role("link", name="Beställ Delad arbetsplats vård och omsorg").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ny beställning")
    expect(page.get_by_label("Enhet")).to_have_value(re.compile(r"\d+"))
    expect(page.get_by_label("Enhet").locator("option:checked")).to_contain_text("Hemtjänst norr")
    page.get_by_label("Antal").fill("0")
    page.get_by_role("button", name="Spara utkast").click()
    expect(page.get_by_role("alert")).to_contain_text("Antal")
    check_a11y(page)
    page.get_by_label("Antal").fill("2")
    page.get_by_label("Meddelande till IT").fill("Till nattpatrullen")
    page.get_by_role("button", name="Spara utkast").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Beställning B-")
    expect(page.locator("#order-status")).to_have_text("Utkast")
    page.get_by_role("button", name="Skicka beställningen").click()
    expect(page.get_by_text("Beställningen är skickad.")).to_be_visible()
    expect(page.locator("#order-status")).to_have_text("Godkänd")
    expect(page.get_by_role("table", name="Händelser")).to_contain_text("Status: Godkänd")
    check_a11y(page)
    number = page.get_by_role("heading", level=1).inner_text().split()[-1]

    menu_link(page, "Beställningar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mina beställningar")
    row = page.get_by_role("row").filter(has_text=number)
    expect(row).to_contain_text("Hemtjänst norr")
    expect(row).to_contain_text("Godkänd")
    check_a11y(page)

    menu_link(page, "Prenumerationer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Min enhets prenumerationer")
    expect(page.get_by_role("table")).to_contain_text("Särskilt boende")
    check_a11y(page)


def test_catalogue_at_375_px(page: Page) -> None:
    page.set_viewport_size({"width": 375, "height": 800})
    login(page, "bestallare-mellerud")
    for path in ("/katalog/", "/katalog/bestall/", "/katalog/bestallningar/",
                 "/katalog/prenumerationer/"):  # fmt: skip
        response = page.goto(url(page, path))
        assert response is not None
        assert response.status == 200
        # Nothing but a table's own scroll box is wider than the screen.
        overflow = page.evaluate("document.documentElement.scrollWidth")
        assert overflow <= 375, f"{path}: page is {overflow}px wide"
        check_a11y(page)
