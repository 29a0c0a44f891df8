"""The catalogue's and ordering's services: every rule, bad input refused with a clear error and
nothing changed, every step audited."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone, translation

from itfabrik.catalog import services
from itfabrik.catalog.models import Order, OrderLine, PriceList, Service, Subscription
from itfabrik.catalog.services import LineInput
from itfabrik.core.actors import SYSTEM
from itfabrik.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from itfabrik.core.models import AuditEntry
from itfabrik.core.tests import MELLERUD, assert_unchanged, db_state

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("next_years_draft_set_aside")]
JAN = dt.date(2026, 1, 1)


def _messages(exc: Any, field: str) -> dict[str, str]:
    out = {}
    for code in ("sv", "en"):
        with translation.override(code):
            out[code] = " ".join(str(m) for m in exc.fields[field])
    return out


# --- the demo catalogue -------------------------------------------------------------------------


def test_demo_catalogue(catalogue: Any) -> None:
    assert len(catalogue.services) == 15
    assert set(catalogue.packages) == {
        "Kontorsarbetsplats",
        "Delad arbetsplats vård och omsorg",
        "Elevenhet",
    }
    assert all("Exempelpris" in s.description for s in catalogue.services.values())
    assert catalogue.price_list.decision_reference == "ITR-2026-003 (exempel)"
    assert catalogue.price_list.prices.count() == 15
    addons = {s.name for s in catalogue.services.values() if s.is_addon}
    assert "Mobiltelefon med abonnemang" in addons
    assert all(catalogue.services[a].approval != "none" for a in addons)


def test_demo_subscriptions_from_january(catalogue: Any) -> None:
    subs = Subscription.objects.filter(unit=catalogue.unit)
    assert subs.exists()
    assert {s.start_date for s in subs} == {JAN}
    # Särskilt boende's phones: 6 from January, 8 from March, history kept.
    phones = Subscription.objects.filter(
        service__name="Mobiltelefon med abonnemang", unit__name="Särskilt boende"
    ).order_by("start_date")
    assert [(s.quantity, s.start_date, s.end_date) for s in phones] == [
        (6, JAN, dt.date(2026, 2, 28)),
        (8, dt.date(2026, 3, 1), None),
    ]
    assert Order.objects.filter(status="submitted", unit=catalogue.unit).count() == 1


# --- the catalogue ------------------------------------------------------------------------------


def test_admin_creates_corrects_and_retires_a_service(catalogue: Any) -> None:
    admin = catalogue.user("admin")
    area = catalogue.services["Support"].area
    service = services.service_create(
        actor=admin,
        cooperation=catalogue.cooperation,
        area=area,
        name="Skrivare",
        price_model="per_unit_month",
        unit_of_measure="skrivare",
    )
    service = services.service_update(
        actor=admin, service=service, expected_version=1, description="Nätverksskrivare."
    )
    assert service.version == 2
    service = services.service_update(
        actor=admin, service=service, expected_version=2, is_active=False
    )
    assert Service.objects.get(pk=service.pk).is_active is False
    entries = AuditEntry.objects.filter(object_type="catalog.service", object_id=str(service.pk))
    assert sorted(e.action for e in entries) == ["create", "update", "update"]
    with pytest.raises(Conflict):
        services.service_update(actor=admin, service=service, expected_version=1, name="X")


@pytest.mark.parametrize("username", ["bestallare-mellerud", "ekonom", "agent"])
def test_others_may_read_but_not_manage_the_catalogue(catalogue: Any, username: str) -> None:
    before = db_state()
    with pytest.raises(Forbidden):
        services.service_update(
            actor=catalogue.user(username),
            service=catalogue.services["Support"],
            expected_version=None,
            name="Gratis support",
        )
    assert_unchanged(before)


def test_duplicate_service_name_is_refused(catalogue: Any) -> None:
    before = db_state()
    with pytest.raises(ValidationFailed) as exc:
        services.service_create(
            actor=catalogue.user("admin"),
            cooperation=catalogue.cooperation,
            area=catalogue.services["Support"].area,
            name="Support",
            price_model="per_unit_month",
            unit_of_measure="st",
        )
    assert "name" in exc.value.fields
    assert_unchanged(before)


@pytest.mark.parametrize("quantity", [0, -1, "1.5", Decimal("2.5"), "två"])
def test_package_quantities_must_be_whole_and_positive(catalogue: Any, quantity: Any) -> None:
    before = db_state()
    with pytest.raises(ValidationFailed) as exc:
        services.package_create(
            actor=catalogue.user("admin"),
            cooperation=catalogue.cooperation,
            name="Nytt paket",
            user_kind="office",
            items=[(catalogue.services["Support"], quantity)],
        )
    assert "items" in exc.value.fields
    assert_unchanged(before)


def test_an_overlapping_price_list_is_refused_naming_the_clash(catalogue: Any) -> None:
    before = db_state()
    with pytest.raises(ValidationFailed) as exc:
        services.price_list_create(
            actor=catalogue.user("admin"),
            cooperation=catalogue.cooperation,
            name="Prislista höst 2026",
            valid_from=dt.date(2026, 7, 1),
            decision_reference="ITR-2026-010",
        )
    text = _messages(exc.value, "valid_from")
    assert "Prislista 2026" in text["sv"]
    assert "överlappar" in text["sv"]
    assert "Prislista 2026" in text["en"]
    assert "overlaps" in text["en"]
    assert "2026-01-01" in text["sv"]
    assert_unchanged(before)


def test_an_adjacent_price_list_is_accepted_and_found_by_day(catalogue: Any) -> None:
    from itfabrik.catalog import selectors

    pl = services.price_list_create(
        actor=catalogue.user("admin"),
        cooperation=catalogue.cooperation,
        name="Prislista 2027",
        valid_from=dt.date(2027, 1, 1),
        decision_reference="ITR-2026-044",
        prices=[(catalogue.services["Support"], "57,50")],
    )
    assert pl.prices.get().amount == Decimal("57.50")
    coop = catalogue.cooperation.pk
    assert selectors.price_list_in_force_get(cooperation_id=coop, day=dt.date(2026, 12, 31)) == (
        catalogue.price_list
    )
    assert selectors.price_list_in_force_get(cooperation_id=coop, day=dt.date(2027, 1, 1)) == pl
    assert selectors.price_list_in_force_get(cooperation_id=coop, day=dt.date(2025, 12, 31)) is None
    # Extending 2026 into 2027 now clashes with the 2027 version; nothing changes.
    before = db_state()
    with pytest.raises(ValidationFailed) as exc:
        services.price_list_update(
            actor=catalogue.user("admin"),
            price_list=catalogue.price_list,
            expected_version=None,
            valid_to=dt.date(2027, 6, 30),
        )
    assert "Prislista 2027" in _messages(exc.value, "valid_from")["en"]
    assert_unchanged(before)


def _next_year(catalogue: Any, **extra: Any) -> PriceList:
    """A version not yet in force, after the demo's 2026 list (and after today)."""
    start = max(dt.date(2027, 1, 1), timezone.localdate() + dt.timedelta(days=400))
    return services.price_list_create(
        actor=catalogue.user("admin"),
        cooperation=catalogue.cooperation,
        name="Prislista nästa år",
        valid_from=start,
        decision_reference="ITR-2026-044",
        prices=[(catalogue.services["Support"], "57.50")],
        **extra,
    )


