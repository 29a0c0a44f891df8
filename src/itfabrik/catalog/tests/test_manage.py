"""Managing the catalogue: service areas, services, packages and price-list versions, through
the services, the management pages and the API. Every refused write changes nothing."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone, translation

from itfabrik.catalog import selectors, services
from itfabrik.catalog.models import Package, PackageItem, PriceList, Service, ServiceArea
from itfabrik.catalog.services import LineInput
from itfabrik.core.actors import SYSTEM
from itfabrik.core.errors import Conflict, ValidationFailed
from itfabrik.core.models import AuditEntry
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
    page_query_count,
    page_without_noise,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("next_years_draft_set_aside")]
ERROR_CODES = {401: "not_authenticated", 403: "forbidden", 404: "not_found"}
MANAGE_API = {ANON: 401, OTHER: 403, SAME: 403, ORDERER: 403, AGENT: 403, FINANCE: 403}
# The management pages do not exist for anyone but the catalogue manager.
MANAGE_WEB = {ANON: "login", OTHER: 404, SAME: 404, ORDERER: 404, AGENT: 404, FINANCE: 404}


def _text(exc: Any, field: str) -> dict[str, str]:
    out = {}
    for code in ("sv", "en"):
        with translation.override(code):
            out[code] = " ".join(str(m) for m in exc.fields[field])
    return out


def _today() -> dt.date:
    return timezone.localdate()


def _in_force(catalogue: Any) -> PriceList:
    """The demo's version in force today; after 2026, one from today (so in force at once)."""
    current = selectors.price_list_in_force_get(
        cooperation_id=catalogue.cooperation.pk, day=_today()
    )
    if current is not None:
        return current
    return services.price_list_create(
        actor=SYSTEM,
        cooperation=catalogue.cooperation,
        name="Gällande",
        valid_from=_today(),
        decision_reference="ITR-test",
        prices=[(catalogue.services["Support"], "55.00")],
    )


def _future(catalogue: Any, name: str = "Kommande") -> PriceList:
    """A version not yet in force and clear of every other version."""
    last = PriceList.objects.filter(cooperation=catalogue.cooperation).order_by("-valid_from")[0]
    start = max(_today(), last.valid_to or last.valid_from) + dt.timedelta(days=400)
    return services.price_list_create(
        actor=SYSTEM,
        cooperation=catalogue.cooperation,
        name=name,
        valid_from=start,
        decision_reference="ITR-2026-050",
        prices=[(catalogue.services["Support"], "58.00")],
    )


@pytest.fixture(autouse=True)
def _same_unit_user(demo: Any) -> None:
    ensure_same_unit_user(demo)


@pytest.fixture
def other_coop() -> Any:
    """Another cooperation with its own catalogue: Dalsland's admin must not find it."""
    from itfabrik.tenancy import services as tenancy_services

    coop = tenancy_services.cooperation_create(actor=SYSTEM, name="Annan", slug="annan")
    area = services.area_create(actor=SYSTEM, cooperation=coop, name="Annat område")
    service = services.service_create(
        actor=SYSTEM,
        cooperation=coop,
        area=area,
        name="Hemlig tjänst",
        price_model="fixed_fee",
        unit_of_measure="st",
    )
    package = services.package_create(
        actor=SYSTEM, cooperation=coop, name="Hemligt paket", user_kind="office",
        items=[(service, 1)],
    )  # fmt: skip
    price_list = services.price_list_create(
        actor=SYSTEM,
        cooperation=coop,
        name="Hemlig lista",
        valid_from=dt.date(2030, 1, 1),
        decision_reference="X",
    )

    class Other:
        pass

    o = Other()
    o.area, o.service, o.package, o.price_list = area, service, package, price_list  # type: ignore[attr-defined]
    return o


# --- service areas ------------------------------------------------------------------------------


def test_an_area_with_active_services_stays_open(catalogue: Any) -> None:
    admin = catalogue.user("admin")
    area = catalogue.services["Support"].area
    active = area.services.filter(is_active=True).count()
    before = db_state()
    with pytest.raises(ValidationFailed) as exc:
        services.area_update(actor=admin, area=area, expected_version=area.version, is_active=False)
    assert f"{active} aktiva tjänster" in _text(exc.value, "is_active")["sv"]
    assert f"{active} active services" in _text(exc.value, "is_active")["en"]
    assert_unchanged(before)


