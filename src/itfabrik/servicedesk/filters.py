"""The service desk's list filter: one FilterSet for the selector, the agent queue and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q

from itfabrik.core.filters import DateTimeFilter, FilterSet, IdFilter

from .choices import OPEN_STATUSES, Channel, Priority, TicketStatus, TicketType
from .models import Ticket


class TicketFilter(FilterSet):
    status = django_filters.ChoiceFilter(choices=TicketStatus.choices)
    open = django_filters.BooleanFilter(method="filter_open", help_text="Only open tickets.")
    group = IdFilter(field_name="group_id")
    assignee = IdFilter(field_name="assignee_id")
    requester = IdFilter(field_name="requester_id")
    municipality = IdFilter(field_name="municipality_id")
    unit = IdFilter(field_name="unit_id")
    service = IdFilter(field_name="service_id")
    priority = django_filters.ChoiceFilter(choices=Priority.choices)
    type = django_filters.ChoiceFilter(choices=TicketType.choices)
    channel = django_filters.ChoiceFilter(choices=Channel.choices)
    vip = django_filters.BooleanFilter(field_name="is_vip")
    reported_since = DateTimeFilter(field_name="reported_at", lookup_expr="gte")
    reported_until = DateTimeFilter(field_name="reported_at", lookup_expr="lt")
    due_before = DateTimeFilter(field_name="resolution_due", lookup_expr="lt")
    nis2 = django_filters.BooleanFilter(
        method="filter_nis2", help_text="Significant NIS2 incidents with a report still due."
    )
    q = django_filters.CharFilter(
        method="filter_q", max_length=100, help_text="Reference or part of the title."
    )

    class Meta:
        model = Ticket
        fields: list[str] = []

    def filter_open(self, queryset: Any, name: str, value: bool | None) -> Any:
        if value is None:
            return queryset
        if value:
            return queryset.filter(status__in=OPEN_STATUSES)
        return queryset.exclude(status__in=OPEN_STATUSES)

    def filter_nis2(self, queryset: Any, name: str, value: bool | None) -> Any:
        if value is None:
            return queryset
        if value:
            return queryset.filter(nis2_next_due__isnull=False)
        return queryset.filter(nis2_next_due__isnull=True)

    def filter_q(self, queryset: Any, name: str, value: str) -> Any:
        value = value.strip()
        return queryset.filter(Q(reference__iexact=value) | Q(title__icontains=value))
