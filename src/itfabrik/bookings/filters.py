"""The bookings' list filters: one FilterSet per list, for the selector, the pages and the API."""

from __future__ import annotations

from typing import Any

import django_filters

from itfabrik.core.filters import DateTimeFilter, FilterSet, IdFilter

from .choices import BlockPart, BookingStatus
from .models import Block, Booking


class BlockFilter(FilterSet):
    municipality = IdFilter(field_name="municipality_id")
    technician = IdFilter(field_name="technician_id")
    part = django_filters.ChoiceFilter(choices=BlockPart.choices)
    starts_after = DateTimeFilter(field_name="starts_at", lookup_expr="gte")
    starts_before = DateTimeFilter(field_name="starts_at", lookup_expr="lt")
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte")
    is_open = django_filters.BooleanFilter(field_name="is_open")
    free = django_filters.BooleanFilter(
        method="filter_free", help_text="Only blocks open for booking with a place left."
    )

    class Meta:
        model = Block
        fields: list[str] = []

    def filter_free(self, queryset: Any, name: str, value: bool | None) -> Any:
        from django.db.models import F

        if value is None:
            return queryset
        free = {"is_open": True, "booked__lt": F("capacity")}
        return queryset.filter(**free) if value else queryset.exclude(**free)


class BookingFilter(FilterSet):
    status = django_filters.ChoiceFilter(choices=BookingStatus.choices)
    ticket = IdFilter(field_name="ticket_id")
    block = IdFilter(field_name="block_id")
    technician = IdFilter(field_name="block__technician_id")
    municipality = IdFilter(field_name="block__municipality_id")
    starts_after = DateTimeFilter(field_name="block__starts_at", lookup_expr="gte")
    starts_before = DateTimeFilter(field_name="block__starts_at", lookup_expr="lt")

    class Meta:
        model = Booking
        fields: list[str] = []
