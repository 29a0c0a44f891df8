"""The catalogue's pages as the orderer uses them."""

from __future__ import annotations

from typing import Any

import pytest

from itfabrik.catalog import services
from itfabrik.catalog.models import Order, Subscription
from itfabrik.catalog.services import LineInput
from itfabrik.core.tests import assert_unchanged, db_state, home_panel, page_query_count

pytestmark = pytest.mark.django_db
ORDERER = "bestallare-mellerud"


def test_catalogue_shows_areas_prices_and_package_contents(web_as: Any, catalogue: Any) -> None:
    r = web_as(ORDERER).get("/katalog/")
    html = r.content.decode()
    for text in ("Infrastruktur", "Identitet", "IT-arbetsplats", "Verksamhetssystem/servrar"):
        assert text in html
    assert "ITR-2026-003 (exempel)" in html
    assert "1\u00a0450,00\u00a0kr" in html  # Virtuell server
    assert "Det här ingår i Kontorsarbetsplats" in html
    # Kontorsarbetsplats: 390 + 35 + 120 + 60 + 55 per month.
    assert "660,00\u00a0kr" in html
    assert "<caption>" in html
    assert 'scope="col"' in html


def test_catalogue_search_matches_name_and_description(web_as: Any, catalogue: Any) -> None:
    r = web_as(ORDERER).get("/katalog/", {"q": "chromebook"})
    assert [s.name for g in r.context["areas"] for s in g["services"]] == ["Elev-Chromebook"]
    assert [p.name for p in r.context["packages"]] == ["Elevenhet"]
    r = web_as(ORDERER).get("/katalog/", {"q": "nattpersonal-finns-inte"})
    assert r.context["count"] == 0
    assert "Inga tjänster matchar sökningen." in r.content.decode()


def test_catalogue_queries_do_not_grow_with_the_catalogue(web_as: Any, catalogue: Any) -> None:
    client = web_as(ORDERER)
    before, _ = page_query_count(client, "/katalog/")
    admin = catalogue.user("admin")
    area = catalogue.services["Support"].area
    for i in range(10):
        s = services.service_create(
            actor=admin,
            cooperation=catalogue.cooperation,
            area=area,
            name=f"Extra {i}",
            price_model="fixed_fee",
            unit_of_measure="st",
        )
        services.package_create(
            actor=admin,
            cooperation=catalogue.cooperation,
            name=f"Paket {i}",
            user_kind="other",
            items=[(s, 1), (catalogue.services["Support"], 2)],
        )
    after, _ = page_query_count(client, "/katalog/")
    assert after == before


def test_order_a_package_submit_and_see_it(web_as: Any, catalogue: Any) -> None:
    client = web_as(ORDERER)
    package = catalogue.packages["Delad arbetsplats vård och omsorg"]
    r = client.get("/katalog/bestall/", {"item": f"package:{package.pk}"})
    assert r.status_code == 200
    form = r.context["form"]
    assert form.initial["item"] == f"package:{package.pk}"
    assert form.initial["unit"] == catalogue.unit.pk  # the orderer's home unit
    r = client.post(
        "/katalog/bestall/",
        {"unit": catalogue.unit.pk, "item": f"package:{package.pk}", "quantity": "2", "note": ""},
    )
    order = Order.objects.latest("pk")
    assert r["Location"] == f"/katalog/bestallningar/{order.pk}/"
    r = client.get(r["Location"])
    assert r.context["steps"] == ["submit", "cancel"]
    r = client.post(
        f"/katalog/bestallningar/{order.pk}/submit/", {"version": order.version}, follow=True
    )
    html = r.content.decode()
    assert "Beställningen är skickad." in html
    assert r.context["order"].status == "approved"
    assert "Status: Godkänd" in html
    r = client.get("/katalog/bestallningar/")
    assert order in list(r.context["page"])


