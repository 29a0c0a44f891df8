"""User administration: find a person, grant a role, take it away again."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .helpers import check_a11y, login

pytestmark = pytest.mark.browser


def test_grant_and_revoke_role(page: Page) -> None:
    login(page, "admin")
    nav = page.get_by_role("navigation", name="Huvudmeny")
    nav.get_by_role("link", name="Användare", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Användare")
    check_a11y(page)

    search = page.get_by_role("search", name="Sök användare")
    search.get_by_label("Sök namn, användarnamn eller e-post").fill("bengtsfors")
    search.get_by_role("button", name="Sök").click()
    table = page.locator("main table")
    expect(table.locator("caption")).to_have_text("1 användare")
    table.get_by_role("link", name="Björn Ek").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Björn Ek")
    roles = page.get_by_role("table", name="Roller")
    expect(roles.locator("tbody tr")).to_have_count(1)
    check_a11y(page)

    page.get_by_label("Roll", exact=True).select_option(label="Beställare")
    node = page.get_by_label("Gäller för")
    value = node.locator("option", has_text=re.compile(r"^\W*Bengtsfors kommun$")).get_attribute(
        "value"
    )
    assert value
    node.select_option(value=value)
    page.get_by_role("button", name="Tilldela").click()
    expect(page.get_by_role("status")).to_have_text("Rollen är tilldelad.")
    expect(roles.locator("tbody tr")).to_have_count(2)
    expect(roles.get_by_role("row", name=re.compile("^Beställare"))).to_contain_text(
        "Bengtsfors kommun"
    )
    check_a11y(page)

    page.get_by_role("button", name="Ta bort Beställare – Bengtsfors kommun").click()
    expect(page.get_by_role("status")).to_have_text("Rollen är borttagen.")
    expect(roles.locator("tbody tr")).to_have_count(1)
    check_a11y(page)