def test_an_empty_area_is_closed_and_reopened_audited(catalogue: Any) -> None:
    admin = catalogue.user("admin")
    area = services.area_create(actor=admin, cooperation=catalogue.cooperation, name="Telefoni")
    area = services.area_update(actor=admin, area=area, expected_version=1, is_active=False)
    assert area.is_active is False
    assert area not in selectors.area_list(actor=admin)
    area = services.area_update(actor=admin, area=area, expected_version=2, is_active=True)
    entries = AuditEntry.objects.filter(object_type="catalog.servicearea", object_id=str(area.pk))
    assert sorted(e.action for e in entries) == ["create", "update", "update"]
    with pytest.raises(Conflict):
        services.area_update(actor=admin, area=area, expected_version=1, name="Tele")


# --- services -----------------------------------------------------------------------------------


def test_an_addon_needs_approval(catalogue: Any) -> None:
    before = db_state()
    with pytest.raises(ValidationFailed) as exc:
        services.service_create(
            actor=catalogue.user("admin"),
            cooperation=catalogue.cooperation,
            area=catalogue.services["Support"].area,
            name="Dockningsstation",
            price_model="per_unit_month",
            unit_of_measure="st",
            is_addon=True,
        )
    assert "tillval" in _text(exc.value, "approval")["sv"]
    assert "add-on" in _text(exc.value, "approval")["en"]
    addon = catalogue.services["Extra bildskärm"]
    with pytest.raises(ValidationFailed):
        services.service_update(
            actor=catalogue.user("admin"),
            service=addon,
            expected_version=addon.version,
            approval="none",
        )
    assert_unchanged(before)


def test_a_service_in_a_package_cannot_be_closed(catalogue: Any) -> None:
    support = catalogue.services["Support"]
    before = db_state()
    with pytest.raises(ValidationFailed) as exc:
        services.service_update(
            actor=catalogue.user("admin"),
            service=support,
            expected_version=support.version,
            is_active=False,
        )
    text = _text(exc.value, "is_active")
    assert "Kontorsarbetsplats" in text["sv"]
    assert "Elevenhet" in text["en"]
    assert_unchanged(before)


def test_a_closed_service_cannot_be_ordered_but_its_subscriptions_run_on(catalogue: Any) -> None:
    phone = catalogue.services["Mobiltelefon med abonnemang"]
    running = list(phone.subscriptions.filter(end_date=None).values_list("pk", "quantity"))
    assert running
    services.service_update(
        actor=catalogue.user("admin"), service=phone, expected_version=phone.version,
        is_active=False,
    )  # fmt: skip
    assert list(phone.subscriptions.filter(end_date=None).values_list("pk", "quantity")) == running
    phone = selectors.service_get(actor=catalogue.user("bestallare-mellerud"), pk=phone.pk)
    before = db_state()
    with pytest.raises(ValidationFailed) as exc:
        services.order_create(
            actor=catalogue.user("bestallare-mellerud"),
            unit=catalogue.unit,
            lines=[LineInput(1, service=phone)],
        )
    assert "service" in exc.value.fields
    assert_unchanged(before)


# --- packages -----------------------------------------------------------------------------------


def test_package_contents_are_added_changed_and_removed(catalogue: Any) -> None:
    admin = catalogue.user("admin")
    package = catalogue.packages["Elevenhet"]
    screen = catalogue.services["Extra bildskärm"]
    item = services.package_item_set(
        actor=admin, package=package, service=screen, quantity=2, expected_version=1
    )
    assert item.quantity == 2
    item = services.package_item_set(
        actor=admin, package=package, service=screen, quantity="3", expected_version=2
    )
    assert PackageItem.objects.get(pk=item.pk).quantity == 3
    services.package_item_remove(actor=admin, package=package, service=screen, expected_version=3)
    assert not PackageItem.objects.filter(package=package, service=screen).exists()
    assert Package.objects.get(pk=package.pk).version == 4
    actions = AuditEntry.objects.filter(object_type="catalog.packageitem", object_id=str(item.pk))
    assert sorted(e.action for e in actions) == ["create", "delete", "update"]
    # A page read before these changes is stale now.
    before = db_state()
    with pytest.raises(Conflict):
        services.package_item_set(
            actor=admin, package=package, service=screen, quantity=1, expected_version=3
        )
    assert_unchanged(before)


@pytest.mark.parametrize("quantity", [0, -2, "1.5", "två"])
def test_package_item_quantities_are_whole_and_positive(catalogue: Any, quantity: Any) -> None:
    before = db_state()
    with pytest.raises(ValidationFailed) as exc:
        services.package_item_set(
            actor=catalogue.user("admin"),
            package=catalogue.packages["Elevenhet"],
            service=catalogue.services["Support"],
            quantity=quantity,
        )
    assert "quantity" in exc.value.fields
    assert_unchanged(before)


