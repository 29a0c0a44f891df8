"""Reads of the catalogue and of orders: every one takes the actor and applies scope.

The catalogue is scoped by cooperation (anyone with a role in it reads it); orders and
subscriptions by the unit's path (`scope_q` on `unit__path`).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import (
    Count,
    DecimalField,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from itfabrik.core import permissions
from itfabrik.core.actors import Actor
from itfabrik.core.models import AuditEntry
from itfabrik.core.selectors import get_or_not_found
from itfabrik.tenancy.choices import NodeKind
from itfabrik.tenancy.models import Cooperation, OrgNode

from . import permissions as actions
from .filters import OrderFilter, PackageFilter, PriceListFilter, ServiceFilter, SubscriptionFilter
from .models import (
    Order,
    OrderLine,
    Package,
    PackageItem,
    Price,
    PriceList,
    Service,
    ServiceArea,
    Subscription,
)


def catalogue_q(actor: Actor, *, field: str = "cooperation_id") -> Q:
    """Catalogue rows the actor may read: those of the cooperations they hold a role in."""
    if permissions.is_superuser(actor):
        return Q()
    ids = sorted({g.cooperation_id for g in permissions.grants_for(actor, actions.VIEW_CATALOGUE)})
    return Q(**{f"{field}__in": ids})


def catalogue_cooperation_get(*, actor: Actor, cooperation_id: Any) -> Cooperation:
    return get_or_not_found(
        Cooperation.objects.filter(catalogue_q(actor, field="pk")).select_related("root"),
        cooperation_id,
    )


def _current_price(day: dt.date, service_ref: str = "pk") -> Subquery:
    """The service's price in the price list in force on `day` (a subquery; None if none)."""
    prices = (
        Price.objects.filter(
            service_id=OuterRef(service_ref),
            price_list__is_active=True,
            price_list__valid_from__lte=day,
        )
        .filter(Q(price_list__valid_to__isnull=True) | Q(price_list__valid_to__gte=day))
        .order_by("-price_list__valid_from")
        .values("amount")[:1]
    )
    return Subquery(prices, output_field=DecimalField(max_digits=12, decimal_places=2))


# --- managing the catalogue: only the cooperations whose catalogue the actor manages -------------


def managed_cooperation_list(*, actor: Actor) -> list[Cooperation]:
    """Cooperations whose catalogue the actor manages (the action on the cooperation's root)."""
    coops = (
        Cooperation.objects.filter(catalogue_q(actor, field="pk"))
        .select_related("root")
        .order_by("name", "pk")
    )
    return [
        c
        for c in coops
        if c.root is not None and permissions.can(actor, actions.MANAGE_CATALOGUE, c.root)
    ]


def manage_q(actor: Actor, *, field: str = "cooperation_id") -> Q:
    """Rows of the catalogues the actor manages; a reader's lookup of them answers 404."""
    if permissions.is_superuser(actor):
        return Q()
    return Q(**{f"{field}__in": [c.pk for c in managed_cooperation_list(actor=actor)]})


