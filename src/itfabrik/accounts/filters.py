"""The accounts app's list filters: one definition per list for the selector, the web list and
the API (core.filters)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q

from itfabrik.core.filters import FilterSet, IdFilter
from itfabrik.core.roles import Role

from .models import RoleAssignment, User


class AssignmentFilter(FilterSet):
    user = IdFilter(field_name="user_id")
    node = IdFilter(field_name="node_id")
    role = django_filters.ChoiceFilter(choices=Role.choices)

    class Meta:
        model = RoleAssignment
        fields: list[str] = []


class UserFilter(FilterSet):
    q = django_filters.CharFilter(method="filter_q", label="Sök")
    home_unit = IdFilter(field_name="home_unit_id")

    class Meta:
        model = User
        fields: list[str] = []

    def filter_q(self, queryset: Any, name: str, value: str) -> Any:
        return queryset.filter(
            Q(username__icontains=value)
            | Q(first_name__icontains=value)
            | Q(last_name__icontains=value)
            | Q(email__icontains=value)
        )