def test_a_package_keeps_its_last_service_and_takes_no_closed_or_foreign_one(
    catalogue: Any, other_coop: Any
) -> None:
    admin = catalogue.user("admin")
    package = services.package_create(
        actor=admin,
        cooperation=catalogue.cooperation,
        name="Minipaket",
        user_kind="other",
        items=[(catalogue.services["Support"], 1)],
    )
    closed = services.service_create(
        actor=admin, cooperation=catalogue.cooperation, area=catalogue.services["Support"].area,
        name="Gammal tjänst", price_model="fixed_fee", unit_of_measure="st",
    )  # fmt: skip
    services.service_update(actor=admin, service=closed, expected_version=1, is_active=False)
    before = db_state()
    with pytest.raises(ValidationFailed) as exc:
        services.package_item_remove(
            actor=admin, package=package, service=catalogue.services["Support"]
        )
    assert "minst en tjänst" in _text(exc.value, "service")["sv"]
    with pytest.raises(ValidationFailed):
        services.package_item_set(actor=admin, package=package, service=closed, quantity=1)
    with pytest.raises(ValidationFailed):
        services.package_item_set(
            actor=admin, package=package, service=other_coop.service, quantity=1
        )
    assert_unchanged(before)


# --- price lists --------------------------------------------------------------------------------


def test_a_new_version_from_tomorrow_copies_the_prices_and_ends_the_current(
    catalogue: Any,
) -> None:
    admin = catalogue.user("admin")
    current = _in_force(catalogue)
    tomorrow = _today() + dt.timedelta(days=1)
    new = services.price_list_copy(
        actor=admin,
        source=current,
        name="Prislista från i morgon",
        valid_from=tomorrow,
        decision_reference="ITR-2026-060",
        end_source=True,
    )
    assert PriceList.objects.get(pk=current.pk).valid_to == _today()
    assert dict(new.prices.values_list("service_id", "amount")) == dict(
        current.prices.values_list("service_id", "amount")
    )
    coop = catalogue.cooperation.pk
    assert selectors.price_list_in_force_get(cooperation_id=coop, day=_today()) == current
    assert selectors.price_list_in_force_get(cooperation_id=coop, day=tomorrow) == new
    assert AuditEntry.objects.filter(object_type="catalog.pricelist", object_id=str(current.pk),
                                     action="update").exists()  # fmt: skip


def test_a_copy_that_overlaps_is_refused_naming_the_clash(catalogue: Any) -> None:
    current = _in_force(catalogue)
    before = db_state()
    with pytest.raises(ValidationFailed) as exc:
        services.price_list_copy(
            actor=catalogue.user("admin"),
            source=current,
            name="Krock",
            valid_from=_today() + dt.timedelta(days=1),
            decision_reference="ITR-2026-061",
        )
    text = _text(exc.value, "valid_from")
    assert current.name in text["sv"]
    assert "överlappar" in text["sv"]
    assert "overlaps" in text["en"]
    assert_unchanged(before)


def test_a_version_in_force_keeps_its_start_and_prices(catalogue: Any) -> None:
    admin = catalogue.user("admin")
    current = _in_force(catalogue)
    support = catalogue.services["Support"]
    before = db_state()
    for changes, field in (
        ({"valid_from": current.valid_from - dt.timedelta(days=1)}, "valid_from"),
        ({"valid_to": _today() - dt.timedelta(days=1)}, "valid_to"),
        ({"is_active": False}, "is_active"),
    ):
        with pytest.raises(ValidationFailed) as exc:
            services.price_list_update(
                actor=admin, price_list=current, expected_version=current.version, **changes
            )
        assert field in exc.value.fields, changes
    with pytest.raises(ValidationFailed) as exc:
        services.price_set(actor=admin, price_list=current, service=support, amount="1.00")
    assert "ny version" in _text(exc.value, "amount")["sv"]
    with pytest.raises(ValidationFailed):
        services.price_remove(actor=admin, price_list=current, service=support)
    assert_unchanged(before)
    # Ending it today and correcting its decision reference are allowed.
    ended = services.price_list_update(
        actor=admin,
        price_list=current,
        expected_version=current.version,
        valid_to=_today(),
        decision_reference=f"{current.decision_reference} (rättad)",
    )
    assert ended.valid_to == _today()


def test_a_version_not_yet_in_force_is_edited_freely(catalogue: Any) -> None:
    admin = catalogue.user("admin")
    future = _future(catalogue)
    moved = services.price_list_update(
        actor=admin,
        price_list=future,
        expected_version=future.version,
        valid_from=future.valid_from + dt.timedelta(days=31),
    )
    screen = catalogue.services["Extra bildskärm"]
    services.price_set(
        actor=admin, price_list=moved, service=screen, amount="12,50",
        expected_version=moved.version,
    )  # fmt: skip
    services.price_remove(actor=admin, price_list=moved, service=catalogue.services["Support"])
    assert dict(moved.prices.values_list("service__name", "amount")) == {
        "Extra bildskärm": Decimal("12.50")
    }


