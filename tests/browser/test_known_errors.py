"""Known errors in a browser (docs/adr/0039): `tekniker` records a problem's root cause and
workaround, marks it "känt fel" and publishes it to the knowledge base; `agent` links an incident
to it and sees the workaround; Färgelanda's portal user finds the article in the help search.
axe-core on every page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .helpers import check_a11y, login, menu_link, screenshot, url

pytestmark = pytest.mark.browser

TITLE = "Utskrifter från Färgelandas kontor hamnar i fel kö"
WORKAROUND = "Välj skrivaren Follow-me i utskriftsrutan och hämta utskriften med ditt kort."


@pytest.fixture
def search_index(site: str) -> None:
    # The demo is restored with loaddata, which bypasses the services that keep SQLite's FTS5
    # table in step (see test_knowledge.py).
    from itfabrik.knowledge import search

    search.rebuild()


def _tickets() -> tuple[str, int, int]:
    """A problem (no service, so the area is chosen on publishing) and an incident."""
    from itfabrik.accounts.models import User
    from itfabrik.core.actors import SYSTEM
    from itfabrik.servicedesk import services

    fia = User.objects.get(username="anvandare-fargelanda")
    problem = services.ticket_create(
        actor=SYSTEM,
        requester=User.objects.get(username="tekniker"),
        title=TITLE,
        impact="medium",
        urgency="medium",
        type="problem",
    )
    incident = services.ticket_create(
        actor=SYSTEM, requester=fia, title="Min utskrift kom aldrig", impact="low", urgency="low"
    )
    return problem.reference, problem.pk, incident.pk


def test_technician_publishes_a_known_error_and_an_end_user_finds_it(
    page: Page, search_index: None
) -> None:
    reference, problem_pk, incident_pk = _tickets()

    login(page, "tekniker")
    menu_link(page, "Ärendekö").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ärendekö")
    check_a11y(page)
    page.goto(url(page, f"/servicedesk/arenden/{problem_pk}/"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(reference)
    problem = page.get_by_role("region", name="Problemhantering")
    expect(problem).to_contain_text("Markera problemet som känt fel")
    check_a11y(page)

    problem.get_by_role("textbox", name="Grundorsak").fill(
        "Kontorets skrivare pekar på den gamla servern."
    )
    problem.get_by_role("textbox", name="Tillfällig lösning").fill(WORKAROUND)
    problem.get_by_role("checkbox", name="Känt fel").check()
    problem.get_by_role("button", name="Spara problemet").click()
    expect(page.locator("#known-error-state")).to_contain_text("Känt fel")
    check_a11y(page)

    problem = page.get_by_role("region", name="Problemhantering")
    expect(problem.get_by_role("textbox", name="Artikelns rubrik")).to_have_value(TITLE)
    problem.get_by_role("textbox", name="Sammanfattning").fill(
        "Utskrifterna kommer inte ut på kontorets skrivare."
    )
    problem.get_by_role("combobox", name="Tjänsteområde").select_option(label="IT-arbetsplats")
    problem.get_by_role("button", name="Publicera som känt fel").click()
    expect(page.locator(".messages")).to_contain_text("publicerat som känt fel")
    article_link = page.locator("#known-error-article").get_by_role("link", name=TITLE)
    expect(article_link).to_be_visible()
    expect(
        page.get_by_role("region", name="Problemhantering").get_by_role(
            "button", name="Publicera som känt fel igen"
        )
    ).to_be_visible()
    check_a11y(page)
    screenshot(page, "servicedesk-known-error")

    article_link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator("#known-error")).to_contain_text(f"Känt fel {reference}")
    expect(page.locator("#known-error")).to_contain_text("Utreds")
    expect(page.get_by_role("link", name=f"Problemärende {reference}")).to_be_visible()
    check_a11y(page)

    # The first line links an incident and sees the workaround as it chooses the problem.
    page.context.clear_cookies()
    login(page, "agent")
    page.goto(url(page, f"/servicedesk/arenden/{incident_pk}/"))
    link = page.get_by_role("region", name="Problem", exact=True)
    link.get_by_role("combobox", name="Problem").select_option(
        label=f"{reference} {TITLE} – känt fel"
    )
    expect(page.locator("#problem-preview")).to_contain_text(WORKAROUND)
    check_a11y(page)
    link.get_by_role("button", name="Spara kopplingen").click()
    expect(page.locator("#known-error-workaround")).to_contain_text(WORKAROUND)
    check_a11y(page)

    # An end user searches the help pages for the symptom.
    page.context.clear_cookies()
    login(page, "anvandare-fargelanda")
    menu_link(page, "Hjälp").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hjälp")
    box = page.get_by_role("searchbox", name="Vad behöver du hjälp med?")
    box.fill("utskrifter")
    box.press("Enter")
    results = page.get_by_role("list").filter(has=page.get_by_role("link", name=TITLE))
    expect(results.get_by_role("link", name=TITLE)).to_be_visible()
    check_a11y(page)
    results.get_by_role("link", name=TITLE).click()
    expect(page.locator("#known-error")).to_contain_text(f"Känt fel {reference}")
    expect(page.get_by_text(WORKAROUND)).to_be_visible()
    expect(page.get_by_role("link", name=f"Problemärende {reference}")).to_have_count(0)
    check_a11y(page)
