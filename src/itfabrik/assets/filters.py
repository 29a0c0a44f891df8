"""The device register's list filters: one FilterSet per list, for the selector, the pages and
the API."""

from __future__ import annotations

import django_filters

from itfabrik.core.filters import FilterSet, IdFilter

from .choices import DeviceKind, DeviceState, Ownership, ReturnStatus
from .models import Device, Lease


class DeviceFilter(FilterSet):
    municipality = IdFilter(field_name="municipality_id")
    owner_unit = IdFilter(field_name="owner_unit_id")
    state = django_filters.ChoiceFilter(choices=DeviceState.choices)
    kind = django_filters.ChoiceFilter(choices=DeviceKind.choices)
    ownership = django_filters.ChoiceFilter(choices=Ownership.choices)
    model = IdFilter(field_name="model_id")
    lease = IdFilter(field_name="lease_id")
    lease_end_before = django_filters.DateFilter(field_name="lease_end", lookup_expr="lte")
    serial_number = django_filters.CharFilter(field_name="serial_number", lookup_expr="iexact")
    asset_tag = django_filters.CharFilter(field_name="asset_tag", lookup_expr="iexact")

    class Meta:
        model = Device
        fields: list[str] = []


class LeaseFilter(FilterSet):
    municipality = IdFilter(field_name="municipality_id")
    return_status = django_filters.ChoiceFilter(choices=ReturnStatus.choices)
    ends_before = django_filters.DateFilter(field_name="ends_on", lookup_expr="lte")

    class Meta:
        model = Lease
        fields: list[str] = []