# --- the API ------------------------------------------------------------------------------------


def _api_write(
    api_as: Any, actor: str | None, expected: int, method: str, url: str, data: dict[str, Any]
) -> Any:
    client = api_as(actor)
    before = db_state()
    r = getattr(client, method)(url, data, format="json")
    if expected >= 400:
        assert_error(r, expected, ERROR_CODES[expected])
        assert_unchanged(before)
        return None
    assert r.status_code == expected, r.content[:500]
    return r.json()


@pytest.mark.parametrize(("actor", "expected"), actor_params({**MANAGE_API, ADMIN: 201}))
def test_api_area_create(api_as: Any, catalogue: Any, actor: str | None, expected: int) -> None:
    body = _api_write(api_as, actor, expected, "post", "/api/v1/catalog/areas/",
                      {"cooperation": catalogue.cooperation.pk, "name": "Telefoni"})  # fmt: skip
    if body:
        assert body["name"] == "Telefoni"
        assert body["is_active"] is True


@pytest.mark.parametrize(("actor", "expected"), actor_params({**MANAGE_API, ADMIN: 200}))
def test_api_area_update(api_as: Any, catalogue: Any, actor: str | None, expected: int) -> None:
    area = catalogue.services["Support"].area
    body = _api_write(api_as, actor, expected, "patch", f"/api/v1/catalog/areas/{area.pk}/",
                      {"version": area.version, "description": "Rättad."})  # fmt: skip
    if body:
        assert body["description"] == "Rättad."
        assert body["version"] == area.version + 1


@pytest.mark.parametrize(("actor", "expected"), actor_params({**MANAGE_API, ADMIN: 201}))
def test_api_package_create(api_as: Any, catalogue: Any, actor: str | None, expected: int) -> None:
    data = {
        "cooperation": catalogue.cooperation.pk,
        "name": "Politikerpaket",
        "user_kind": "other",
        "items": [{"service": catalogue.services["Support"].pk, "quantity": 2}],
    }
    body = _api_write(api_as, actor, expected, "post", "/api/v1/catalog/packages/", data)
    if body:
        assert body["items"] == [{"service": catalogue.services["Support"].pk,
                                  "service_name": "Support", "quantity": 2}]  # fmt: skip


@pytest.mark.parametrize(("actor", "expected"), actor_params({**MANAGE_API, ADMIN: 200}))
def test_api_package_update(api_as: Any, catalogue: Any, actor: str | None, expected: int) -> None:
    package = catalogue.packages["Elevenhet"]
    body = _api_write(api_as, actor, expected, "patch", f"/api/v1/catalog/packages/{package.pk}/",
                      {"version": package.version, "is_active": False})  # fmt: skip
    if body:
        assert body["is_active"] is False


@pytest.mark.parametrize(("actor", "expected"), actor_params({**MANAGE_API, ADMIN: 200}))
@pytest.mark.parametrize("step", ["set-item", "remove-item"])
def test_api_package_contents(
    api_as: Any, catalogue: Any, step: str, actor: str | None, expected: int
) -> None:
    package = catalogue.packages["Elevenhet"]
    support = catalogue.services["Support"]
    data: dict[str, Any] = {"version": package.version, "service": support.pk}
    if step == "set-item":
        data["quantity"] = 5
    body = _api_write(api_as, actor, expected, "post",
                      f"/api/v1/catalog/packages/{package.pk}/{step}/", data)  # fmt: skip
    if body:
        names = {i["service_name"]: i["quantity"] for i in body["items"]}
        assert names.get("Support") == (5 if step == "set-item" else None)
        assert body["version"] == package.version + 1


@pytest.mark.parametrize(("actor", "expected"), actor_params({**MANAGE_API, ADMIN: 201}))
def test_api_price_list_copy(api_as: Any, catalogue: Any, actor: str | None, expected: int) -> None:
    current = _in_force(catalogue)
    tomorrow = (_today() + dt.timedelta(days=1)).isoformat()
    data = {"name": "Ny version", "valid_from": tomorrow, "decision_reference": "ITR-1",
            "end_source": True}  # fmt: skip
    body = _api_write(api_as, actor, expected, "post",
                      f"/api/v1/catalog/price-lists/{current.pk}/copy/", data)  # fmt: skip
    if body:
        assert body["valid_from"] == tomorrow
        assert len(body["prices"]) == current.prices.count()


