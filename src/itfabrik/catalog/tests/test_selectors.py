"""The catalogue's reads: scope by cooperation and by unit, the price in force on a day, and what
billing will read."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from itfabrik.catalog import selectors
from itfabrik.catalog.models import Subscription
from itfabrik.core.actors import SYSTEM
from itfabrik.core.errors import NotFound
from itfabrik.core.tests import MELLERUD

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("next_years_draft_set_aside")]


def test_everyone_in_the_cooperation_reads_the_catalogue(catalogue: Any) -> None:
    for username in ("anvandare-bengtsfors", "bestallare-mellerud", "ekonom", "admin"):
        assert selectors.service_list(actor=catalogue.user(username)).count() == 15


def test_retired_services_are_hidden_unless_asked_for(catalogue: Any) -> None:
    from itfabrik.catalog import services

    services.service_update(
        actor=SYSTEM,
        service=catalogue.services["Gästnätverk"],
        expected_version=None,
        is_active=False,
    )
    actor = catalogue.user("bestallare-mellerud")
    assert selectors.service_list(actor=actor).count() == 14
    assert selectors.service_list(actor=actor, include_inactive=True).count() == 15


def test_orderable_units_are_the_orderers_subtree(catalogue: Any) -> None:
    units = selectors.orderable_unit_list(actor=catalogue.user("bestallare-mellerud"))
    assert {u.name for u in units} == {
        "Hemtjänst norr",
        "Hemtjänst söder",
        "Särskilt boende",
        "Individ- och familjeomsorg",
        "LSS och socialpsykiatri",
    }
    assert {u.municipality.name for u in units} == {MELLERUD}
    assert not selectors.orderable_unit_list(actor=catalogue.user("ekonom")).exists()


def test_orders_are_scoped_by_unit(catalogue: Any) -> None:
    assert selectors.order_list(actor=catalogue.user("bestallare-mellerud")).exists()
    assert not selectors.order_list(actor=catalogue.user("anvandare-bengtsfors")).exists()
    order = selectors.order_list(actor=catalogue.user("admin")).first()
    assert order is not None
    with pytest.raises(NotFound):
        selectors.order_get(actor=catalogue.user("anvandare-bengtsfors"), pk=order.pk)
    with pytest.raises(NotFound):
        selectors.order_get(actor=catalogue.user("admin"), pk="x")


def test_order_history_is_visible_to_the_orderer(catalogue: Any) -> None:
    actor = catalogue.user("bestallare-mellerud")
    order = selectors.order_list(actor=actor, status="delivered").last()
    assert order is not None
    history = list(selectors.order_history_list(actor=actor, order=order))
    statuses = [e.after.get("status") for e in history if e.object_type == "catalog.order"]
    assert statuses[0] == "draft"
    assert statuses[-1] == "delivered"


def test_subscriptions_between_for_billing(catalogue: Any) -> None:
    coop = catalogue.cooperation.pk
    feb = list(
        selectors.subscription_period_list(
            cooperation_id=coop, start=dt.date(2026, 2, 1), end=dt.date(2026, 2, 28)
        )
    )
    apr = list(
        selectors.subscription_period_list(
            cooperation_id=coop, start=dt.date(2026, 4, 1), end=dt.date(2026, 4, 30)
        )
    )
    phones = [s for s in feb if s.service.name == "Mobiltelefon med abonnemang"]
    assert [s.quantity for s in phones] == [6]
    phones = [s for s in apr if s.service.name == "Mobiltelefon med abonnemang"]
    assert [s.quantity for s in phones] == [8]
    assert not selectors.subscription_period_list(
        cooperation_id=coop, start=dt.date(2025, 12, 1), end=dt.date(2025, 12, 31)
    ).exists()
    assert Subscription.objects.filter(cooperation_id=coop).count() >= len(feb)


def test_prices_on_a_day(catalogue: Any) -> None:
    coop = catalogue.cooperation.pk
    price_list, prices = selectors.price_in_force_list(
        cooperation_id=coop, day=dt.date(2026, 6, 15)
    )
    assert price_list == catalogue.price_list
    assert str(prices[catalogue.services["Support"].pk]) == "55.00"
    assert selectors.price_in_force_list(cooperation_id=coop, day=dt.date(2027, 1, 1)) == (None, {})


def test_pending_approvals(catalogue: Any) -> None:
    assert selectors.pending_approval_list(actor=catalogue.user("admin")).count() == 1
    assert not selectors.pending_approval_list(actor=catalogue.user("bestallare-mellerud")).exists()