def test_a_withdrawn_price_list_no_longer_blocks(catalogue: Any) -> None:
    admin = catalogue.user("admin")
    future = _next_year(catalogue)
    services.price_list_update(
        actor=admin, price_list=future, expected_version=None, is_active=False
    )
    services.price_list_create(
        actor=admin,
        cooperation=catalogue.cooperation,
        name="Ersättare",
        valid_from=future.valid_from,
        decision_reference="ITR-2026-020",
    )
    assert PriceList.objects.filter(pk=future.pk, is_active=False).exists()


@pytest.mark.parametrize("amount", ["-1", "gratis", "1e999999"])
def test_bad_prices_are_refused(catalogue: Any, amount: str) -> None:
    future = _next_year(catalogue)
    before = db_state()
    with pytest.raises(ValidationFailed):
        services.price_set(
            actor=catalogue.user("admin"),
            price_list=future,
            service=catalogue.services["Support"],
            amount=amount,
        )
    assert_unchanged(before)


def test_price_set_corrects_and_audits(catalogue: Any) -> None:
    future = _next_year(catalogue)
    price = services.price_set(
        actor=catalogue.user("admin"),
        price_list=future,
        service=catalogue.services["Support"],
        amount=Decimal("60.25"),
        expected_version=future.version,
    )
    assert price.amount == Decimal("60.25")
    assert AuditEntry.objects.filter(object_type="catalog.price", object_id=str(price.pk)).exists()
    # The list's version moved on: a second edit from the same stale page is refused.
    with pytest.raises(Conflict):
        services.price_set(
            actor=catalogue.user("admin"),
            price_list=future,
            service=catalogue.services["Support"],
            amount=Decimal("61.00"),
            expected_version=future.version,
        )


