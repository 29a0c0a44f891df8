"""The network standard in a browser: `tekniker` names a new switch at a Mellerud site (gets the
next free name), checks a wrong name and is told which part is wrong, and imports a site's VLANs
from a CSV file in NetBox's layout (a check that finds a bad row, then the corrected file).
Every page passes axe-core."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from .helpers import check_a11y, login, menu_link, screenshot

pytestmark = pytest.mark.browser


def test_technician_names_a_switch_and_imports_a_sites_vlans(page: Page, tmp_path: Path) -> None:
    from itfabrik.network.models import Vlan

    login(page, "tekniker")
    menu_link(page, "Nätverk").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nätverk")
    expect(page.locator("#conformance")).to_contain_text("Melleruds kommun")
    check_a11y(page)

    page.get_by_role("link", name="Namnge nätverksenhet").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Namnge nätverksenhet")
    check_a11y(page)
    page.get_by_label("Plats").select_option(label="Mellerud vårdcentral (VC)")
    page.get_by_label("Enhetstyp").select_option(label="Switch (SW)")
    page.get_by_label("Modell").fill("CX 6100")
    page.get_by_role("button", name="Namnge och registrera").click()
    expect(page.get_by_text("MEL-VC-SW-03 är registrerad med nästa lediga namn.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("MEL-VC-SW-03")
    expect(page.locator("#conforms")).to_have_text("Ja")
    check_a11y(page)

    page.goto(page.url.split("/natverk/")[0] + "/natverk/enheter/ny/")
    page.get_by_label("Namn att kontrollera").fill("MEL-VC-SWITCH-3")
    page.get_by_role("button", name="Kontrollera").click()
    result = page.locator("#check-result")
    expect(result).to_contain_text("MEL-VC-SWITCH-3 följer inte standarden")
    expect(result).to_contain_text("Typkod finns inte i standarden.")
    expect(result).to_contain_text("Löpnummer har fel antal siffror")
    check_a11y(page)

    bad = tmp_path / "vlan.csv"
    bad.write_text(
        "vid,name,site,group,status\n"
        "50,IOT,Mellerud grundskola,MEL-SKOLA1,active\n"
        "5000,KAMERA,Mellerud grundskola,MEL-SKOLA1,active\n",
        encoding="utf-8",
    )
    page.goto(page.url.split("/natverk/")[0] + "/natverk/")
    page.get_by_role("link", name="Importera CSV").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Importera nätverksenheter och VLAN")
    page.get_by_label("Innehåll").select_option(label="VLAN")
    page.get_by_label("CSV-fil").set_input_files(str(bad))
    page.get_by_role("button", name="Kontrollera filen").click()
    expect(page.locator("#import-errors")).to_contain_text(
        "5000 är inget VLAN-ID mellan 1 och 4094."
    )
    check_a11y(page)
    site_vlans = Vlan.objects.filter(site__name="Mellerud grundskola")
    assert not site_vlans.filter(vid=50).exists()

    good = tmp_path / "vlan-ratt.csv"
    good.write_text(
        "vid,name,site,group,status\n"
        "50,IOT,Mellerud grundskola,MEL-SKOLA1,active\n"
        "500,KAMERA,Mellerud grundskola,MEL-SKOLA1,active\n",
        encoding="utf-8",
    )
    page.get_by_label("Innehåll").select_option(label="VLAN")
    page.get_by_label("CSV-fil").set_input_files(str(good))
    page.get_by_role("button", name="Importera", exact=True).click()
    expect(page.get_by_text("Importen är klar: 2 nya, 0 ändrade, 0 oförändrade.")).to_be_visible()
    check_a11y(page)
    screenshot(page, "network-import")
    assert site_vlans.filter(vid__in=[50, 500]).count() == 2

    # The school is no longer missing the plan's VLAN 50.
    page.goto(page.url.split("/natverk/")[0] + "/natverk/")
    page.get_by_role("link", name="Melleruds kommun").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nätverksstandard i Melleruds kommun")
    expect(page.locator("main")).not_to_contain_text("VLAN 50 (IOT) saknas.")
    expect(page.locator("main")).to_contain_text("VLAN 500 (KAMERA) finns inte i standardplanen.")
    check_a11y(page)