@pytest.mark.parametrize("quantity", ["0", "-1", "1.5", "x", ""])
def test_bad_quantity_is_refused_on_the_form(web_as: Any, catalogue: Any, quantity: str) -> None:
    before = db_state()
    r = web_as(ORDERER).post(
        "/katalog/bestall/",
        {
            "unit": catalogue.unit.pk,
            "item": f"service:{catalogue.services['Support'].pk}",
            "quantity": quantity,
        },
    )
    assert r.status_code == 200
    assert "quantity" in r.context["form"].errors
    assert_unchanged(before)


def test_another_units_order_is_refused_on_the_form(web_as: Any, catalogue: Any) -> None:
    before = db_state()
    r = web_as(ORDERER).post(
        "/katalog/bestall/",
        {
            "unit": catalogue.other_unit.pk,
            "item": f"service:{catalogue.services['Support'].pk}",
            "quantity": "1",
        },
    )
    assert r.status_code == 200
    assert "unit" in r.context["form"].errors
    assert_unchanged(before)


def test_stale_step_is_reported_and_changes_nothing(web_as: Any, catalogue: Any) -> None:
    orderer = catalogue.user(ORDERER)
    order = services.order_create(
        actor=orderer,
        unit=catalogue.unit,
        lines=[LineInput(1, service=catalogue.services["Extra bildskärm"])],
    )
    order = services.order_submit(actor=orderer, order=order)
    client = web_as("admin")
    r = client.post(
        f"/katalog/bestallningar/{order.pk}/approve/", {"version": order.version}, follow=True
    )
    assert r.context["order"].status == "approved"
    before = db_state()
    r = client.post(
        f"/katalog/bestallningar/{order.pk}/reject/",
        {"version": order.version, "note": "Nej"},
        follow=True,
    )
    assert "Någon annan har ändrat" in r.content.decode()
    assert_unchanged(before)


def test_subscriptions_page_and_change(web_as: Any, catalogue: Any) -> None:
    client = web_as(ORDERER)
    r = client.get("/katalog/prenumerationer/", {"unit": catalogue.unit.pk})
    rows = list(r.context["page"])
    assert rows
    assert {s.unit_id for s in rows} == {catalogue.unit.pk}
    sub = rows[0]
    r = client.post(
        f"/katalog/prenumerationer/{sub.pk}/andra/",
        {"action": "change", "quantity": str(sub.quantity + 1), "note": ""},
    )
    order = Order.objects.latest("pk")
    assert r["Location"] == f"/katalog/bestallningar/{order.pk}/"
    assert (order.kind, order.lines.get().subscription_id) == ("change", sub.pk)
    r = client.post(
        f"/katalog/prenumerationer/{sub.pk}/andra/", {"action": "change", "quantity": ""}
    )
    assert "quantity" in r.context["form"].errors


def test_subscriptions_of_another_municipality_are_not_found(web_as: Any, catalogue: Any) -> None:
    sub = Subscription.objects.filter(unit=catalogue.unit).first()
    assert sub is not None
    r = web_as("anvandare-bengtsfors").get(f"/katalog/prenumerationer/{sub.pk}/andra/")
    assert r.status_code == 404


def test_start_page_panels(web_as: Any, catalogue: Any) -> None:
    r = web_as(ORDERER).get("/")
    assert home_panel(r, "catalog.my_orders")["orders"]
    assert home_panel(r, "catalog.pending") is None
    r = web_as("admin").get("/")
    assert home_panel(r, "catalog.pending")["orders"]
    r = web_as("anvandare-bengtsfors").get("/")
    assert home_panel(r, "catalog.my_orders") is None


def test_menu_entries(web_as: Any, catalogue: Any) -> None:
    html = web_as(ORDERER).get("/").content.decode()
    assert 'href="/katalog/"' in html
    assert 'href="/katalog/bestallningar/"' in html
    html = web_as("anvandare-bengtsfors").get("/").content.decode()
    assert 'href="/katalog/"' in html
    assert 'href="/katalog/bestallningar/"' not in html