# --- ordering -----------------------------------------------------------------------------------


def _order(
    catalogue: Any, *lines: LineInput, unit: Any = None, actor: str = "bestallare-mellerud"
) -> Order:
    return services.order_create(
        actor=catalogue.user(actor), unit=unit or catalogue.unit, lines=list(lines)
    )


def test_order_a_package_from_draft_to_subscriptions(catalogue: Any) -> None:
    orderer = catalogue.user("bestallare-mellerud")
    package = catalogue.packages["Kontorsarbetsplats"]
    order = _order(catalogue, LineInput(2, package=package))
    assert order.status == "draft"
    assert order.created_by == orderer
    order = services.order_submit(actor=orderer, order=order, expected_version=order.version)
    assert order.status == "approved"  # nothing needs approval
    assert OrderLine.objects.get(order=order).decision == "auto"
    order = services.order_deliver(
        actor=catalogue.user("admin"), order=order, delivered_on=dt.date(2026, 4, 1)
    )
    assert order.status == "delivered"
    subs = Subscription.objects.filter(order_line__order=order)
    assert {(s.service.name, s.quantity) for s in subs} == {
        ("Bärbar dator", 2),
        ("Användarkonto med tvåfaktor", 2),
        ("Microsoft 365-licens", 2),
        ("Nätverksanslutning", 2),
        ("Support", 2),
    }
    assert {(s.unit_id, s.start_date, s.end_date, s.package_id) for s in subs} == {
        (catalogue.unit.pk, dt.date(2026, 4, 1), None, package.pk)
    }
    statuses = [
        e.after["status"]
        for e in AuditEntry.objects.filter(
            object_type="catalog.order", object_id=str(order.pk)
        ).order_by("pk")
    ]
    assert statuses == ["draft", "submitted", "approved", "delivering", "delivered"]


def test_an_addon_waits_for_approval(catalogue: Any) -> None:
    orderer = catalogue.user("bestallare-mellerud")
    order = _order(
        catalogue,
        LineInput(1, service=catalogue.services["Support"]),
        LineInput(1, service=catalogue.services["Extra bildskärm"]),
    )
    order = services.order_submit(actor=orderer, order=order)
    assert (order.status, order.approval) == ("submitted", "unit_manager")
    assert sorted(OrderLine.objects.filter(order=order).values_list("decision", flat=True)) == [
        "auto",
        "pending",
    ]
    # The orderer cannot approve their own order.
    with pytest.raises(Forbidden):
        services.order_approve(actor=orderer, order=order)
    order = services.order_approve(actor=catalogue.user("admin"), order=order, note="OK")
    assert order.status == "approved"
    assert order.decided_by == catalogue.user("admin")
    assert set(OrderLine.objects.filter(order=order).values_list("decision", flat=True)) == {
        "auto",
        "approved",
    }


def test_it_approval_needs_it(catalogue: Any, demo: Any) -> None:
    from itfabrik.accounts import services as account_services
    from itfabrik.core.roles import Role

    contact = account_services.user_create(actor=SYSTEM, username="itkontakt", password=None)
    account_services.role_assign(
        actor=SYSTEM, user=contact, role=Role.IT_CONTACT, node=demo.node(MELLERUD)
    )
    orderer = catalogue.user("bestallare-mellerud")
    order = services.order_submit(
        actor=orderer,
        order=_order(catalogue, LineInput(1, service=catalogue.services["Specialprogramvara"])),
    )
    assert order.approval == "it"
    with pytest.raises(Forbidden):
        services.order_approve(actor=contact, order=order)
    # The IT contact approves what the unit manager must approve.
    other = services.order_submit(
        actor=orderer,
        order=_order(catalogue, LineInput(1, service=catalogue.services["Extra bildskärm"])),
    )
    assert services.order_approve(actor=contact, order=other).status == "approved"