@pytest.mark.parametrize(("actor", "expected"), actor_params({**MANAGE_API, ADMIN: 200}))
@pytest.mark.parametrize("step", ["set-price", "remove-price"])
def test_api_price_list_prices(
    api_as: Any, catalogue: Any, step: str, actor: str | None, expected: int
) -> None:
    future = _future(catalogue)
    data: dict[str, Any] = {"version": future.version, "service": catalogue.services["Support"].pk}
    if step == "set-price":
        data["amount"] = "59.90"
    body = _api_write(api_as, actor, expected, "post",
                      f"/api/v1/catalog/price-lists/{future.pk}/{step}/", data)  # fmt: skip
    if body:
        amounts = [p["amount"] for p in body["prices"]]
        assert amounts == (["59.90"] if step == "set-price" else [])


def test_api_overlap_and_a_version_in_force_are_refused_on_the_field(
    api_as: Any, catalogue: Any
) -> None:
    client = api_as(ADMIN)
    current = _in_force(catalogue)
    before = db_state()
    r = client.post(f"/api/v1/catalog/price-lists/{current.pk}/copy/",
                    {"name": "Krock", "valid_from": (_today() + dt.timedelta(days=1)).isoformat(),
                     "decision_reference": "X"}, format="json")  # fmt: skip
    error = assert_error(r, 400, "invalid")
    assert current.name in error["fields"]["valid_from"][0]["messages"]["en"]
    r = client.post(f"/api/v1/catalog/price-lists/{current.pk}/set-price/",
                    {"version": current.version, "service": catalogue.services["Support"].pk,
                     "amount": "1.00"}, format="json")  # fmt: skip
    assert "amount" in assert_error(r, 400, "invalid")["fields"]
    r = client.post(f"/api/v1/catalog/packages/{catalogue.packages['Elevenhet'].pk}/set-item/",
                    {"version": 99, "service": catalogue.services["Support"].pk, "quantity": 1},
                    format="json")  # fmt: skip
    assert_error(r, 409, "conflict")
    assert_unchanged(before)


def test_api_another_cooperations_catalogue_is_not_found(api_as: Any, other_coop: Any) -> None:
    client = api_as(ADMIN)
    for url, data in (
        (f"/api/v1/catalog/areas/{other_coop.area.pk}/", {"version": 1, "name": "X"}),
        (f"/api/v1/catalog/packages/{other_coop.package.pk}/", {"version": 1, "name": "X"}),
    ):
        before = db_state()
        r = client.patch(url, data, format="json")
        assert_error(r, 404, "not_found")
        assert_unchanged(before)
    before = db_state()
    r = client.post(f"/api/v1/catalog/price-lists/{other_coop.price_list.pk}/set-price/",
                    {"version": 1, "service": other_coop.service.pk, "amount": "1"},
                    format="json")  # fmt: skip
    assert_error(r, 404, "not_found")
    assert_unchanged(before)


# --- the management pages -----------------------------------------------------------------------

PAGES = [
    "/katalog/forvaltning/tjanster/",
    "/katalog/forvaltning/tjanster/ny/",
    "/katalog/forvaltning/omraden/",
    "/katalog/forvaltning/omraden/ny/",
    "/katalog/forvaltning/paket/",
    "/katalog/forvaltning/paket/ny/",
    "/katalog/forvaltning/prislistor/",
    "/katalog/forvaltning/prislistor/ny/",
]


def _web_refused(client: Any, r: Any, url: str, expected: Any, missing: str) -> None:
    if expected == "login":
        assert_login_redirect(r, url)
        return
    assert r.status_code == 404, (url, r.status_code)
    ghost = client.get(missing)
    assert ghost.status_code == 404
    assert page_without_noise(ghost) == page_without_noise(r)


@pytest.mark.parametrize(("actor", "expected"), actor_params({**MANAGE_WEB, ADMIN: 200}))
def test_web_management_pages(
    web_as: Any, catalogue: Any, actor: str | None, expected: Any
) -> None:
    client = web_as(actor)
    objects = [
        f"/katalog/forvaltning/tjanster/{catalogue.services['Support'].pk}/",
        f"/katalog/forvaltning/tjanster/{catalogue.services['Support'].pk}/stang/",
        f"/katalog/forvaltning/omraden/{catalogue.services['Support'].area_id}/",
        f"/katalog/forvaltning/omraden/{catalogue.services['Support'].area_id}/stang/",
        f"/katalog/forvaltning/paket/{catalogue.packages['Elevenhet'].pk}/",
        f"/katalog/forvaltning/paket/{catalogue.packages['Elevenhet'].pk}/stang/",
        f"/katalog/forvaltning/prislistor/{catalogue.price_list.pk}/",
    ]
    for url in PAGES + objects:
        r = client.get(url)
        if expected != 200:
            missing = url.replace(url.rstrip("/").rsplit("/", 1)[-1], str(MISSING_ID))
            _web_refused(client, r, url, expected, missing if url in objects else url)
            continue
        assert r.status_code == 200, (url, r.status_code)
    menu = client.get("/").content.decode() if actor else ""
    assert ("/katalog/forvaltning/tjanster/" in menu) is (actor == ADMIN)


