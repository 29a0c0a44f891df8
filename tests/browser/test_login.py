"""The login page: the form, a wrong password, the lockout after repeated failures, logging out."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .helpers import check_a11y, login, screenshot, url

pytestmark = pytest.mark.browser


def test_login_page_and_wrong_password(page: Page) -> None:
    page.goto(url(page, "/"))
    # Anonymous visitors are sent to the login form.
    expect(page).to_have_url(url(page, "/konto/logga-in/?next=/"))
    expect(page).to_have_title("Logga in – itfabrik")
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    check_a11y(page)
    screenshot(page, "login")

    page.get_by_label("Användarnamn").fill("admin")
    page.get_by_label("Lösenord").fill("fel-lösenord")
    page.get_by_role("button", name="Logga in").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("heading")).to_have_text("Något behöver rättas")
    # Focus is on the summary (app.js), not on the autofocused username field.
    expect(summary).to_be_focused()
    expect(page).to_have_url(url(page, "/konto/logga-in/?next=/"))
    check_a11y(page)


def test_lockout_after_repeated_failures(page: Page) -> None:
    page.goto(url(page, "/konto/logga-in/"))
    locked = page.get_by_role("heading", name="För många misslyckade försök")
    for _attempt in range(6):
        page.get_by_label("Användarnamn").fill("ekonom")
        page.get_by_label("Lösenord").fill("gissning")
        page.get_by_role("button", name="Logga in").click()
        page.wait_for_load_state()
        if locked.count():
            break
    expect(locked).to_be_visible()
    check_a11y(page)
    # Even the right password is refused while locked out.
    page.get_by_label("Användarnamn").fill("ekonom")
    page.get_by_label("Lösenord").fill("itfabrik-demo")
    page.get_by_role("button", name="Logga in").click()
    expect(locked).to_be_visible()
    expect(page).to_have_url(url(page, "/konto/logga-in/"))


def test_login_and_logout(page: Page) -> None:
    login(page, "agent")
    check_a11y(page)
    page.get_by_role("button", name="Logga ut").click()
    page.goto(url(page, "/organisation/"))
    expect(page).to_have_url(url(page, "/konto/logga-in/?next=/organisation/"))