def test_reject_needs_a_reason_and_ends_the_order(catalogue: Any) -> None:
    admin = catalogue.user("admin")
    order = services.order_submit(
        actor=catalogue.user("bestallare-mellerud"),
        order=_order(catalogue, LineInput(3, service=catalogue.services["Extra bildskärm"])),
    )
    with pytest.raises(ValidationFailed):
        services.order_reject(actor=admin, order=order, note="  ")
    order = services.order_reject(actor=admin, order=order, note="Ingen budget.")
    assert order.status == "rejected"
    with pytest.raises(Conflict) as exc:
        services.order_deliver(actor=admin, order=order)
    assert exc.value.code == "invalid_transition"
    assert not Subscription.objects.filter(order_line__order=order).exists()


def test_two_approvals_at_once_exactly_one_succeeds(catalogue: Any) -> None:
    admin = catalogue.user("admin")
    order = services.order_submit(
        actor=catalogue.user("bestallare-mellerud"),
        order=_order(catalogue, LineInput(1, service=catalogue.services["Extra bildskärm"])),
    )
    seen_version = order.version
    services.order_approve(actor=admin, order=order, expected_version=seen_version)
    before = db_state()
    with pytest.raises(Conflict):
        services.order_approve(actor=admin, order=order, expected_version=seen_version)
    with pytest.raises(Conflict):
        services.order_reject(actor=admin, order=order, note="Nej", expected_version=None)
    assert_unchanged(before)


def test_a_stale_conditional_update_is_a_conflict(catalogue: Any) -> None:
    """The status change is one UPDATE … WHERE status and version are as read: a writer that
    read the row before another's change matches no row."""
    from itfabrik.catalog.services import _transition

    order = _order(catalogue, LineInput(1, service=catalogue.services["Support"]))
    stale = Order.objects.get(pk=order.pk)
    Order.objects.filter(pk=order.pk).update(version=order.version + 1)
    before = db_state()
    with pytest.raises(Conflict):
        _transition(actor=SYSTEM, order=stale, target="submitted", expected_version=stale.version)
    assert_unchanged(before)


def test_cancel_from_draft_and_submitted_only(catalogue: Any) -> None:
    orderer = catalogue.user("bestallare-mellerud")
    draft = _order(catalogue, LineInput(1, service=catalogue.services["Support"]))
    assert services.order_cancel(actor=orderer, order=draft).status == "cancelled"
    submitted = services.order_submit(
        actor=orderer,
        order=_order(catalogue, LineInput(1, service=catalogue.services["Extra bildskärm"])),
    )
    assert services.order_cancel(actor=orderer, order=submitted).status == "cancelled"
    approved = services.order_submit(
        actor=orderer, order=_order(catalogue, LineInput(1, service=catalogue.services["Support"]))
    )
    with pytest.raises(Conflict):
        services.order_cancel(actor=orderer, order=approved)


@pytest.mark.parametrize("quantity", [0, -3, 1.5, "2.5", "", None, True, "x"])
def test_bad_quantities_are_refused_and_nothing_changes(catalogue: Any, quantity: Any) -> None:
    before = db_state()
    with pytest.raises(ValidationFailed) as exc:
        _order(catalogue, LineInput(quantity, service=catalogue.services["Support"]))
    assert "positivt heltal" in _messages(exc.value, "quantity")["sv"]
    assert "whole number" in _messages(exc.value, "quantity")["en"]
    assert_unchanged(before)


def test_an_order_for_another_unit_is_not_found_and_changes_nothing(catalogue: Any) -> None:
    before = db_state()
    with pytest.raises(NotFound):
        _order(
            catalogue,
            LineInput(1, service=catalogue.services["Support"]),
            unit=catalogue.other_unit,
        )
    # Nor for an administration (not a unit), even one the orderer holds the role on.
    with pytest.raises(NotFound):
        _order(
            catalogue,
            LineInput(1, service=catalogue.services["Support"]),
            unit=catalogue.administration,
        )
    assert_unchanged(before)


@pytest.mark.parametrize("username", ["anvandare-bengtsfors", "ekonom", "agent"])
def test_who_may_not_order_gets_not_found(catalogue: Any, username: str) -> None:
    before = db_state()
    with pytest.raises(NotFound):
        _order(catalogue, LineInput(1, service=catalogue.services["Support"]), actor=username)
    assert_unchanged(before)


def test_lines_must_name_one_thing_and_exist(catalogue: Any) -> None:
    before = db_state()
    with pytest.raises(ValidationFailed):
        _order(catalogue)
    with pytest.raises(ValidationFailed):
        _order(catalogue, LineInput(1))
    with pytest.raises(ValidationFailed):
        _order(
            catalogue,
            LineInput(
                1,
                service=catalogue.services["Support"],
                package=catalogue.packages["Elevenhet"],
            ),
        )
    assert_unchanged(before)


