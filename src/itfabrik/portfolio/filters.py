"""The portfolio's list filters: one FilterSet per list, for the selector, the pages and the
API."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q

from itfabrik.core.filters import FilterSet, IdFilter

from .choices import BenefitKind, InitiativeState
from .models import Benefit, Initiative


class InitiativeFilter(FilterSet):
    state = django_filters.ChoiceFilter(choices=InitiativeState.choices)
    owner = IdFilter(field_name="owner_id")
    municipality = IdFilter(
        method="filter_municipality",
        help_text="Initiatives this municipality sponsors, and those for the whole cooperation.",
    )
    q = django_filters.CharFilter(method="filter_q", help_text="Number or name contains.")

    class Meta:
        model = Initiative
        fields: list[str] = []

    def filter_municipality(self, queryset: Any, name: str, value: int | None) -> Any:
        if value is None:
            return queryset
        sponsored = Initiative.sponsors.through.objects.filter(orgnode_id=value).values(
            "initiative_id"
        )
        return queryset.filter(Q(all_municipalities=True) | Q(pk__in=sponsored))

    def filter_q(self, queryset: Any, name: str, value: str) -> Any:
        return queryset.filter(Q(code__icontains=value) | Q(title__icontains=value))


class BenefitFilter(FilterSet):
    initiative = IdFilter(field_name="initiative_id")
    municipality = IdFilter(field_name="municipality_id")
    owner = IdFilter(field_name="owner_id")
    kind = django_filters.ChoiceFilter(choices=BenefitKind.choices)
    period_from = django_filters.DateFilter(field_name="period", lookup_expr="gte")
    period_to = django_filters.DateFilter(field_name="period", lookup_expr="lte")
    missing = django_filters.BooleanFilter(
        field_name="realised",
        lookup_expr="isnull",
        help_text="Only benefits without a realised value (true) or only reported ones (false).",
    )

    class Meta:
        model = Benefit
        fields: list[str] = []