def _posts(catalogue: Any) -> list[tuple[str, dict[str, Any]]]:
    support = catalogue.services["Support"]
    screen = catalogue.services["Extra bildskärm"]
    phone = catalogue.services["Mobiltelefon med abonnemang"]
    package = catalogue.packages["Elevenhet"]
    future = _future(catalogue)
    area = support.area
    return [
        ("/katalog/forvaltning/omraden/ny/", {"name": "Telefoni", "sort_order": "5"}),
        (f"/katalog/forvaltning/omraden/{area.pk}/",
         {"version": area.version, "name": "Nytt namn", "sort_order": "1"}),
        ("/katalog/forvaltning/tjanster/ny/",
         {"area": area.pk, "name": "Skrivare", "tier": "standard", "price_model": "fixed_fee",
          "unit_of_measure": "st", "orderable_by": "orderers", "approval": "none"}),
        ("/katalog/forvaltning/paket/ny/",
         {"name": "Nytt", "user_kind": "office", "service": support.pk, "quantity": "1"}),
        (f"/katalog/forvaltning/paket/{package.pk}/innehall/",
         {"version": package.version, "service": screen.pk, "quantity": "2"}),
        # Each change of contents moves the package's version on.
        (f"/katalog/forvaltning/paket/{package.pk}/innehall/ta-bort/",
         {"version": package.version + 1, "service": support.pk}),
        ("/katalog/forvaltning/prislistor/ny/",
         {"source": future.pk, "name": "Ännu senare", "decision_reference": "X",
          "valid_from": (future.valid_from + dt.timedelta(days=365)).isoformat(),
          "end_source": "on"}),
        # Ended by the copy above (version + 1), then one price set (+ 2).
        (f"/katalog/forvaltning/prislistor/{future.pk}/pris/",
         {"version": future.version + 1, "service": screen.pk, "amount": "10,00"}),
        (f"/katalog/forvaltning/prislistor/{future.pk}/pris/ta-bort/",
         {"version": future.version + 2, "service": support.pk}),
        (f"/katalog/forvaltning/tjanster/{phone.pk}/stang/", {"version": phone.version}),
        (f"/katalog/forvaltning/prislistor/{future.pk}/dra-tillbaka/",
         {"version": future.version + 3}),
    ]  # fmt: skip


@pytest.mark.parametrize(("actor", "expected"), actor_params({**MANAGE_WEB, ADMIN: 302}))
def test_web_management_writes(
    web_as: Any, catalogue: Any, actor: str | None, expected: Any
) -> None:
    client = web_as(actor)
    for url, data in _posts(catalogue):
        before = db_state()
        r = client.post(url, data)
        if expected == 302:
            assert r.status_code == 302, (url, r.content.decode()[-3000:])
            continue
        if expected == "login":
            assert_login_redirect(r, url)
        else:
            assert r.status_code == 404, (url, r.status_code)
        assert_unchanged(before)


def test_web_objects_of_another_cooperation_are_not_found(web_as: Any, other_coop: Any) -> None:
    client = web_as(ADMIN)
    for url, missing in (
        (f"/katalog/forvaltning/tjanster/{other_coop.service.pk}/",
         f"/katalog/forvaltning/tjanster/{MISSING_ID}/"),
        (f"/katalog/forvaltning/paket/{other_coop.package.pk}/",
         f"/katalog/forvaltning/paket/{MISSING_ID}/"),
        (f"/katalog/forvaltning/prislistor/{other_coop.price_list.pk}/",
         f"/katalog/forvaltning/prislistor/{MISSING_ID}/"),
        (f"/katalog/forvaltning/omraden/{other_coop.area.pk}/",
         f"/katalog/forvaltning/omraden/{MISSING_ID}/"),
    ):  # fmt: skip
        before = db_state()
        r = client.post(url, {"version": 1, "name": "Kapad", "sort_order": "1"})
        _web_refused(client, r, url, 404, missing)
        assert_unchanged(before)
    names = {s.name for s in client.get("/katalog/forvaltning/tjanster/?state=all").context["page"]}
    assert "Hemlig tjänst" not in names


