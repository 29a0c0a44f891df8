"""The catalogue API: behaviour, bad input in the one error format, and lists whose query count
does not grow with their rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from itfabrik.catalog import services
from itfabrik.catalog.models import Order, Subscription
from itfabrik.catalog.services import LineInput
from itfabrik.core.tests import assert_error, assert_unchanged, db_state, list_query_count

pytestmark = pytest.mark.django_db
ORDERER = "bestallare-mellerud"


def test_services_with_todays_price(api_as: Any, catalogue: Any) -> None:
    r = api_as(ORDERER).get("/api/v1/catalog/services/", {"q": "virtuell"})
    [row] = r.json()["results"]
    assert row["name"] == "Virtuell server"
    assert row["approval"] == "it"
    assert row["is_addon"] is True
    assert row["area_name"] == "Verksamhetssystem/servrar"
    # Today is after 2026 in some runs and inside it in others: the price follows the list.
    today = dt.date.today()
    assert row["price"] == ("1450.00" if today.year == 2026 else None)


def test_packages_with_contents(api_as: Any, catalogue: Any) -> None:
    r = api_as(ORDERER).get("/api/v1/catalog/packages/", {"user_kind": "pupil"})
    [row] = r.json()["results"]
    assert row["name"] == "Elevenhet"
    assert {(i["service_name"], i["quantity"]) for i in row["items"]} == {
        ("Elev-Chromebook", 1),
        ("Användarkonto med tvåfaktor", 1),
        ("Support", 1),
    }


def test_overlapping_price_list_is_a_400_in_both_languages(api_as: Any, catalogue: Any) -> None:
    client = api_as("admin")
    before = db_state()
    r = client.post(
        "/api/v1/catalog/price-lists/",
        {
            "cooperation": catalogue.cooperation.pk,
            "name": "Sommarpriser",
            "valid_from": "2026-06-01",
            "valid_to": "2026-08-31",
            "decision_reference": "ITR-2026-012",
        },
        format="json",
    )
    error = assert_error(r, 400, "invalid")
    [message] = error["fields"]["valid_from"]
    assert "Prislista 2026" in message["messages"]["sv"]
    assert "Prislista 2026" in message["messages"]["en"]
    assert message["messages"]["sv"] != message["messages"]["en"]
    assert_unchanged(before)


@pytest.mark.parametrize("quantity", [0, -2, 1.5, "2.5", "tre", None, True])
def test_bad_quantities_are_400_and_change_nothing(
    api_as: Any, catalogue: Any, quantity: Any
) -> None:
    client = api_as(ORDERER)
    before = db_state()
    r = client.post(
        "/api/v1/catalog/orders/",
        {
            "unit": catalogue.unit.pk,
            "lines": [{"service": catalogue.services["Support"].pk, "quantity": quantity}],
        },
        format="json",
    )
    error = assert_error(r, 400, "invalid")
    assert "lines[0].quantity" in error["fields"] or "lines.0.quantity" in error["fields"], error
    assert_unchanged(before)


def test_line_with_both_or_neither_is_400(api_as: Any, catalogue: Any) -> None:
    client = api_as(ORDERER)
    before = db_state()
    for line in (
        {"quantity": 1},
        {
            "quantity": 1,
            "service": catalogue.services["Support"].pk,
            "package": catalogue.packages["Elevenhet"].pk,
        },
    ):
        r = client.post(
            "/api/v1/catalog/orders/",
            {"unit": catalogue.unit.pk, "lines": [line]},
            format="json",
        )
        assert_error(r, 400, "invalid")
    r = client.post(
        "/api/v1/catalog/orders/", {"unit": catalogue.unit.pk, "lines": []}, format="json"
    )
    assert_error(r, 400, "invalid")
    assert_unchanged(before)


def test_order_for_another_municipalitys_unit_is_404(api_as: Any, catalogue: Any) -> None:
    client = api_as(ORDERER)
    before = db_state()
    r = client.post(
        "/api/v1/catalog/orders/",
        {
            "unit": catalogue.other_unit.pk,
            "lines": [{"service": catalogue.services["Support"].pk, "quantity": 1}],
        },
        format="json",
    )
    assert_error(r, 404, "not_found")
    assert_unchanged(before)


def test_full_flow_through_the_api(api_as: Any, catalogue: Any) -> None:
    orderer, admin = api_as(ORDERER), api_as("admin")
    r = orderer.post(
        "/api/v1/catalog/orders/",
        {
            "unit": catalogue.unit.pk,
            "note": "Till nya medarbetare",
            "lines": [
                {"package": catalogue.packages["Kontorsarbetsplats"].pk, "quantity": 2},
                {"service": catalogue.services["Mobiltelefon med abonnemang"].pk, "quantity": 2},
            ],
        },
        format="json",
    )
    assert r.status_code == 201, r.content
    order = r.json()
    url = f"/api/v1/catalog/orders/{order['id']}"
    order = orderer.post(f"{url}/submit/", {"version": order["version"]}).json()
    assert (order["status"], order["approval"]) == ("submitted", "unit_manager")
    assert [ln["decision"] for ln in order["lines"]] == ["auto", "pending"]
    order = admin.post(f"{url}/approve/", {"version": order["version"]}).json()
    assert order["status"] == "approved"
    order = admin.post(
        f"{url}/deliver/", {"version": order["version"], "delivered_on": "2026-09-01"}
    ).json()
    assert order["status"] == "delivered"
    r = orderer.get(
        "/api/v1/catalog/subscriptions/",
        {"unit": catalogue.unit.pk, "active": "true", "page_size": 200},
    )
    mine = [s for s in r.json()["results"] if s["order"] == order["id"]]
    assert {(s["service_name"], s["quantity"], s["start_date"]) for s in mine} >= {
        ("Bärbar dator", 2, "2026-09-01"),
        ("Mobiltelefon med abonnemang", 2, "2026-09-01"),
    }


def test_two_approvals_with_the_same_version_one_wins(api_as: Any, catalogue: Any) -> None:
    orderer = catalogue.user(ORDERER)
    order = services.order_submit(
        actor=orderer,
        order=services.order_create(
            actor=orderer,
            unit=catalogue.unit,
            lines=[LineInput(1, service=catalogue.services["Extra bildskärm"])],
        ),
    )
    admin = api_as("admin")
    url = f"/api/v1/catalog/orders/{order.pk}"
    first = admin.post(f"{url}/approve/", {"version": order.version})
    before = db_state()
    second = admin.post(f"{url}/reject/", {"version": order.version, "note": "Nej"})
    assert first.status_code == 200
    assert_error(second, 409, "conflict")
    assert_unchanged(before)


def test_invalid_transition_is_409_with_a_clear_message(api_as: Any, catalogue: Any) -> None:
    order = Order.objects.filter(unit=catalogue.unit, status="delivered").first()
    assert order is not None
    r = api_as(ORDERER).post(
        f"/api/v1/catalog/orders/{order.pk}/cancel/", {"version": order.version}
    )
    error = assert_error(r, 409, "invalid_transition")
    assert "Levererad" in error["messages"]["sv"]


def _grow_orders(catalogue: Any, n: int) -> None:
    orderer, admin = catalogue.user(ORDERER), catalogue.user("admin")
    for _ in range(n):
        order = services.order_create(
            actor=orderer,
            unit=catalogue.unit,
            lines=[
                LineInput(1, package=catalogue.packages["Elevenhet"]),
                LineInput(2, service=catalogue.services["Support"]),
            ],
        )
        order = services.order_submit(actor=orderer, order=order)
        services.order_deliver(actor=admin, order=order, delivered_on=dt.date(2026, 2, 1))


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/catalog/orders/",
        "/api/v1/catalog/subscriptions/",
        "/api/v1/catalog/services/",
        "/api/v1/catalog/packages/",
        "/api/v1/catalog/price-lists/",
    ],
)
def test_list_query_count_does_not_grow_with_rows(api_as: Any, catalogue: Any, url: str) -> None:
    client = api_as(ORDERER)
    queries_before, rows_before = list_query_count(client, url)
    _grow_orders(catalogue, 5)
    admin = catalogue.user("admin")
    for i in range(5):
        s = services.service_create(
            actor=admin,
            cooperation=catalogue.cooperation,
            area=catalogue.services["Support"].area,
            name=f"Tjänst {i}",
            price_model="fixed_fee",
            unit_of_measure="st",
        )
        services.package_create(
            actor=admin,
            cooperation=catalogue.cooperation,
            name=f"Paket {i}",
            user_kind="other",
            items=[(s, 1)],
        )
        services.price_list_create(
            actor=admin,
            cooperation=catalogue.cooperation,
            name=f"Prislista {2030 + i}",
            valid_from=dt.date(2030 + i, 1, 1),
            valid_to=dt.date(2030 + i, 12, 31),
            decision_reference="ITR",
            prices=[(s, "10")],
        )
    queries_after, rows_after = list_query_count(client, url)
    assert rows_after > rows_before
    assert queries_after == queries_before


def test_filters_are_applied_in_the_database(api_as: Any, catalogue: Any) -> None:
    client = api_as(ORDERER)
    r = client.get("/api/v1/catalog/orders/", {"status": "submitted"})
    assert {row["status"] for row in r.json()["results"]} == {"submitted"}
    r = client.get("/api/v1/catalog/orders/", {"status": "nope"})
    assert_error(r, 400, "invalid")
    r = client.get("/api/v1/catalog/subscriptions/", {"unit": "1.5"})
    assert_error(r, 400, "invalid")
    ended = Subscription.objects.exclude(end_date=None).count()
    r = api_as("admin").get("/api/v1/catalog/subscriptions/", {"active": "false"})
    assert r.json()["count"] == ended
