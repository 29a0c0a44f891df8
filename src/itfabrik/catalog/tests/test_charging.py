"""The catalogue's subscriptions on the invoice basis (catalog.charging, a billing source)."""

from decimal import Decimal
from typing import Any

from itfabrik.billing.sources import Period, context_for
from itfabrik.catalog.charging import subscription_lines
from itfabrik.catalog.choices import PriceModel
from itfabrik.catalog.models import Subscription
from itfabrik.catalog.selectors import price_in_force_list

MELLERUD = "Melleruds kommun"


def test_a_whole_month_charges_price_times_quantity_with_its_price_list(demo: Any) -> None:
    period = Period(2026, 1)
    lines = list(subscription_lines(context_for(demo.cooperation, period)))
    price_list, prices = price_in_force_list(cooperation_id=demo.cooperation.pk, day=period.first)
    assert price_list is not None
    subs = Subscription.objects.filter(
        start_date__lte=period.first,
        service__price_model__in=[PriceModel.PER_UNIT_MONTH, PriceModel.FIXED_FEE],
    ).exclude(end_date__lt=period.last)
    assert subs.exists()
    by_sub = {line.source["subscription"]: line for line in lines}
    for sub in subs:
        line = by_sub[sub.pk]
        assert line.amount == prices[sub.service_id] * sub.quantity
        assert line.unit_id == sub.unit_id
        assert line.cost_centre == sub.unit.cost_centre
        assert line.source["price_list"] == price_list.pk
        assert line.source["days"] == 31


def test_nothing_is_charged_for_days_outside_the_subscription(demo: Any) -> None:
    sub = Subscription.objects.filter(end_date__isnull=False).order_by("end_date").first()
    assert sub is not None
    assert sub.end_date is not None
    after = Period.of(sub.end_date).next()
    lines = list(subscription_lines(context_for(demo.cooperation, after)))
    assert sub.pk not in {line.source["subscription"] for line in lines}
    # In its last month it pays for the days up to its end date only.
    last = Period.of(sub.end_date)
    assert sub.start_date <= last.first  # the demo's phone change: January to February
    [line] = [
        x
        for x in subscription_lines(context_for(demo.cooperation, last))
        if x.source["subscription"] == sub.pk
    ]
    assert line.source["days"] == sub.end_date.day
    assert line.amount <= line.unit_price * sub.quantity  # type: ignore[operator]


def test_the_demo_invoices_of_mellerud_carry_its_subscriptions(demo: Any) -> None:
    from itfabrik.billing.models import Invoice

    invoice = Invoice.objects.get(municipality__name=MELLERUD, period="2026-01")
    subscribed = invoice.lines.filter(source__type="subscription")
    assert subscribed.exists()
    assert sum(subscribed.values_list("amount", flat=True), Decimal(0)) > 0
