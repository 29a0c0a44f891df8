"""The organisation's list filters: one definition per list for the selector, the web list and
the API (core.filters)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q

from itfabrik.core.filters import FilterSet, IdFilter

from .choices import NodeKind
from .models import Membership, OrgNode, Position


class NodeFilter(FilterSet):
    kind = django_filters.ChoiceFilter(choices=NodeKind.choices)
    cooperation = IdFilter(field_name="cooperation_id")
    parent = IdFilter(field_name="parent_id")
    municipality = IdFilter(
        method="filter_municipality", help_text="The municipality and everything in it."
    )
    cost_centre = django_filters.CharFilter(field_name="cost_centre")
    q = django_filters.CharFilter(
        method="filter_q", help_text="Part of the name, or an exact cost centre."
    )
    is_active = django_filters.BooleanFilter()

    class Meta:
        model = OrgNode
        fields: list[str] = []

    def filter_municipality(self, queryset: Any, name: str, value: int) -> Any:
        return queryset.filter(Q(municipality_id=value) | Q(pk=value))

    def filter_q(self, queryset: Any, name: str, value: str) -> Any:
        return queryset.filter(Q(name__icontains=value) | Q(cost_centre__iexact=value))


class MembershipFilter(FilterSet):
    cooperation = IdFilter(field_name="cooperation_id")
    municipality = IdFilter(field_name="municipality_id")
    active = django_filters.BooleanFilter(field_name="left_on", lookup_expr="isnull")

    class Meta:
        model = Membership
        fields: list[str] = []


class PositionFilter(FilterSet):
    closed = django_filters.BooleanFilter(
        field_name="closed_on", lookup_expr="isnull", exclude=True, help_text="Closed or open."
    )
    team = IdFilter(field_name="team_id")

    class Meta:
        model = Position
        fields: list[str] = []
