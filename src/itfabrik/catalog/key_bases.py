"""The catalogue's devices as a basis for billing's allocation keys (billing.sources, ADR 0025).

A Bas-IT key "by number of devices" weighs each member municipality by the devices its units
subscribe to: for every day of the month, the active quantities of services whose unit of
measure is a device, summed ("device-days"). A device that arrives mid-month counts for its
days only. Billing imports nothing of the catalogue; the catalogue registers this basis from its
`AppConfig.ready()`, as it does its subscriptions (`charging.py`). The assets app, when it
exists, registers its own count in the same way.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Q
from django.db.models.functions import Lower

from itfabrik.billing.choices import KeyMethod
from itfabrik.billing.rules import days_active
from itfabrik.billing.sources import BillingContext, register_key_basis

from .models import Service, Subscription

# The catalogue's unit of measure is free text ("dator", "enhet", "telefon" in the demo);
# these are the words that mean one physical device. Compared case-insensitively.
DEVICE_UNITS = frozenset({"dator", "enhet", "telefon", "surfplatta", "device"})


def device_services(cooperation_id: int) -> list[int]:
    return list(
        Service.objects.filter(cooperation_id=cooperation_id)
        .annotate(unit_lower=Lower("unit_of_measure"))
        .filter(unit_lower__in=DEVICE_UNITS)
        .values_list("pk", flat=True)
    )


def devices_basis(ctx: BillingContext) -> dict[int, int]:
    """Device-days in the month per municipality (only the members billing asks about)."""
    p = ctx.period
    services = device_services(ctx.cooperation.pk)
    out: dict[int, int] = defaultdict(int)
    if not services or not ctx.member_days:
        return {}
    rows = (
        Subscription.objects.filter(
            cooperation_id=ctx.cooperation.pk,
            service_id__in=services,
            start_date__lte=p.last,
            unit__municipality_id__in=list(ctx.member_days),
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=p.first))
        .values_list("unit__municipality_id", "quantity", "start_date", "end_date")
    )
    for municipality_id, quantity, start, end in rows.iterator(chunk_size=5000):
        out[int(municipality_id or 0)] += quantity * days_active(p.year, p.month, start, end)
    return dict(out)


register_key_basis(KeyMethod.DEVICES, devices_basis)
