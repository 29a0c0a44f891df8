"""Governance's list filters: one FilterSet per list, for the selector, the pages and the API."""

from __future__ import annotations

from typing import Any

import django_filters

from itfabrik.core.filters import FilterSet, IdFilter

from .choices import DecisionScope, DecisionStatus, MatterKind, MatterStatus, MeetingStatus
from .models import Decision, Matter, Meeting


class DecisionFilter(FilterSet):
    forum = IdFilter(field_name="forum_id")
    scope = django_filters.ChoiceFilter(choices=DecisionScope.choices)
    status = django_filters.ChoiceFilter(choices=DecisionStatus.choices)
    municipality = IdFilter(field_name="municipality_id")
    year = django_filters.NumberFilter(field_name="year", min_value=1900, max_value=2999)
    decided_from = django_filters.DateFilter(field_name="decided_on", lookup_expr="gte")
    decided_to = django_filters.DateFilter(field_name="decided_on", lookup_expr="lte")
    q = django_filters.CharFilter(method="filter_q", help_text="Text in the number or title.")

    class Meta:
        model = Decision
        fields: list[str] = []

    def filter_q(self, queryset: Any, name: str, value: str) -> Any:
        from django.db.models import Q

        return queryset.filter(Q(number__icontains=value) | Q(title__icontains=value))


class MeetingFilter(FilterSet):
    forum = IdFilter(field_name="forum_id")
    status = django_filters.ChoiceFilter(choices=MeetingStatus.choices)
    held_from = django_filters.DateFilter(field_name="held_on", lookup_expr="gte")
    held_to = django_filters.DateFilter(field_name="held_on", lookup_expr="lte")

    class Meta:
        model = Meeting
        fields: list[str] = []


class MatterFilter(FilterSet):
    forum = IdFilter(field_name="forum_id")
    target_forum = IdFilter(field_name="target_forum_id")
    kind = django_filters.ChoiceFilter(choices=MatterKind.choices)
    status = django_filters.ChoiceFilter(choices=MatterStatus.choices)

    class Meta:
        model = Matter
        fields: list[str] = []