def test_web_admin_creates_and_edits_a_service(web_as: Any, catalogue: Any) -> None:
    client = web_as(ADMIN)
    area = catalogue.services["Support"].area
    team = catalogue.services["Support"].owner_node
    data = {"area": area.pk, "name": "Skrivare", "description": "Nätverksskrivare.",
            "owner_node": team.pk, "tier": "extended", "price_model": "per_unit_month",
            "unit_of_measure": "skrivare", "orderable_by": "it_only", "approval": "it"}  # fmt: skip
    r = client.post("/katalog/forvaltning/tjanster/ny/", data)
    service = Service.objects.get(name="Skrivare")
    assert r["Location"] == f"/katalog/forvaltning/tjanster/{service.pk}/"
    assert (service.tier, service.orderable_by, service.approval, service.owner_node) == (
        "extended",
        "it_only",
        "it",
        team,
    )
    edit = f"/katalog/forvaltning/tjanster/{service.pk}/"
    r = client.post(edit, {**data, "version": 1, "description": "Färgskrivare."})
    assert r.status_code == 302
    # The same form sent again from the page read before: refused, nothing overwritten.
    before = db_state()
    r = client.post(edit, {**data, "version": 1, "description": "Svartvit."})
    assert r.status_code == 200
    assert "Någon annan har ändrat uppgifterna" in r.content.decode()
    assert_unchanged(before)
    assert Service.objects.get(pk=service.pk).description == "Färgskrivare."
    # Bad input: the add-on rule named on its field.
    r = client.post(edit, {**data, "version": 2, "is_addon": "on", "approval": "none"})
    assert "approval" in r.context["form"].errors


def test_web_a_manager_of_two_catalogues_creates_a_service_in_the_one_chosen(
    web_as: Any, catalogue: Any, other_coop: Any, demo: Any
) -> None:
    from itfabrik.accounts import services as account_services
    from itfabrik.core.roles import Role
    from itfabrik.tenancy.models import Cooperation

    annan = Cooperation.objects.get(slug="annan")
    account_services.role_assign(
        actor=SYSTEM, user=demo.user(ADMIN), role=Role.COOPERATION_ADMIN, node=annan.root
    )
    client = web_as(ADMIN)
    url = "/katalog/forvaltning/tjanster/ny/"
    form = client.get(f"{url}?cooperation={annan.pk}").context["form"]
    assert form["cooperation"].value() == annan.pk
    assert [label for _pk, label in form.fields["area"].choices] == ["Annat område"]
    data = {"area": other_coop.area.pk, "name": "Annans skrivare", "price_model": "fixed_fee",
            "tier": "standard", "unit_of_measure": "st", "orderable_by": "orderers",
            "approval": "none"}  # fmt: skip
    # An area of the other cooperation sent for Dalsland is refused on its field.
    before = db_state()
    r = client.post(url, {**data, "cooperation": catalogue.cooperation.pk})
    assert "area" in r.context["form"].errors
    assert_unchanged(before)
    r = client.post(url, {**data, "cooperation": annan.pk})
    assert r.status_code == 302
    assert Service.objects.get(name="Annans skrivare").cooperation_id == annan.pk


def test_web_a_catalogue_without_price_lists_starts_its_first_on_the_page(
    web_as: Any, catalogue: Any
) -> None:
    from itfabrik.catalog.models import Price

    coop = catalogue.cooperation
    Price.objects.filter(price_list__cooperation=coop).delete()
    PriceList.objects.filter(cooperation=coop).delete()
    client = web_as(ADMIN)
    url = "/katalog/forvaltning/prislistor/ny/"
    r = client.get(url)
    assert r.status_code == 200
    assert "Första prislistan" in r.content.decode()
    assert "source" not in r.context["form"].fields  # nothing to copy from
    # Bad input: no decision, named on its field; nothing written.
    before = db_state()
    start = (_today() + dt.timedelta(days=1)).isoformat()
    r = client.post(url, {"name": "Prislista 2027", "valid_from": start})
    assert r.status_code == 200
    assert "decision_reference" in r.context["form"].errors
    assert_unchanged(before)
    r = client.post(
        url, {"name": "Prislista 2027", "valid_from": start, "decision_reference": "ITR-2026-1"}
    )
    created = PriceList.objects.get(cooperation=coop)
    assert r["Location"] == f"/katalog/forvaltning/prislistor/{created.pk}/"
    assert (created.name, created.decision_reference, created.prices.count()) == (
        "Prislista 2027",
        "ITR-2026-1",
        0,
    )
    assert AuditEntry.objects.filter(object_type="catalog.pricelist", object_id=str(created.pk))


def test_web_overlap_is_shown_on_the_field(web_as: Any, catalogue: Any) -> None:
    client = web_as(ADMIN)
    current = _in_force(catalogue)
    before = db_state()
    r = client.post(
        "/katalog/forvaltning/prislistor/ny/",
        {"source": current.pk, "name": "Krock", "decision_reference": "X",
         "valid_from": (_today() + dt.timedelta(days=1)).isoformat()},
    )  # fmt: skip
    assert r.status_code == 200
    errors = r.context["form"].errors["valid_from"]
    assert any(current.name in e and "överlappar" in e for e in errors), errors
    assert_unchanged(before)


