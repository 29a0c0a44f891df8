"""The risk register's list filter: one FilterSet, for the selector, the page and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q

from itfabrik.core.filters import FilterSet, IdFilter

from .choices import Category, Treatment
from .models import Risk


class RiskFilter(FilterSet):
    q = django_filters.CharFilter(method="filter_q", help_text="Title contains.")
    scope = IdFilter(field_name="scope_id")
    category = django_filters.ChoiceFilter(choices=Category.choices)
    treatment = django_filters.ChoiceFilter(choices=Treatment.choices)
    is_open = django_filters.BooleanFilter(field_name="is_open")
    min_score = django_filters.NumberFilter(field_name="score", lookup_expr="gte")
    system = IdFilter(field_name="systems__id", distinct=True)
    review_before = django_filters.DateFilter(field_name="next_review", lookup_expr="lte")

    class Meta:
        model = Risk
        fields: list[str] = []

    def filter_q(self, queryset: Any, name: str, value: str) -> Any:
        return queryset.filter(Q(title__icontains=value) | Q(description__icontains=value))
