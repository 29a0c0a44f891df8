"""Identity in a browser: `admin` hires a person in Mellerud and sees the account, the address,
the entitlements and the package order; then opens a remedy ticket for a policy violation.
Every page passes axe-core."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .helpers import check_a11y, login, url

pytestmark = pytest.mark.browser


def test_admin_hires_in_mellerud_and_remedies_a_violation(page: Page) -> None:
    login(page, "admin")
    page.goto(url(page, "/identitet/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Personer och konton")
    check_a11y(page)
    page.get_by_role("link", name="Anställ person").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Anställ person")
    check_a11y(page)
    page.get_by_label("Förnamn").fill("Märta")
    page.get_by_label("Efternamn").fill("Östlund")
    page.get_by_label("Enhet").select_option(label="Melleruds kommun – Hemtjänst norr")
    page.get_by_label("Befattning").fill("Undersköterska")
    page.get_by_label("Startdatum").fill("2026-12-01")
    page.get_by_label("Verksamhetsroll").select_option(
        label="Melleruds kommun – Undersköterska hemtjänst"
    )
    page.get_by_role("button", name="Anställ").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Märta Östlund")
    expect(page.locator("#accounts")).to_contain_text("marta.ostlund@mellerud.se")
    expect(page.locator("#grants")).to_contain_text("Lifecare – utförare")
    expect(page.locator("#employments")).to_contain_text("Standardpaket, beställning")
    check_a11y(page)

    page.goto(url(page, "/identitet/avvikelser/?typ=missing_mfa"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Policyavvikelser")
    check_a11y(page)
    page.get_by_role("button", name="Skapa ärende för").first.click()
    expect(page.get_by_text("är skapat för åtgärden")).to_be_visible()
    check_a11y(page)


def test_admin_creates_and_revokes_a_scim_token(page: Page) -> None:
    """ADR 0038: the token is shown once after it is made; the list shows its start only."""
    from .helpers import menu_link

    login(page, "admin")
    menu_link(page, "SCIM-nycklar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("SCIM-nycklar")
    check_a11y(page)
    page.get_by_label("Namn").fill("Entra ID")
    page.get_by_role("button", name="Skapa nyckel").click()
    expect(page.locator("#token-secret")).to_contain_text("scim_")
    expect(page.locator("#tokens")).to_contain_text("Entra ID")
    check_a11y(page)
    page.get_by_role("button", name="Återkalla Entra ID").click()
    expect(page.locator("#tokens")).to_contain_text("Återkallad")
    check_a11y(page)
