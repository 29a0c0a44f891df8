"""The network lists' filters: one FilterSet per list, for the selector, the pages and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q

from itfabrik.core.filters import FilterSet, IdFilter

from .choices import DeviceStatus, VlanStatus
from .models import Device, Site, Vlan


class SiteFilter(FilterSet):
    municipality = IdFilter(field_name="municipality_id")
    is_active = django_filters.BooleanFilter(field_name="is_active")
    q = django_filters.CharFilter(method="filter_q")

    class Meta:
        model = Site
        fields: list[str] = []

    def filter_q(self, queryset: Any, name: str, value: str) -> Any:
        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value))


class DeviceFilter(FilterSet):
    municipality = IdFilter(field_name="municipality_id")
    site = IdFilter(field_name="site_id")
    device_type = IdFilter(field_name="device_type_id")
    status = django_filters.ChoiceFilter(choices=DeviceStatus.choices)
    conforms = django_filters.BooleanFilter(field_name="name_conforms")
    q = django_filters.CharFilter(method="filter_q")

    class Meta:
        model = Device
        fields: list[str] = []

    def filter_q(self, queryset: Any, name: str, value: str) -> Any:
        return queryset.filter(
            Q(name__icontains=value) | Q(serial__icontains=value) | Q(model__icontains=value)
        )


class VlanFilter(FilterSet):
    municipality = IdFilter(field_name="municipality_id")
    site = IdFilter(field_name="site_id")
    vid = django_filters.NumberFilter(field_name="vid")
    status = django_filters.ChoiceFilter(choices=VlanStatus.choices)
    q = django_filters.CharFilter(method="filter_q")

    class Meta:
        model = Vlan
        fields: list[str] = []

    def filter_q(self, queryset: Any, name: str, value: str) -> Any:
        return queryset.filter(Q(name__icontains=value) | Q(description__icontains=value))
