"""The catalogue manager's day: `admin` creates a service, puts it in a package, makes a new
price-list version from tomorrow and is told clearly when a further version would overlap it.
Every page passes axe-core and works at 375 px."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from .helpers import check_a11y, login, menu_link, screenshot, url

pytestmark = pytest.mark.browser


def test_admin_manages_the_catalogue(page: Page) -> None:
    from itfabrik.catalog.models import PriceList

    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    # The governance demo's proposed "Prislista 2027" would clash with the versions made here; it
    # is set aside as the catalogue tests do (catalog/tests/fixtures.py).
    PriceList.objects.filter(valid_from__gt=tomorrow).update(is_active=False)
    login(page, "admin")
    menu_link(page, "Katalogförvaltning").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Katalogförvaltning: tjänster")
    expect(page.get_by_role("rowheader", name="Support")).to_be_visible()
    check_a11y(page)
    screenshot(page, "catalog-manage-services")

    # A new service: a bad submit first (no name), then the real one.
    page.get_by_role("link", name="Ny tjänst").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ny tjänst")
    page.get_by_label("Tjänsteområde").select_option(label="IT-arbetsplats")
    page.get_by_label("Prismodell").select_option(label="Per enhet och månad")
    page.get_by_label("Enhet", exact=True).fill("st")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("alert")).to_contain_text("Namn")
    check_a11y(page)
    page.get_by_label("Namn").fill("Dockningsstation")
    page.get_by_label("Beskrivning").fill("En dockningsstation till en bärbar dator.")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_text("Tjänsten Dockningsstation är skapad.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ändra Dockningsstation")
    check_a11y(page)

    # Into the office package, two of them.
    tabs = page.get_by_role("navigation", name="Katalogförvaltning")
    tabs.get_by_role("link", name="Paket").click()
    page.get_by_role("link", name="Kontorsarbetsplats").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Paket: Kontorsarbetsplats")
    add = page.locator("form", has=page.get_by_role("button", name="Lägg till i paketet"))
    add.get_by_label("Tjänst").select_option(label="Dockningsstation")
    add.get_by_label("Antal").fill("2")
    add.get_by_role("button", name="Lägg till i paketet").click()
    expect(page.get_by_text("Dockningsstation ingår nu i paketet med antal 2.")).to_be_visible()
    contents = page.get_by_role("table", name="Innehåll")
    expect(contents.get_by_role("row").filter(has_text="Dockningsstation")).to_contain_text("2")
    check_a11y(page)

    # A new price-list version from tomorrow, copied from the current one, which ends today.
    tabs.get_by_role("link", name="Prislistor").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Prislistor")
    check_a11y(page)
    page.get_by_role("link", name="Ny version").click()
    page.get_by_label("Namn").fill("Prislista från i morgon")
    page.get_by_label("Gäller från").fill(tomorrow.isoformat())
    page.get_by_label("Beslut", exact=True).fill("ITR-2026-099")
    expect(page.get_by_label("Avsluta versionen jag utgår från dagen före")).to_be_checked()
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Prislista: Prislista från i morgon")
    expect(page.get_by_role("table", name="Priser")).to_contain_text("Support")
    check_a11y(page)

    # Another version that would overlap it: refused, and the message names the clash.
    tabs.get_by_role("link", name="Prislistor").click()
    page.get_by_role("link", name="Ny version").click()
    page.get_by_label("Namn").fill("Krockande version")
    page.get_by_label("Gäller från").fill((tomorrow + dt.timedelta(days=10)).isoformat())
    page.get_by_label("Beslut", exact=True).fill("ITR-2026-100")
    page.get_by_label("Avsluta versionen jag utgår från dagen före").uncheck()
    page.get_by_role("button", name="Spara").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("överlappar prislistan")
    expect(summary.get_by_role("link")).to_contain_text("Gäller från")
    expect(page.locator("#id_valid_from_error")).to_contain_text("Prislista från i morgon")
    check_a11y(page)


def test_catalogue_management_at_375_px(page: Page) -> None:
    page.set_viewport_size({"width": 375, "height": 800})
    login(page, "admin")
    for path in ("/katalog/forvaltning/tjanster/", "/katalog/forvaltning/tjanster/ny/",
                 "/katalog/forvaltning/omraden/", "/katalog/forvaltning/paket/",
                 "/katalog/forvaltning/prislistor/", "/katalog/forvaltning/prislistor/ny/"):  # fmt: skip
        response = page.goto(url(page, path))
        assert response is not None
        assert response.status == 200
        overflow = page.evaluate("document.documentElement.scrollWidth")
        assert overflow <= 375, f"{path}: page is {overflow}px wide"
        check_a11y(page)
    page.goto(url(page, "/katalog/forvaltning/paket/"))
    page.get_by_role("link", name="Elevenhet").click()
    # The click starts a navigation: measure the package's page, not the list being left (read
    # between the two, the document has no root element yet).
    expect(page.get_by_role("heading", level=1)).to_have_text("Paket: Elevenhet")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    check_a11y(page)
