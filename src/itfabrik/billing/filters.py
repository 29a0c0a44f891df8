"""Billing's list filters: one definition per list for the selector, the web list and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q

from itfabrik.core.filters import FilterSet, IdFilter

from .choices import InvoiceStatus
from .models import Invoice, UsageRecord


class InvoiceFilter(FilterSet):
    period = django_filters.CharFilter(field_name="period", help_text="YYYY-MM")
    year = django_filters.NumberFilter(method="filter_year", help_text="All months of a year.")
    municipality = IdFilter(field_name="municipality_id")
    status = django_filters.ChoiceFilter(choices=InvoiceStatus.choices)

    class Meta:
        model = Invoice
        fields: list[str] = []

    def filter_year(self, queryset: Any, name: str, value: int) -> Any:
        return queryset.filter(period__startswith=f"{int(value):04d}-")


class UsageFilter(FilterSet):
    municipality = IdFilter(field_name="municipality_id")
    unit = IdFilter(field_name="unit_id")
    used_from = django_filters.DateFilter(field_name="used_on", lookup_expr="gte")
    used_to = django_filters.DateFilter(field_name="used_on", lookup_expr="lte")
    q = django_filters.CharFilter(method="filter_q", help_text="Part of the service or text.")

    class Meta:
        model = UsageRecord
        fields: list[str] = []

    def filter_q(self, queryset: Any, name: str, value: str) -> Any:
        return queryset.filter(Q(service__icontains=value) | Q(description__icontains=value))
