"""Permission matrix of the catalogue and ordering: every endpoint × every actor.

The catalogue is read by everyone with a role in the cooperation and managed by its
administrator. Targets for ordering are Mellerud's Hemtjänst norr and its orders and
subscriptions: the orderer (on Mellerud's Socialförvaltningen) orders for it; Bengtsfors' user
and Mellerud's plain portal user do not see its orders at all (404, like an id that does not
exist); the agent and the finance officer see them but may not act (403). Every refused write is
checked to have changed nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from itfabrik.catalog import services
from itfabrik.catalog.models import Order, Subscription
from itfabrik.catalog.services import LineInput
from itfabrik.core.tests import (
    ADMIN,
    AGENT,
    ANON,
    FINANCE,
    MISSING_ID,
    ORDERER,
    OTHER,
    SAME,
    actor_params,
    assert_error,
    assert_login_redirect,
    assert_unchanged,
    db_state,
    ensure_same_unit_user,
    page_without_noise,
)

ERROR_CODES = {401: "not_authenticated", 403: "forbidden", 404: "not_found"}
ALL_READ = {ANON: 401, OTHER: 200, SAME: 200, ORDERER: 200, AGENT: 200, FINANCE: 200, ADMIN: 200}
MANAGE = {ANON: 401, OTHER: 403, SAME: 403, ORDERER: 403, AGENT: 403, FINANCE: 403}
ORDER_READ = {ANON: 401, OTHER: 404, SAME: 404, ORDERER: 200, AGENT: 200, FINANCE: 200, ADMIN: 200}
ORDER_CREATE = {
    ANON: 401,
    OTHER: 404,
    SAME: 404,
    ORDERER: 201,
    AGENT: 404,
    FINANCE: 404,
    ADMIN: 201,
}
ORDERER_ACT = {ANON: 401, OTHER: 404, SAME: 404, ORDERER: 200, AGENT: 403, FINANCE: 403, ADMIN: 200}
APPROVER_ACT = {
    ANON: 401,
    OTHER: 404,
    SAME: 404,
    ORDERER: 403,
    AGENT: 403,
    FINANCE: 403,
    ADMIN: 200,
}
SUB_ACT = {ANON: 401, OTHER: 404, SAME: 404, ORDERER: 201, AGENT: 403, FINANCE: 403, ADMIN: 201}


@pytest.fixture
def target(demo: Any, catalogue: Any) -> Any:
    ensure_same_unit_user(demo)
    orderer = catalogue.user("bestallare-mellerud")

    def draft(service: str = "Support") -> Order:
        return services.order_create(
            actor=orderer,
            unit=catalogue.unit,
            lines=[LineInput(1, service=catalogue.services[service])],
        )

    class Target:
        cat = catalogue
        service = catalogue.services["Support"]
        package = catalogue.packages["Kontorsarbetsplats"]
        price_list = catalogue.price_list
        unit = catalogue.unit
        delivered = Order.objects.filter(unit=catalogue.unit, status="delivered").first()
        subscription = Subscription.objects.filter(unit=catalogue.unit, end_date=None).first()

        @staticmethod
        def new_draft() -> Order:
            return draft()

        @staticmethod
        def submitted() -> Order:
            return services.order_submit(actor=orderer, order=draft("Extra bildskärm"))

        @staticmethod
        def approved() -> Order:
            return services.order_submit(actor=orderer, order=draft())

    return Target()


def _check_refusal(
    client: Any, response: Any, expected: int, missing_url: str, data: Any = None
) -> None:
    assert_error(response, expected, ERROR_CODES[expected])
    if expected == 404:
        ghost = (
            client.get(missing_url)
            if data is None
            else client.post(missing_url, data, format="json")
        )
        assert ghost.status_code == 404
        assert response.json() == ghost.json()


# --- the catalogue: reads ---------------------------------------------------------------------


@pytest.mark.parametrize("path", ["services", "packages", "price-lists", "areas"])
@pytest.mark.parametrize(("actor", "expected"), actor_params(ALL_READ))
def test_api_catalogue_lists(
    api_as: Any, target: Any, path: str, actor: str | None, expected: int
) -> None:
    r = api_as(actor).get(f"/api/v1/catalog/{path}/")
    if expected != 200:
        return _check_refusal(api_as(actor), r, expected, "")
    assert r.status_code == 200
    assert r.json()["count"] >= 1


@pytest.mark.parametrize(("actor", "expected"), actor_params(ALL_READ))
def test_api_catalogue_details(api_as: Any, target: Any, actor: str | None, expected: int) -> None:
    client = api_as(actor)
    for path, pk in (
        ("services", target.service.pk),
        ("packages", target.package.pk),
        ("price-lists", target.price_list.pk),
    ):
        r = client.get(f"/api/v1/catalog/{path}/{pk}/")
        if expected != 200:
            _check_refusal(client, r, expected, f"/api/v1/catalog/{path}/{MISSING_ID}/")
            continue
        assert r.status_code == 200
        assert r.json()["id"] == pk


def test_api_catalogue_of_another_cooperation_is_not_found(api_as: Any, target: Any) -> None:
    from itfabrik.core.actors import SYSTEM
    from itfabrik.tenancy import services as tenancy_services

    other = tenancy_services.cooperation_create(actor=SYSTEM, name="Annan", slug="annan")
    area = services.area_create(actor=SYSTEM, cooperation=other, name="Annat område")
    service = services.service_create(
        actor=SYSTEM,
        cooperation=other,
        area=area,
        name="Hemlig tjänst",
        price_model="fixed_fee",
        unit_of_measure="st",
    )
    client = api_as(ADMIN)
    r = client.get(f"/api/v1/catalog/services/{service.pk}/")
    _check_refusal(client, r, 404, f"/api/v1/catalog/services/{MISSING_ID}/")
    names = {row["name"] for row in client.get("/api/v1/catalog/services/").json()["results"]}
    assert "Hemlig tjänst" not in names


# --- the catalogue: writes --------------------------------------------------------------------


@pytest.mark.parametrize(("actor", "expected"), actor_params({**MANAGE, ADMIN: 201}))
def test_api_service_create(api_as: Any, target: Any, actor: str | None, expected: int) -> None:
    client = api_as(actor)
    data = {
        "cooperation": target.cat.cooperation.pk,
        "area": target.service.area_id,
        "name": "Skrivare",
        "price_model": "per_unit_month",
        "unit_of_measure": "skrivare",
    }
    before = db_state()
    r = client.post("/api/v1/catalog/services/", data, format="json")
    if expected != 201:
        assert_error(r, expected, ERROR_CODES[expected])
        assert_unchanged(before)
        return
    assert r.status_code == 201, r.content
    assert r.json()["name"] == "Skrivare"
    assert r.json()["price"] is None


@pytest.mark.parametrize(("actor", "expected"), actor_params({**MANAGE, ADMIN: 200}))
def test_api_service_update(api_as: Any, target: Any, actor: str | None, expected: int) -> None:
    client = api_as(actor)
    # An add-on in no package: one inside an active package cannot be closed (test_manage).
    service = target.cat.services["Extra bildskärm"]
    before = db_state()
    r = client.patch(
        f"/api/v1/catalog/services/{service.pk}/",
        {"version": service.version, "is_active": False},
        format="json",
    )
    if expected != 200:
        assert_error(r, expected, ERROR_CODES[expected])
        assert_unchanged(before)
        return
    assert r.status_code == 200
    assert r.json()["is_active"] is False


@pytest.mark.usefixtures("next_years_draft_set_aside")
@pytest.mark.parametrize(("actor", "expected"), actor_params({**MANAGE, ADMIN: 201}))
def test_api_price_list_create(api_as: Any, target: Any, actor: str | None, expected: int) -> None:
    client = api_as(actor)
    data = {
        "cooperation": target.cat.cooperation.pk,
        "name": "Prislista 2027",
        "valid_from": "2027-01-01",
        "decision_reference": "ITR-2026-050",
        "prices": [{"service": target.service.pk, "amount": "58.00"}],
    }
    before = db_state()
    r = client.post("/api/v1/catalog/price-lists/", data, format="json")
    if expected != 201:
        assert_error(r, expected, ERROR_CODES[expected])
        assert_unchanged(before)
        return
    assert r.status_code == 201, r.content
    assert r.json()["prices"] == [
        {"service": target.service.pk, "service_name": "Support", "amount": "58.00"}
    ]


@pytest.mark.parametrize(("actor", "expected"), actor_params({**MANAGE, ADMIN: 200}))
def test_api_price_list_update(api_as: Any, target: Any, actor: str | None, expected: int) -> None:
    client = api_as(actor)
    before = db_state()
    r = client.patch(
        f"/api/v1/catalog/price-lists/{target.price_list.pk}/",
        {"version": target.price_list.version, "decision_reference": "ITR-2026-003 (rättad)"},
        format="json",
    )
    if expected != 200:
        assert_error(r, expected, ERROR_CODES[expected])
        assert_unchanged(before)
        return
    assert r.status_code == 200
    assert r.json()["decision_reference"] == "ITR-2026-003 (rättad)"


# --- orders -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("actor", "expected"), actor_params({**ORDER_READ, OTHER: 200, SAME: 200}))
def test_api_order_list(api_as: Any, target: Any, actor: str | None, expected: int) -> None:
    r = api_as(actor).get("/api/v1/catalog/orders/", {"page_size": 200})
    if expected != 200:
        return _check_refusal(api_as(actor), r, expected, "")
    ids = {row["id"] for row in r.json()["results"]}
    assert (target.delivered.pk in ids) is (actor in (ORDERER, AGENT, FINANCE, ADMIN))


@pytest.mark.parametrize(("actor", "expected"), actor_params(ORDER_READ))
def test_api_order_detail(api_as: Any, target: Any, actor: str | None, expected: int) -> None:
    client = api_as(actor)
    r = client.get(f"/api/v1/catalog/orders/{target.delivered.pk}/")
    if expected != 200:
        return _check_refusal(client, r, expected, f"/api/v1/catalog/orders/{MISSING_ID}/")
    assert r.status_code == 200
    assert r.json()["status"] == "delivered"


@pytest.mark.parametrize(("actor", "expected"), actor_params(ORDER_CREATE))
def test_api_order_create(api_as: Any, target: Any, actor: str | None, expected: int) -> None:
    client = api_as(actor)
    data = {"unit": target.unit.pk, "lines": [{"package": target.package.pk, "quantity": 1}]}
    before = db_state()
    r = client.post("/api/v1/catalog/orders/", data, format="json")
    if expected != 201:
        _check_refusal(client, r, expected, "/api/v1/catalog/orders/", {**data, "unit": MISSING_ID})
        assert_unchanged(before)
        return
    assert r.status_code == 201, r.content
    assert r.json()["status"] == "draft"
    assert r.json()["lines"][0]["package"] == target.package.pk


def _action(
    api_as: Any,
    actor: str | None,
    expected: int,
    order: Order,
    name: str,
    extra: dict[str, Any] | None = None,
) -> Any:
    client = api_as(actor)
    data = {"version": order.version, **(extra or {})}
    before = db_state()
    r = client.post(f"/api/v1/catalog/orders/{order.pk}/{name}/", data, format="json")
    if expected != 200:
        _check_refusal(client, r, expected, f"/api/v1/catalog/orders/{MISSING_ID}/{name}/", data)
        assert_unchanged(before)
        return None
    assert r.status_code == 200, r.content
    return r.json()


@pytest.mark.parametrize(("actor", "expected"), actor_params(ORDERER_ACT))
def test_api_order_submit(api_as: Any, target: Any, actor: str | None, expected: int) -> None:
    body = _action(api_as, actor, expected, target.new_draft(), "submit")
    if body:
        assert body["status"] == "approved"


@pytest.mark.parametrize(("actor", "expected"), actor_params(ORDERER_ACT))
def test_api_order_cancel(api_as: Any, target: Any, actor: str | None, expected: int) -> None:
    body = _action(api_as, actor, expected, target.new_draft(), "cancel")
    if body:
        assert body["status"] == "cancelled"


@pytest.mark.parametrize(("actor", "expected"), actor_params(APPROVER_ACT))
def test_api_order_approve(api_as: Any, target: Any, actor: str | None, expected: int) -> None:
    body = _action(api_as, actor, expected, target.submitted(), "approve")
    if body:
        assert body["status"] == "approved"
        assert body["lines"][0]["decision"] == "approved"


@pytest.mark.parametrize(("actor", "expected"), actor_params(APPROVER_ACT))
def test_api_order_reject(api_as: Any, target: Any, actor: str | None, expected: int) -> None:
    body = _action(api_as, actor, expected, target.submitted(), "reject", {"note": "Nej."})
    if body:
        assert body["status"] == "rejected"


@pytest.mark.parametrize(("actor", "expected"), actor_params(APPROVER_ACT))
def test_api_order_deliver(api_as: Any, target: Any, actor: str | None, expected: int) -> None:
    order = target.approved()
    body = _action(api_as, actor, expected, order, "deliver", {"delivered_on": "2026-06-01"})
    if body:
        assert body["status"] == "delivered"
        assert body["delivered_on"] == "2026-06-01"
        assert Subscription.objects.filter(
            order_line__order=order, start_date=dt.date(2026, 6, 1)
        ).exists()


# --- subscriptions ----------------------------------------------------------------------------


@pytest.mark.parametrize(("actor", "expected"), actor_params(ORDER_READ))
def test_api_subscription_detail(
    api_as: Any, target: Any, actor: str | None, expected: int
) -> None:
    client = api_as(actor)
    r = client.get(f"/api/v1/catalog/subscriptions/{target.subscription.pk}/")
    if expected != 200:
        return _check_refusal(client, r, expected, f"/api/v1/catalog/subscriptions/{MISSING_ID}/")
    assert r.json()["unit"] == target.unit.pk


@pytest.mark.parametrize(("actor", "expected"), actor_params({**ORDER_READ, OTHER: 200, SAME: 200}))
def test_api_subscription_list(api_as: Any, target: Any, actor: str | None, expected: int) -> None:
    r = api_as(actor).get("/api/v1/catalog/subscriptions/", {"unit": target.unit.pk})
    if expected != 200:
        return _check_refusal(api_as(actor), r, expected, "")
    visible = actor in (ORDERER, AGENT, FINANCE, ADMIN)
    assert (r.json()["count"] > 0) is visible


@pytest.mark.parametrize(("actor", "expected"), actor_params(SUB_ACT))
@pytest.mark.parametrize("name", ["change", "cancel"])
def test_api_subscription_change_and_cancel(
    api_as: Any, target: Any, name: str, actor: str | None, expected: int
) -> None:
    client = api_as(actor)
    data = {"quantity": target.subscription.quantity + 1} if name == "change" else {}
    url = f"/api/v1/catalog/subscriptions/{target.subscription.pk}/{name}/"
    before = db_state()
    r = client.post(url, data, format="json")
    if expected != 201:
        _check_refusal(
            client,
            r,
            expected,
            f"/api/v1/catalog/subscriptions/{MISSING_ID}/{name}/",
            data,
        )
        assert_unchanged(before)
        return
    assert r.status_code == 201, r.content
    assert r.json()["order_type"] == name
    assert r.json()["lines"][0]["subscription"] == target.subscription.pk


# --- web pages --------------------------------------------------------------------------------


def _web_refusal(client: Any, response: Any, url: str, expected: Any, missing_url: str) -> None:
    if expected == "login":
        assert_login_redirect(response, url)
        return
    assert response.status_code == expected
    if expected == 404:
        ghost = client.get(missing_url)
        assert ghost.status_code == 404
        assert page_without_noise(ghost) == page_without_noise(response)


WEB_ALL = {ANON: "login", OTHER: 200, SAME: 200, ORDERER: 200, AGENT: 200, FINANCE: 200, ADMIN: 200}
WEB_ORDER_READ = {**WEB_ALL, OTHER: 404, SAME: 404}
WEB_ORDER_CREATE = {**WEB_ORDER_READ, AGENT: 404, FINANCE: 404}


@pytest.mark.parametrize(("actor", "expected"), actor_params(WEB_ALL))
def test_web_catalogue(web_as: Any, target: Any, actor: str | None, expected: Any) -> None:
    client = web_as(actor)
    r = client.get("/katalog/")
    if expected != 200:
        return _web_refusal(client, r, "/katalog/", expected, "")
    assert r.status_code == 200
    assert "Kontorsarbetsplats" in r.content.decode()


@pytest.mark.parametrize(("actor", "expected"), actor_params(WEB_ORDER_READ))
def test_web_order_detail(web_as: Any, target: Any, actor: str | None, expected: Any) -> None:
    client = web_as(actor)
    url = f"/katalog/bestallningar/{target.delivered.pk}/"
    r = client.get(url)
    if expected != 200:
        return _web_refusal(client, r, url, expected, f"/katalog/bestallningar/{MISSING_ID}/")
    assert r.status_code == 200
    assert r.context["order"].pk == target.delivered.pk


@pytest.mark.parametrize(("actor", "expected"), actor_params(WEB_ORDER_CREATE))
def test_web_order_create_for_a_unit(
    web_as: Any, target: Any, actor: str | None, expected: Any
) -> None:
    client = web_as(actor)
    url = "/katalog/bestall/"
    before = db_state()
    r = client.post(
        url,
        {"unit": target.unit.pk, "item": f"package:{target.package.pk}", "quantity": "1"},
    )
    if expected != 200:
        if expected == "login":
            assert_login_redirect(r, url)
        else:  # no right to order anywhere: the page does not exist for them
            assert r.status_code == 404
        assert_unchanged(before)
        return
    assert r.status_code == 302
    order = Order.objects.latest("pk")
    assert r["Location"] == f"/katalog/bestallningar/{order.pk}/"
    assert order.unit == target.unit
