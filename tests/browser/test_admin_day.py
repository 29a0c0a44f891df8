"""Issue 13, the administrator's day: every mistake can be undone, in the browser, at desktop
and phone width. The walk: as admin, create a unit and an account by mistake, correct both,
close the unit, deactivate the account and read the history. Plus: the start page of an account
without roles, removing a wrongly entered inhabitant year, phone-width lists."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .helpers import check_a11y, choose_by_keys, login, press, type_into, url, visit
from .test_users import choose_node, message

pytestmark = pytest.mark.browser

WIDTHS = pytest.mark.parametrize("width", [1280, 375], ids=["desktop", "phone"])


def _node_pk(name: str, municipality: str | None = None) -> int:
    from itfabrik.tenancy.models import OrgNode

    qs = OrgNode.objects.filter(name=name)
    if municipality:
        qs = qs.filter(municipality__name=municipality)
    return int(qs.get().pk)


@WIDTHS
def test_walk_create_correct_close_deactivate_read_history(page: Page, width: int) -> None:
    """Keyboard only: every link, button and field is reached with Tab and used with keys."""
    page.set_viewport_size({"width": width, "height": 900})
    login(page, "admin")

    # 1. A unit, created by mistake with a wrong name …
    visit(page, f"/organisation/{_node_pk('Socialförvaltningen', 'Melleruds kommun')}/")
    press(page, page.get_by_role("link", name="Lägg till underliggande"))
    choose_by_keys(page, page.get_by_label("Typ"), "Enhet")
    # … a namesake of an open sibling is refused with a sentence on the field,
    type_into(page, page.get_by_label("Namn"), "Hemtjänst norr")
    press(page, page.get_by_role("button", name="Spara"))
    expect(page.locator(".error-summary")).to_be_focused()
    expect(page.locator(".error-summary")).to_contain_text(
        "Det finns redan Hemtjänst norr under Socialförvaltningen."
    )
    check_a11y(page)
    type_into(page, page.get_by_label("Namn"), "Hemtjänst nora")
    press(page, page.get_by_role("button", name="Spara"))
    expect(message(page)).to_contain_text("Hemtjänst nora har lagts till.")
    # … and corrected.
    press(page, page.get_by_role("link", name="Ändra", exact=True))
    type_into(page, page.get_by_label("Namn"), "Hemtjänst mitt")
    press(page, page.get_by_role("button", name="Spara"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Hemtjänst mitt")
    unit_url = page.url

    # 2. An account, created by mistake: it continues straight into its first role.
    visit(page, "/konto/anvandare/ny/")
    expect(page.get_by_role("combobox", name="Arbetsplats")).to_have_value("")
    type_into(page, page.get_by_label("Användarnamn"), "fel.konto")
    type_into(page, page.get_by_label("Förnamn"), "Fel")
    type_into(page, page.get_by_label("Efternamn"), "Namn")
    choose_node(
        page,
        "Arbetsplats",
        "Hemtjänst mitt",
        "Hemtjänst mitt — Socialförvaltningen, Melleruds kommun",
    )
    press(page, page.get_by_role("button", name="Skapa konto"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Fel Namn")
    expect(message(page)).to_contain_text("Personen har ingen roll ännu")
    expect(page.get_by_label("Roll", exact=True)).to_be_focused()
    expect(page.locator("dl.facts")).to_contain_text("Socialförvaltningen, Melleruds kommun")
    check_a11y(page)
    person_url = page.url.split("?")[0]

    # … corrected.
    press(page, page.get_by_role("link", name="Ändra eller inaktivera konto"))
    expect(page.get_by_role("combobox", name="Arbetsplats")).to_have_value(
        "Hemtjänst mitt — Socialförvaltningen, Melleruds kommun"
    )
    check_a11y(page)
    type_into(page, page.get_by_label("Efternamn"), "Rättad")
    press(page, page.get_by_role("button", name="Spara"))
    expect(message(page)).to_have_text("Ändringarna är sparade.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Fel Rättad")

    # 3. The unit is closed, after a confirmation.
    page.goto(unit_url)
    press(page, page.get_by_role("link", name="Avveckla"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Avveckla Hemtjänst mitt")
    check_a11y(page)
    press(page, page.get_by_role("button", name="Avveckla"))
    expect(message(page)).to_have_text("Hemtjänst mitt har avvecklats.")
    expect(page.locator("p.lead")).to_contain_text("avvecklad")
    expect(page.get_by_role("link", name="Avveckla")).to_have_count(0)
    history = page.get_by_role("list", name="Ändringshistorik")
    expect(history).to_contain_text("aktiv: Ja → Nej")
    expect(history).to_contain_text("namn: Hemtjänst nora → Hemtjänst mitt")
    check_a11y(page)

    # 4. The account is deactivated.
    page.goto(person_url)
    press(page, page.get_by_role("link", name="Ändra eller inaktivera konto"))
    press(page, page.get_by_label("Kontot är aktivt"), "Space")
    expect(page.get_by_label("Kontot är aktivt")).not_to_be_checked()
    press(page, page.get_by_role("button", name="Spara"))
    expect(message(page)).to_have_text("Kontot är inaktiverat. Personen är utloggad.")
    expect(page.locator("dl.facts")).to_contain_text("Inaktiverat konto")
    check_a11y(page)

    # 5. The history tells it all.
    pk = person_url.rstrip("/").rsplit("/", 1)[1]
    visit(page, f"/granskning/?object_type=accounts.user&object_id={pk}")
    main = page.locator("main")
    table = main.locator("table").first
    expect(table.locator("caption")).to_have_text("3 poster")  # created, corrected, deactivated
    expect(table).to_contain_text("efternamn")
    expect(table).to_contain_text("aktiv")
    expect(table).to_contain_text("fel.konto")


@WIDTHS
def test_start_page_without_roles_says_whom_to_ask(page: Page, width: int) -> None:
    from itfabrik.accounts import services
    from itfabrik.core.actors import SYSTEM
    from itfabrik.tenancy.models import OrgNode

    services.user_create(
        actor=SYSTEM,
        username="nykomling",
        password="itfabrik-demo",
        first_name="Nina",
        home_unit=OrgNode.objects.get(name="Hemtjänst norr", municipality__name="Melleruds kommun"),
        check_password_strength=False,
    )
    page.set_viewport_size({"width": width, "height": 900})
    login(page, "nykomling")
    notice = page.get_by_role("note").filter(has_text="Du har ingen behörighet ännu")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("Samverkansadministratör".lower())
    expect(page.get_by_role("region", name="Min arbetsplats")).to_contain_text("Hemtjänst norr")
    check_a11y(page)


@WIDTHS
def test_wrong_inhabitant_year_is_removed(page: Page, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    login(page, "admin")
    visit(page, f"/organisation/{_node_pk('Melleruds kommun')}/")
    form = page.get_by_role("form", name="Ange invånarantal")
    form.get_by_label("År (31 december)").fill("2025")
    form.get_by_label("Invånare").fill("90000")
    form.get_by_role("button", name="Spara").click()
    table = page.get_by_role("table", name="Invånare per år")
    expect(table).to_contain_text("90 000")
    page.get_by_role("link", name="Ta bort 2025").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("2025")
    check_a11y(page)
    page.get_by_role("button", name="Ta bort året").click()
    expect(message(page)).to_have_text("Invånarantalet för 2025 är borttaget.")
    expect(table).not_to_contain_text("90 000")
    check_a11y(page)


def test_phone_width_lists_show_more_than_names_and_say_when_they_scroll(page: Page) -> None:
    page.set_viewport_size({"width": 375, "height": 800})
    login(page, "admin")
    visit(page, "/organisation/?q=Hemtj%C3%A4nst+norr")
    table = page.locator("#node-results table")
    row = table.locator("tbody tr").first
    # As cards: the municipality and the parent are visible beside the name, on the screen.
    expect(row.locator("td[data-label='Kommun']")).to_be_visible()
    expect(row.locator("td[data-label='Överordnad']")).to_have_text("Socialförvaltningen")
    box = row.locator("td[data-label='Kommun']").bounding_box()
    assert box is not None
    assert box["x"] + box["width"] <= 375
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0

    visit(page, "/konto/anvandare/?q=mellerud")
    expect(page.locator("main table td[data-label='Arbetsplats']").first).to_be_visible()

    # A table that is wider than the screen says so, and can be scrolled by keyboard.
    visit(page, "/it-organisation/")
    region = page.get_by_role("region", name="2:a linjen")
    expect(region).to_have_attribute("tabindex", "0")
    hint_id = region.get_attribute("aria-describedby")
    assert hint_id
    hint = page.locator(f"#{hint_id}")
    expect(hint).to_be_visible()
    expect(hint).to_contain_text("rulla den i sidled")
    # At desktop width nothing scrolls, and no hint is shown.
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(url(page, "/it-organisation/"))
    expect(page.locator(".scroll-hint")).to_have_count(0)