def test_retired_and_it_only_services_cannot_be_ordered(catalogue: Any) -> None:
    # Extra bildskärm: in no package (one inside an active package cannot be closed).
    services.service_update(
        actor=catalogue.user("admin"),
        service=catalogue.services["Extra bildskärm"],
        expected_version=None,
        is_active=False,
    )
    with pytest.raises(ValidationFailed):
        _order(catalogue, LineInput(1, service=Service.objects.get(name="Extra bildskärm")))
    with pytest.raises(ValidationFailed) as exc:
        _order(catalogue, LineInput(1, service=catalogue.services["Drift av verksamhetssystem"]))
    assert "IT-organisationen" in _messages(exc.value, "service")["sv"]
    # The administrator may order it.
    _order(
        catalogue,
        LineInput(1, service=catalogue.services["Drift av verksamhetssystem"]),
        actor="admin",
    )


def test_change_and_cancel_act_on_subscriptions_keeping_history(catalogue: Any) -> None:
    orderer = catalogue.user("bestallare-mellerud")
    admin = catalogue.user("admin")
    sub = Subscription.objects.filter(
        unit=catalogue.unit, service__name="Bärbar dator", end_date=None
    ).get()
    change = services.order_change_subscription(actor=orderer, subscription=sub, quantity="5")
    assert change.kind == "change"
    services.order_submit(actor=orderer, order=change)
    services.order_deliver(actor=admin, order=change, delivered_on=dt.date(2026, 5, 1))
    sub.refresh_from_db()
    assert sub.end_date == dt.date(2026, 4, 30)
    new = Subscription.objects.get(unit=catalogue.unit, service=sub.service, end_date=None)
    assert (new.quantity, new.start_date) == (5, dt.date(2026, 5, 1))
    assert sub.ended_by.order == change

    cancel = services.order_cancel_subscription(actor=orderer, subscription=new)
    services.order_submit(actor=orderer, order=cancel)
    services.order_deliver(actor=admin, order=cancel, delivered_on=dt.date(2026, 7, 1))
    new.refresh_from_db()
    assert new.end_date == dt.date(2026, 6, 30)
    assert not Subscription.objects.filter(
        unit=catalogue.unit, service=sub.service, end_date=None
    ).exists()
    # An ended subscription cannot be changed again.
    with pytest.raises(ValidationFailed):
        services.order_change_subscription(actor=orderer, subscription=new, quantity=2)


def test_change_to_the_same_or_a_bad_quantity_is_refused(catalogue: Any) -> None:
    sub = Subscription.objects.filter(unit=catalogue.unit, end_date=None).first()
    assert sub is not None
    before = db_state()
    for q in (sub.quantity, 0, "1.5"):
        with pytest.raises(ValidationFailed):
            services.order_change_subscription(
                actor=catalogue.user("bestallare-mellerud"), subscription=sub, quantity=q
            )
    assert_unchanged(before)


def test_a_change_cannot_take_effect_on_the_start_day(catalogue: Any) -> None:
    orderer = catalogue.user("bestallare-mellerud")
    sub = Subscription.objects.filter(unit=catalogue.unit, end_date=None).first()
    assert sub is not None
    change = services.order_submit(
        actor=orderer,
        order=services.order_change_subscription(
            actor=orderer, subscription=sub, quantity=sub.quantity + 1
        ),
    )
    before = db_state()
    with pytest.raises(ValidationFailed):
        services.order_deliver(actor=catalogue.user("admin"), order=change, delivered_on=JAN)
    assert_unchanged(before)


def test_delivery_needs_the_deliver_action(catalogue: Any) -> None:
    orderer = catalogue.user("bestallare-mellerud")
    order = services.order_submit(
        actor=orderer, order=_order(catalogue, LineInput(1, service=catalogue.services["Support"]))
    )
    before = db_state()
    with pytest.raises(Forbidden):
        services.order_deliver(actor=orderer, order=order)
    assert_unchanged(before)
    order = services.order_start_delivery(actor=catalogue.user("tekniker"), order=order)
    assert order.status == "delivering"
    order = services.order_deliver(actor=catalogue.user("tekniker"), order=order)
    assert order.status == "delivered"