def test_web_service_list_filters_and_exports(web_as: Any, catalogue: Any) -> None:
    client = web_as(ADMIN)
    area = catalogue.services["Support"].area
    r = client.get("/katalog/forvaltning/tjanster/", {"area": area.pk, "q": "support"})
    found = list(r.context["page"])
    assert "Support" in [s.name for s in found]
    assert all(s.area_id == area.pk for s in found)
    assert all("support" in f"{s.name} {s.description}".lower() for s in found)
    r = client.get(
        "/katalog/forvaltning/tjanster/", {"format": "csv", "q": "Support", "area": area.pk}
    )
    assert r["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:2] == ["Tjänsteområde", "Tjänst"]
    assert [row[1] for row in rows[1:]] == [s.name for s in found]
    price = catalogue.services["Support"].prices.get(price_list=_in_force(catalogue)).amount
    row = next(row for row in rows if row[1] == "Support")
    assert row[6] == ("" if price is None else f"{price:.2f}".replace(".", ","))
    r = client.get("/katalog/forvaltning/tjanster/", {"format": "xlsx", "state": "all"})
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(r.content)).active
    assert sheet is not None
    names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert len(names) == Service.objects.filter(cooperation=catalogue.cooperation).count()


def test_web_service_list_query_count_does_not_grow(web_as: Any, catalogue: Any) -> None:
    client = web_as(ADMIN)
    url = "/katalog/forvaltning/tjanster/?state=all"
    first, _ = page_query_count(client, url)
    area = catalogue.services["Support"].area
    for i in range(12):
        services.service_create(
            actor=SYSTEM,
            cooperation=catalogue.cooperation,
            area=area,
            name=f"Extra {i}",
            price_model="fixed_fee",
            unit_of_measure="st",
        )
    again, r = page_query_count(client, url)
    assert again == first
    assert r.context["page"].paginator.count == 27


@pytest.mark.parametrize(
    "url",
    [
        "/katalog/forvaltning/tjanster/?state=all",
        "/katalog/forvaltning/omraden/",
        "/katalog/forvaltning/paket/",
        "/katalog/forvaltning/prislistor/",
    ],
)
def test_web_management_lists_have_a_fixed_query_count(
    web_as: Any, catalogue: Any, url: str, django_assert_num_queries: Any
) -> None:
    client = web_as(ADMIN)
    client.get(url)  # the session and the grants are read once per request either way
    expected = {"tjanster": 12, "omraden": 10, "paket": 11, "prislistor": 10}
    key = url.split("/")[3].split("?")[0]
    with django_assert_num_queries(expected[key]):
        assert client.get(url).status_code == 200


def test_web_package_contents_and_errors(web_as: Any, catalogue: Any) -> None:
    client = web_as(ADMIN)
    package = catalogue.packages["Elevenhet"]
    screen = catalogue.services["Extra bildskärm"]
    url = f"/katalog/forvaltning/paket/{package.pk}/innehall/"
    before = db_state()
    r = client.post(url, {"version": package.version, "service": screen.pk, "quantity": "0"})
    assert r.status_code == 200
    assert "quantity" in r.context["item_form"].errors
    assert_unchanged(before)
    client.post(url, {"version": package.version, "service": screen.pk, "quantity": "2"})
    assert PackageItem.objects.get(package=package, service=screen).quantity == 2
    r = client.get(f"/katalog/forvaltning/paket/{package.pk}/")
    assert "Extra bildskärm" in r.content.decode()


def test_web_area_close_refused_shows_why(web_as: Any, catalogue: Any) -> None:
    client = web_as(ADMIN)
    area = catalogue.services["Support"].area
    before = db_state()
    r = client.post(f"/katalog/forvaltning/omraden/{area.pk}/stang/", {"version": area.version})
    assert r.status_code == 200
    assert "aktiva tjänster" in r.content.decode()
    assert_unchanged(before)
    assert ServiceArea.objects.get(pk=area.pk).is_active


def test_web_withdraw_a_version_not_yet_in_force_but_not_one_in_force(
    web_as: Any, catalogue: Any
) -> None:
    client = web_as(ADMIN)
    future = _future(catalogue)
    r = client.post(f"/katalog/forvaltning/prislistor/{future.pk}/dra-tillbaka/",
                    {"version": future.version}, follow=True)  # fmt: skip
    assert "Kommande är tillbakadragen." in r.content.decode()
    assert PriceList.objects.get(pk=future.pk).is_active is False
    current = _in_force(catalogue)
    before = db_state()
    r = client.post(f"/katalog/forvaltning/prislistor/{current.pk}/dra-tillbaka/",
                    {"version": current.version}, follow=True)  # fmt: skip
    assert "kan inte dras tillbaka" in r.content.decode()
    assert_unchanged(before)