def _active_subscriptions(service_ref: str = "pk") -> Subquery:
    today = timezone.localdate()
    rows = (
        Subscription.objects.filter(service_id=OuterRef(service_ref), start_date__lte=today)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .order_by()
        .values("service_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Subquery(rows, output_field=IntegerField())


def area_admin_list(*, actor: Actor) -> QuerySet[ServiceArea]:
    """Every area of the managed catalogues, closed ones too, with their number of services."""
    return (
        ServiceArea.objects.filter(manage_q(actor))
        .annotate(
            active_services=Count("services", filter=Q(services__is_active=True)),
            all_services=Count("services"),
        )
        .order_by("sort_order", "name", "pk")
    )


def area_admin_get(*, actor: Actor, pk: Any) -> ServiceArea:
    return get_or_not_found(
        ServiceArea.objects.filter(manage_q(actor)).select_related("cooperation__root"), pk
    )


def service_admin_list(
    *,
    actor: Actor,
    area_id: int | None = None,
    is_active: bool | None = None,
    search: str | None = None,
    tier: str | None = None,
    price_model: str | None = None,
) -> QuerySet[Service]:
    """The services of the managed catalogues for the management list and its export: today's
    price and the number of subscriptions running today, sorted by area and name."""
    qs = (
        Service.objects.filter(manage_q(actor))
        .select_related("area", "owner_node", "owner_user")
        .annotate(
            price=_current_price(timezone.localdate()),
            active_subscriptions=Coalesce(_active_subscriptions(), 0),
        )
    )
    return ServiceFilter.apply(
        qs, area=area_id, is_active=is_active, q=search, tier=tier, price_model=price_model
    ).order_by("area__sort_order", "area__name", "name", "pk")


def service_admin_get(*, actor: Actor, pk: Any) -> Service:
    return get_or_not_found(
        Service.objects.filter(manage_q(actor)).select_related(
            "area", "owner_node", "owner_user", "cooperation__root"
        ),
        pk,
    )


def package_admin_list(
    *, actor: Actor, search: str | None = None, user_kind: str | None = None
) -> QuerySet[Package]:
    """Every package of the managed catalogues, closed ones too, with its contents."""
    return package_list(
        actor=actor, search=search, user_kind=user_kind, include_inactive=True
    ).filter(manage_q(actor))


def package_admin_get(*, actor: Actor, pk: Any) -> Package:
    return get_or_not_found(package_admin_list(actor=actor).select_related("cooperation__root"), pk)


def price_list_admin_list(*, actor: Actor) -> QuerySet[PriceList]:
    return (
        PriceList.objects.filter(manage_q(actor))
        .annotate(price_count=Count("prices"))
        .order_by("-valid_from", "-pk")
    )


def price_list_admin_get(*, actor: Actor, pk: Any) -> PriceList:
    prices = Price.objects.select_related("service", "service__area").order_by(
        "service__area__sort_order", "service__name"
    )
    return get_or_not_found(
        PriceList.objects.filter(manage_q(actor))
        .select_related("cooperation__root")
        .prefetch_related(Prefetch("prices", queryset=prices)),
        pk,
    )


def area_list(*, actor: Actor, include_inactive: bool = False) -> QuerySet[ServiceArea]:
    qs = ServiceArea.objects.filter(catalogue_q(actor))
    if not include_inactive:
        qs = qs.filter(is_active=True)
    return qs.order_by("sort_order", "name")


def area_get(*, actor: Actor, pk: Any) -> ServiceArea:
    return get_or_not_found(area_list(actor=actor, include_inactive=True), pk)


def service_list(
    *,
    actor: Actor,
    area_id: int | None = None,
    search: str | None = None,
    price_model: str | None = None,
    is_addon: bool | None = None,
    include_inactive: bool = False,
) -> QuerySet[Service]:
    qs = (
        Service.objects.filter(catalogue_q(actor))
        .select_related("area", "owner_node", "owner_user")
        .annotate(price=_current_price(timezone.localdate()))
    )
    return ServiceFilter.apply(
        qs,
        area=area_id,
        q=search,
        price_model=price_model,
        is_addon=is_addon,
        is_active=None if include_inactive else True,
    ).order_by("area__sort_order", "name", "pk")


def service_get(*, actor: Actor, pk: Any) -> Service:
    return get_or_not_found(service_list(actor=actor, include_inactive=True), pk)


def package_list(
    *,
    actor: Actor,
    search: str | None = None,
    user_kind: str | None = None,
    include_inactive: bool = False,
) -> QuerySet[Package]:
    items = (
        PackageItem.objects.select_related("service", "service__area")
        .annotate(price=_current_price(timezone.localdate(), "service_id"))
        .order_by("service__name")
    )
    qs = Package.objects.filter(catalogue_q(actor)).prefetch_related(
        Prefetch("items", queryset=items)
    )
    return PackageFilter.apply(
        qs, q=search, user_kind=user_kind, is_active=None if include_inactive else True
    ).order_by("name", "pk")


def package_get(*, actor: Actor, pk: Any) -> Package:
    return get_or_not_found(package_list(actor=actor, include_inactive=True), pk)


def price_list_list(*, actor: Actor, include_inactive: bool = True) -> QuerySet[PriceList]:
    prices = Price.objects.select_related("service").order_by("service__name")
    qs = PriceList.objects.filter(catalogue_q(actor)).prefetch_related(
        Prefetch("prices", queryset=prices)
    )
    return PriceListFilter.apply(qs, is_active=None if include_inactive else True).order_by(
        "-valid_from", "pk"
    )


def price_list_get(*, actor: Actor, pk: Any) -> PriceList:
    return get_or_not_found(price_list_list(actor=actor), pk)


def price_list_in_force_get(*, cooperation_id: int, day: dt.date) -> PriceList | None:
    """The price-list version in force on a day (versions never overlap, so at most one).
    Internal: for billing and for showing prices of a catalogue the caller already scoped."""
    return (
        PriceList.objects.filter(cooperation_id=cooperation_id, is_active=True, valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .order_by("-valid_from")
        .first()
    )


def price_in_force_list(
    *, cooperation_id: int, day: dt.date
) -> tuple[PriceList | None, dict[int, Decimal]]:
    """The price list in force on a day and its prices by service id (two queries)."""
    price_list = price_list_in_force_get(cooperation_id=cooperation_id, day=day)
    if price_list is None:
        return None, {}
    rows = Price.objects.filter(price_list=price_list).values_list("service_id", "amount")
    return price_list, dict(rows)


def _orders(actor: Actor) -> QuerySet[Order]:
    return Order.objects.filter(
        permissions.scope_q(actor, actions.VIEW_ORDERS, path_field="unit__path")
    )


def order_list(
    *,
    actor: Actor,
    unit_id: int | None = None,
    status: str | None = None,
    kind: str | None = None,
    created_by_id: int | None = None,
) -> QuerySet[Order]:
    qs = (
        _orders(actor)
        .select_related("unit", "created_by", "decided_by")
        .annotate(line_count=Count("lines"))
    )
    return OrderFilter.apply(
        qs, unit=unit_id, status=status, order_type=kind, created_by=created_by_id
    ).order_by("-created_at", "-pk")


def order_get(*, actor: Actor, pk: Any) -> Order:
    lines = OrderLine.objects.select_related(
        "service", "package", "subscription", "subscription__service"
    ).order_by("pk")
    qs = (
        _orders(actor)
        .select_related("unit", "created_by", "decided_by", "cooperation")
        .prefetch_related(Prefetch("lines", queryset=lines))
    )
    return get_or_not_found(qs, pk)


def order_history_list(*, actor: Actor, order: Order) -> QuerySet[AuditEntry]:
    """Every audited step of a visible order and its lines, oldest first: what the orderer sees
    on the order page (they do not hold the general audit action)."""
    order_get(actor=actor, pk=order.pk)
    line_ids = [
        str(pk) for pk in OrderLine.objects.filter(order=order).values_list("pk", flat=True)
    ]
    return AuditEntry.objects.filter(
        Q(object_type="catalog.order", object_id=str(order.pk))
        | Q(object_type="catalog.orderline", object_id__in=line_ids)
    ).order_by("occurred_at", "pk")


def pending_approval_list(*, actor: Actor) -> QuerySet[Order]:
    """Submitted orders waiting for a decision the actor may take."""
    q = Q(pk__in=[])
    for action, level in ((actions.APPROVE_ORDER, "unit_manager"), (actions.APPROVE_IT, "it")):
        q |= permissions.scope_q(actor, action, path_field="unit__path") & Q(approval=level)
    if permissions.is_superuser(actor):
        q = Q()
    return (
        Order.objects.filter(q, status="submitted")
        .select_related("unit", "created_by")
        .annotate(line_count=Count("lines"))
        .order_by("submitted_at", "pk")
    )


def subscription_list(
    *,
    actor: Actor,
    unit_id: int | None = None,
    service_id: int | None = None,
    active: bool | None = None,
) -> QuerySet[Subscription]:
    qs = Subscription.objects.filter(
        permissions.scope_q(actor, actions.VIEW_ORDERS, path_field="unit__path")
    ).select_related("unit", "service", "package", "order_line")
    return SubscriptionFilter.apply(qs, unit=unit_id, service=service_id, active=active).order_by(
        "unit__path", "service__name", "start_date", "pk"
    )


def subscription_get(*, actor: Actor, pk: Any) -> Subscription:
    return get_or_not_found(subscription_list(actor=actor), pk)


def subscription_period_list(
    *, cooperation_id: int, start: dt.date, end: dt.date
) -> QuerySet[Subscription]:
    """Internal (billing): every subscription with at least one day in start..end inclusive."""
    return (
        Subscription.objects.filter(cooperation_id=cooperation_id, start_date__lte=end)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
        .select_related("unit", "service")
        .order_by("unit__path", "service_id", "start_date", "pk")
    )


def orderable_unit_list(*, actor: Actor) -> QuerySet[OrgNode]:
    """Active units the actor may order for: those under a node where they hold the order
    action."""
    return OrgNode.objects.filter(
        permissions.scope_q(actor, actions.ORDER), kind=NodeKind.UNIT, is_active=True
    ).order_by("path")


def orderable_unit_get(*, actor: Actor, pk: Any) -> OrgNode:
    return get_or_not_found(orderable_unit_list(actor=actor), pk)
