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
