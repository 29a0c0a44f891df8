"""The chat in two browsers (issue 8, point 7): `anvandare-fargelanda` opens a chat in the
portal, `agent` picks it up from the queue, a message from each appears on the other side
without a reload (server-sent events, across at least one reconnect), and after a reload both
pages still show the whole conversation. Every page passes axe-core, the user's also at 375 px.

The chat's clock is fixed inside opening hours (ITFABRIK_CHAT_NOW, read by the live server in
this process), so the test never depends on when CI runs it; streams end after 2 s so the
browser's automatic reconnect with Last-Event-ID is part of the journey."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from itfabrik.chat.tests.fixtures import OPEN_NOW

from .helpers import check_a11y, login, url

pytestmark = pytest.mark.browser


@pytest.fixture
def agent_page(browser: Browser, browser_context_args: dict[str, Any], site: str) -> Iterator[Page]:
    """A second browser with its own cookies: the agent."""
    context = browser.new_context(**browser_context_args)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.site = site  # type: ignore[attr-defined]
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert not errors, f"JavaScript errors on the agent's page: {errors}"


def log_items(page: Page, text: str) -> Any:
    return page.locator("#chat-log li").filter(has_text=text)


def test_chat_live_on_both_sides_and_after_reload(
    page: Page, agent_page: Page, settings: Any
) -> None:
    settings.ITFABRIK_CHAT_NOW = OPEN_NOW
    settings.ITFABRIK_CHAT_STREAM_SECONDS = 2
    settings.ITFABRIK_CHAT_POLL_SECONDS = 0.2
    fia, agent = page, agent_page

    # The user opens a chat.
    login(fia, "anvandare-fargelanda")
    fia.goto(url(fia, "/chatt/"))
    expect(fia.get_by_role("heading", level=1)).to_have_text("Chatta med servicedesken")
    check_a11y(fia)
    fia.get_by_label("Vad gäller det?").fill("Skrivaren på plan 2 skriver inte ut")
    fia.get_by_role("button", name="Starta chatt").click()
    expect(fia.get_by_role("heading", level=1)).to_have_text("Skrivaren på plan 2 skriver inte ut")
    log = fia.get_by_role("log")
    expect(log).to_have_attribute("aria-live", "polite")
    check_a11y(fia)
    fia_url = fia.url
    fia.evaluate("window.__notReloaded = true")

    # The agent sees it waiting and picks it up.
    login(agent, "agent")
    agent.goto(url(agent, "/chatt/ko/"))
    expect(agent.get_by_role("heading", level=1)).to_have_text("Chattkö")
    row = agent.locator("#chat-queue tbody tr").filter(has_text="Skrivaren på plan 2")
    expect(row).to_contain_text("minut")
    check_a11y(agent)
    row.get_by_role("button", name="Ta chatten").click()
    expect(agent.get_by_role("heading", level=1)).to_have_text(
        "Skrivaren på plan 2 skriver inte ut"
    )
    expect(agent.locator("#chat-status")).to_contain_text("Ärende SD-")
    check_a11y(agent)

    # The user learns of it live, then the agent writes, from the keyboard.
    expect(log_items(fia, "har tagit chatten")).to_have_count(1)
    agent.get_by_label("Ditt meddelande").fill("Hej Fia! Vilken skrivare gäller det?")
    agent.get_by_label("Ditt meddelande").press("Enter")
    expect(log_items(fia, "Vilken skrivare gäller det?")).to_have_count(1)
    expect(log_items(agent, "Vilken skrivare gäller det?")).to_have_count(1)
    expect(agent.get_by_label("Ditt meddelande")).to_have_value("")

    # Past a stream's end: the browsers reconnect on their own and nothing is lost or doubled.
    fia.wait_for_timeout(2500)
    fia.get_by_label("Ditt meddelande").fill("Den vid fikarummet, KYO-204.")
    fia.get_by_role("button", name="Skicka").click()
    expect(log_items(agent, "KYO-204")).to_have_count(1)
    expect(log_items(fia, "KYO-204")).to_have_count(1)
    assert fia.evaluate("window.__notReloaded === true")
    check_a11y(fia)

    # Both reload: the history is there, in order, once.
    for p in (fia, agent):
        p.reload()
        expect(log_items(p, "Skrivaren på plan 2")).to_have_count(1)
        expect(log_items(p, "Vilken skrivare gäller det?")).to_have_count(1)
        expect(log_items(p, "KYO-204")).to_have_count(1)
    texts = fia.locator("#chat-log li").all_inner_texts()
    assert [i for i, t in enumerate(texts) if "Vilken skrivare" in t or "KYO-204" in t] == sorted(
        i for i, t in enumerate(texts) if "Vilken skrivare" in t or "KYO-204" in t
    )
    assert fia.url == fia_url

    # And at phone width the conversation page still passes.
    fia.set_viewport_size({"width": 375, "height": 800})
    expect(fia.get_by_label("Ditt meddelande")).to_be_visible()
    check_a11y(fia)
