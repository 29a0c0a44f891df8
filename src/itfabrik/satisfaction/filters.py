"""The ratings list's filter: one FilterSet for the selector and the API."""

from __future__ import annotations

from typing import Any

import django_filters

from itfabrik.core.filters import DateTimeFilter, FilterSet, IdFilter

from .choices import RatingChannel, Score
from .models import Rating


class RatingFilter(FilterSet):
    score = django_filters.TypedChoiceFilter(choices=Score.choices, coerce=int)
    low = django_filters.BooleanFilter(method="filter_low", help_text="Only low scores.")
    channel = django_filters.ChoiceFilter(choices=RatingChannel.choices)
    municipality = IdFilter(field_name="ticket__municipality_id")
    group = IdFilter(field_name="ticket__group_id")
    service = IdFilter(field_name="ticket__service_id")
    ticket = IdFilter(field_name="ticket_id")
    rated_since = DateTimeFilter(field_name="rated_at", lookup_expr="gte")
    rated_until = DateTimeFilter(field_name="rated_at", lookup_expr="lt")
    with_comment = django_filters.BooleanFilter(method="filter_with_comment")

    class Meta:
        model = Rating
        fields: list[str] = []

    def filter_low(self, queryset: Any, name: str, value: bool | None) -> Any:
        from .services import low_score

        if value is None:
            return queryset
        if value:
            return queryset.filter(score__lte=low_score())
        return queryset.filter(score__gt=low_score())

    def filter_with_comment(self, queryset: Any, name: str, value: bool | None) -> Any:
        if value is None:
            return queryset
        return queryset.exclude(comment="") if value else queryset.filter(comment="")
