"""The start page as different demo users: what each sees, and what stays hidden."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .helpers import check_a11y, login, menu_link, screenshot, visit

pytestmark = pytest.mark.browser

MUNICIPALITIES = [
    "Bengtsfors kommun",
    "Dals-Eds kommun",
    "Färgelanda kommun",
    "Melleruds kommun",
    "Åmåls kommun",
]


def _node_pk(name: str, municipality: str | None = None) -> int:
    from itfabrik.tenancy.models import OrgNode

    qs = OrgNode.objects.filter(name=name)
    if municipality:
        qs = qs.filter(municipality__name=municipality)
    return qs.get().pk


def _members_table(page: Page):
    return page.get_by_role("table", name="Kommunerna i samverkan")


def test_start_page_admin(page: Page) -> None:
    login(page, "admin")
    expect(page).to_have_title("Start – itfabrik")
    expect(page.get_by_role("heading", level=1)).to_have_text("Välkommen, Anna")
    expect(page.locator(".lead")).to_contain_text("Dalslands IT-samverkan – 4 medlemskommuner")
    nav = page.get_by_role("navigation", name="Huvudmeny")
    for item in [
        "Start",
        "Organisation",
        "Gemensam IT-organisation",
        "Medlemskap",
        "Granskningslogg",
        "Mitt konto",
    ]:
        expect(menu_link(page, item)).to_be_visible()
    expect(nav.get_by_role("link", name="Start")).to_have_attribute("aria-current", "page")
    rows = _members_table(page).locator("tbody tr")
    expect(rows).to_have_count(5)
    expect(rows.filter(has_text="Åmåls kommun")).to_contain_text("Värdkommun")
    expect(rows.filter(has_text="Dals-Eds kommun")).to_contain_text("Inte medlem")
    expect(page.get_by_role("table", name="Förvaltningar och enheter")).to_be_visible()
    expect(page.get_by_role("heading", name="Senaste ändringar")).to_be_visible()
    check_a11y(page)
    screenshot(page, "start-admin")


ROLE_VIEWS = [
    # username, heading, headings shown, headings not shown
    (
        "agent",
        "Välkommen, Alva",
        ["Den gemensamma IT-organisationens team"],
        ["Förvaltningar och enheter"],
    ),
    ("ekonom", "Välkommen, Eva", ["Förvaltningar och enheter"], ["Senaste ändringar"]),
    ("radsmedlem", "Välkommen, Rolf", ["Kommunerna i samverkan"], ["Senaste ändringar"]),
]


def test_start_page_roles(page: Page) -> None:
    # One test for several users (logging out in between): each test reloads the demo.
    for username, heading, sees, hidden in ROLE_VIEWS:
        login(page, username)
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        for name in sees:
            expect(page.get_by_role("heading", name=name)).to_be_visible()
        for name in hidden:
            expect(page.get_by_role("heading", name=name)).to_have_count(0)
        check_a11y(page)
        page.get_by_role("banner").get_by_role("button", name="Logga ut").click()
        expect(page.get_by_role("heading", level=1)).not_to_contain_text("Välkommen")


def test_start_page_orderer_mellerud(page: Page) -> None:
    login(page, "bestallare-mellerud")
    expect(page.get_by_role("heading", level=1)).to_have_text("Välkommen, Maria")
    unit = page.get_by_role("region", name="Min arbetsplats")
    expect(unit.get_by_role("link", name="Hemtjänst norr")).to_be_visible()
    expect(unit).to_contain_text("Melleruds kommun")
    expect(page.get_by_role("heading", name="Senaste ändringar")).to_have_count(0)
    check_a11y(page)


def test_start_page_end_user_bengtsfors(page: Page) -> None:
    login(page, "anvandare-bengtsfors")
    expect(page.get_by_role("heading", level=1)).to_have_text("Välkommen, Björn")
    expect(page.locator("main")).to_contain_text("Dalslands IT-samverkan")
    rows = _members_table(page).locator("tbody tr th")
    expect(rows).to_have_text(MUNICIPALITIES)
    unit = page.get_by_role("region", name="Min arbetsplats")
    expect(unit.get_by_role("link", name="Grundskola F–6")).to_be_visible()
    expect(unit).to_contain_text("Bengtsfors kommun")
    expect(unit).to_contain_text("1460-4200")
    # An end user gets no admin tools and no audit log.
    nav = page.get_by_role("navigation", name="Huvudmeny")
    expect(nav.get_by_role("link", name="Granskningslogg", include_hidden=True)).to_have_count(0)
    expect(nav.get_by_role("link", name="Medlemskap", include_hidden=True)).to_have_count(0)
    expect(page.get_by_role("heading", name="Senaste ändringar")).to_have_count(0)
    check_a11y(page)
    screenshot(page, "start-anvandare-bengtsfors")

    # The own unit opens …
    unit.get_by_role("link", name="Grundskola F–6").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Grundskola F–6")
    check_a11y(page)
    # … but a unit in Mellerud answers the Swedish 404 page, as if it did not exist.
    mellerud_unit = _node_pk("Grundskola F–6", "Melleruds kommun")
    visit(page, f"/organisation/{mellerud_unit}/", status=404)
    expect(page).to_have_title("Sidan hittades inte – itfabrik")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sidan hittades inte")
    expect(page.locator("main")).not_to_contain_text("Mellerud")
    # So do the audit log and the edit form.
    visit(page, "/granskning/", status=404)
    visit(page, f"/organisation/{mellerud_unit}/andra/", status=404)
