"""The system register's list filters: one FilterSet per list, for the selector, page and API."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q

from itfabrik.core.filters import FilterSet, IdFilter

from .choices import Hosting, ProgrammeStatus
from .models import System


class SystemFilter(FilterSet):
    q = django_filters.CharFilter(method="filter_q", help_text="Name or supplier contains.")
    hosting = django_filters.ChoiceFilter(choices=Hosting.choices)
    status = django_filters.ChoiceFilter(choices=ProgrammeStatus.choices)
    capability = IdFilter(field_name="capabilities__id", distinct=True)
    municipality = IdFilter(method="filter_municipality")
    is_active = django_filters.BooleanFilter(field_name="is_active")
    contract_end_before = django_filters.DateFilter(field_name="contract_end", lookup_expr="lte")

    class Meta:
        model = System
        fields: list[str] = []

    def filter_q(self, queryset: Any, name: str, value: str) -> Any:
        return queryset.filter(Q(name__icontains=value) | Q(supplier__icontains=value))

    def filter_municipality(self, queryset: Any, name: str, value: Any) -> Any:
        from .models import SystemUse

        if value is None:
            return queryset
        used = SystemUse.objects.filter(municipality_id=value, is_active=True)
        return queryset.filter(pk__in=used.values("system_id"))
