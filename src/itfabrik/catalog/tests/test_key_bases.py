"""The devices key basis (catalog.key_bases, registered with billing): device-days per
municipality, and a Bas-IT month split by it sums to the öre."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from itfabrik.billing import services as billing
from itfabrik.billing.choices import KeyMethod
from itfabrik.billing.models import Invoice
from itfabrik.billing.sources import (
    Period,
    allocate_pool_month,
    context_for,
    key_bases,
    monthly_amount,
)
from itfabrik.catalog.key_bases import DEVICE_UNITS, devices_basis
from itfabrik.catalog.models import Service, Subscription


def _counted_day_by_day(cooperation: Any, period: Period) -> dict[int, int]:
    """The same basis counted the slow way: every day of the month on its own."""
    out: dict[int, int] = {}
    day = period.first
    subs = list(
        Subscription.objects.filter(cooperation=cooperation).select_related("service", "unit")
    )
    while day <= period.last:
        for s in subs:
            if s.service.unit_of_measure.lower() not in DEVICE_UNITS:
                continue
            if s.start_date <= day and (s.end_date is None or s.end_date >= day):
                m = int(s.unit.municipality_id or 0)
                out[m] = out.get(m, 0) + s.quantity
        day += dt.timedelta(days=1)
    return out


def test_the_catalogue_registers_the_devices_basis() -> None:
    assert key_bases()[KeyMethod.DEVICES] is devices_basis


def test_device_days_count_every_active_device_on_every_day(demo: Any) -> None:
    for month in (1, 2, 6):
        period = Period(2026, month)
        ctx = context_for(demo.cooperation, period)
        basis = devices_basis(ctx)
        assert basis  # the demo has computers and Chromebooks
        expected = {m: n for m, n in _counted_day_by_day(demo.cooperation, period).items()}
        assert basis == {m: n for m, n in expected.items() if m in ctx.member_days}


def test_accounts_and_licences_are_not_devices(demo: Any) -> None:
    period = Period(2026, 3)
    ctx = context_for(demo.cooperation, period)
    before = devices_basis(ctx)
    account = Service.objects.get(name="Användarkonto med tvåfaktor")
    sub = Subscription.objects.filter(service__unit_of_measure="dator").first()
    assert sub is not None
    with transaction.atomic():
        Subscription.objects.create(
            cooperation=demo.cooperation,
            unit=sub.unit,
            service=account,
            quantity=50,
            start_date=period.first,
            order_line=sub.order_line,
        )
        assert devices_basis(ctx) == before
        transaction.set_rollback(True)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    amount=st.decimals(min_value=0, max_value=10**8, places=2),
    month=st.integers(1, 12),
    extra=st.lists(st.tuples(st.integers(1, 40), st.integers(0, 27)), max_size=4),
)
def test_a_month_split_by_devices_sums_to_the_pool_amount_to_the_ore(
    demo: Any, amount: Decimal, month: int, extra: list[tuple[int, int]]
) -> None:
    period = Period(2026, month)
    template = Subscription.objects.filter(service__unit_of_measure="dator").first()
    assert template is not None
    with transaction.atomic():
        # More devices arriving mid-month in some of the member municipalities' units.
        units = list(
            Subscription.objects.filter(service__unit_of_measure="dator")
            .values_list("unit", flat=True)
            .distinct()
        )
        for i, (quantity, offset) in enumerate(extra):
            Subscription.objects.create(
                cooperation=demo.cooperation,
                unit_id=units[i % len(units)],
                service=template.service,
                quantity=quantity,
                start_date=period.first + dt.timedelta(days=offset),
                order_line=template.order_line,
            )
        ctx = context_for(demo.cooperation, period)
        parts = allocate_pool_month(
            amount=amount, method=KeyMethod.DEVICES, percentages={}, ctx=ctx
        )
        transaction.set_rollback(True)
    assert sum(parts.values(), Decimal(0)) == amount
    assert set(parts) == set(ctx.member_days)
    assert all(p >= 0 for p in parts.values())


def test_a_devices_key_charges_bas_it_by_devices_on_the_next_draft(demo: Any, bas_it: Any) -> None:
    ekonom = demo.user("ekonom")
    current = bas_it.keys.filter(valid_to__isnull=True).first()
    if current is not None:
        billing.key_end(actor=ekonom, key=current, valid_to=dt.date(2026, 11, 30))
    key = billing.key_adopt(
        actor=ekonom,
        pool=bas_it,
        method=KeyMethod.DEVICES,
        valid_from=dt.date(2026, 12, 1),
        decision_reference="ITR-2026-040 (test)",
    )
    billing.billing_run_now(actor=ekonom, cooperation=demo.cooperation, period="2026-12")
    period = Period(2026, 12)
    basis = devices_basis(context_for(demo.cooperation, period))
    budget = bas_it.budgets.get(year=2026).amount
    lines = [
        line
        for invoice in Invoice.objects.filter(period="2026-12")
        for line in invoice.lines.filter(cost_pool=bas_it)
    ]
    assert {line.allocation_key_id for line in lines} == {key.pk}
    assert sum((line.amount for line in lines), Decimal(0)) == monthly_amount(budget, 12)
    by_municipality = {line.invoice.municipality_id: line.amount for line in lines}
    most = max(basis, key=lambda m: basis[m])
    assert by_municipality[most] == max(by_municipality.values())
