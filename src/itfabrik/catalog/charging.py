"""The catalogue's subscriptions as a billing charge source (billing.sources, ADR 0018).

Each subscription is charged per day for the days of the month it runs, at the price of the
price-list version in force on each of those days (a price list that changes mid-month splits
the month): monthly price × quantity × days ÷ days in the month, rounded to öre. Per-use
services are charged from usage records instead. Every line names the subscription and the
price-list version it came from.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Q

from itfabrik.billing.choices import LineKind
from itfabrik.billing.rules import prorate
from itfabrik.billing.sources import BillingContext, LineDraft, register_charge_source

from .choices import PriceModel
from .models import Price, PriceList
from .selectors import subscription_period_list

MONTHLY = (PriceModel.PER_UNIT_MONTH, PriceModel.FIXED_FEE)


def _segments(
    cooperation_id: int, first: dt.date, last: dt.date
) -> list[tuple[PriceList, dt.date, dt.date]]:
    """The price-list versions in force during first..last, each with the days it covers."""
    lists = (
        PriceList.objects.filter(
            cooperation_id=cooperation_id, is_active=True, valid_from__lte=last
        )
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=first))
        .order_by("valid_from")
    )
    out = []
    for pl in lists:
        lo = max(first, pl.valid_from)
        hi = last if pl.valid_to is None else min(last, pl.valid_to)
        if lo <= hi:
            out.append((pl, lo, hi))
    return out


def subscription_lines(ctx: BillingContext) -> Iterable[LineDraft]:
    p = ctx.period
    in_month = calendar.monthrange(p.year, p.month)[1]
    segments = _segments(ctx.cooperation.pk, p.first, p.last)
    if not segments:
        return
    prices: dict[int, dict[int, Decimal]] = {}
    for row in Price.objects.filter(price_list__in=[s[0] for s in segments]).values_list(
        "price_list_id", "service_id", "amount"
    ):
        prices.setdefault(row[0], {})[row[1]] = row[2]
    subs = subscription_period_list(
        cooperation_id=ctx.cooperation.pk, start=p.first, end=p.last
    ).filter(service__price_model__in=MONTHLY)
    # Plain rows, not model instances: a national run reads millions of subscription-months and
    # building objects for them was most of its time (bench/billing.py).
    rows = subs.values_list(
        "pk",
        "service_id",
        "unit_id",
        "start_date",
        "end_date",
        "quantity",
        "unit__municipality_id",
        "unit__cost_centre",
        "service__name",
    )
    for pk, service_id, unit_id, sub_start, sub_end, quantity, municipality_id, cc, name in rows:
        if municipality_id is None:
            continue
        for pl, lo, hi in segments:
            price = prices.get(pl.pk, {}).get(service_id)
            if price is None:
                continue
            start = max(lo, sub_start)
            end = hi if sub_end is None else min(hi, sub_end)
            days = (end - start).days + 1
            if days <= 0:
                continue
            amount = prorate(price * quantity, p.year, p.month, start, end)
            yield LineDraft(
                municipality_id=municipality_id,
                kind=LineKind.CONSUMPTION,
                amount=amount,
                description=f"{name} × {quantity}"[:300],
                unit_id=unit_id,
                cost_centre=cc,
                service=name,
                quantity=Decimal(quantity),
                unit_price=price,
                source={
                    "type": "subscription",
                    "subscription": pk,
                    "price_list": pl.pk,
                    "price_list_name": pl.name,
                    "from": start.isoformat(),
                    "to": end.isoformat(),
                    "days": days,
                    "days_in_month": in_month,
                },
            )


register_charge_source("subscriptions", subscription_lines)
