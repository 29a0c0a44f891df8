"""The catalogue's and ordering's list filters: one per list for the selector, the web list and
the API (core.filters)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q

from itfabrik.core.filters import FilterSet, IdFilter

from .choices import OrderKind, OrderStatus, PriceModel, ServiceTier, UserKind
from .models import Order, Package, PriceList, Service, Subscription


class ServiceFilter(FilterSet):
    area = IdFilter(field_name="area_id")
    price_model = django_filters.ChoiceFilter(choices=PriceModel.choices)
    tier = django_filters.ChoiceFilter(choices=ServiceTier.choices)
    is_addon = django_filters.BooleanFilter()
    is_active = django_filters.BooleanFilter()
    q = django_filters.CharFilter(method="filter_q", help_text="Part of the name or description.")

    class Meta:
        model = Service
        fields: list[str] = []

    def filter_q(self, queryset: Any, name: str, value: str) -> Any:
        return queryset.filter(Q(name__icontains=value) | Q(description__icontains=value))


class PackageFilter(FilterSet):
    user_kind = django_filters.ChoiceFilter(choices=UserKind.choices)
    is_active = django_filters.BooleanFilter()
    q = django_filters.CharFilter(method="filter_q", help_text="Part of the name or description.")

    class Meta:
        model = Package
        fields: list[str] = []

    def filter_q(self, queryset: Any, name: str, value: str) -> Any:
        return queryset.filter(Q(name__icontains=value) | Q(description__icontains=value))


class PriceListFilter(FilterSet):
    is_active = django_filters.BooleanFilter()

    class Meta:
        model = PriceList
        fields: list[str] = []


class OrderFilter(FilterSet):
    unit = IdFilter(field_name="unit_id")
    status = django_filters.ChoiceFilter(choices=OrderStatus.choices)
    order_type = django_filters.ChoiceFilter(field_name="kind", choices=OrderKind.choices)
    created_by = IdFilter(field_name="created_by_id")

    class Meta:
        model = Order
        fields: list[str] = []


class SubscriptionFilter(FilterSet):
    unit = IdFilter(field_name="unit_id")
    service = IdFilter(field_name="service_id")
    active = django_filters.BooleanFilter(field_name="end_date", lookup_expr="isnull")

    class Meta:
        model = Subscription
        fields: list[str] = []
