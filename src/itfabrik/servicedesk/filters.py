"""The service desk's list filter: one FilterSet for the selector, the agent queue and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q

from itfabrik.core.filters import DateTimeFilter, FilterSet, IdFilter

from .choices import (
    OPEN_STATUSES,
    Channel,
    EscalationTrigger,
    Priority,
    TicketStatus,
    TicketType,
)
from .models import (
    AssignmentGroup,
    BusinessCalendar,
    CalendarDay,
    EscalationRule,
    SlaPolicy,
    Ticket,
    VipPerson,
)


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


# --- the configuration lists (the API's; the settings pages use their own search form) -------


def _words(queryset: Any, value: str, fields: tuple[str, ...]) -> Any:
    """Every word (at most five) in one of the fields, as the settings pages search."""
    for word in value.split()[:5]:
        cond = Q()
        for field in fields:
            cond |= Q(**{f"{field}__icontains": word})
        queryset = queryset.filter(cond)
    return queryset


class _ManagedFilter(FilterSet):
    cooperation = IdFilter(field_name="cooperation_id")
    is_active = django_filters.BooleanFilter(help_text="Active (true) or retired (false).")
    q = django_filters.CharFilter(method="filter_q", max_length=100, help_text="Words to find.")
    search_fields: tuple[str, ...] = ("name",)

    def filter_q(self, queryset: Any, name: str, value: str) -> Any:
        return _words(queryset, value, self.search_fields)


class GroupFilter(_ManagedFilter):
    kind = django_filters.CharFilter(max_length=30, help_text="The group kind, e.g. first_line.")
    search_fields = ("name", "email")

    class Meta:
        model = AssignmentGroup
        fields: list[str] = []


class CalendarFilter(_ManagedFilter):
    class Meta:
        model = BusinessCalendar
        fields: list[str] = []


class PolicyFilter(_ManagedFilter):
    priority = django_filters.ChoiceFilter(choices=Priority.choices)
    calendar = IdFilter(field_name="calendar_id")

    class Meta:
        model = SlaPolicy
        fields: list[str] = []


class VipFilter(_ManagedFilter):
    search_fields = ("user__username", "user__first_name", "user__last_name", "reason")

    class Meta:
        model = VipPerson
        fields: list[str] = []


class EscalationRuleFilter(_ManagedFilter):
    trigger = django_filters.ChoiceFilter(choices=EscalationTrigger.choices)

    class Meta:
        model = EscalationRule
        fields: list[str] = []


class CalendarDayFilter(FilterSet):
    since = django_filters.DateFilter(field_name="date", lookup_expr="gte", help_text="From.")
    until = django_filters.DateFilter(field_name="date", lookup_expr="lte", help_text="To.")
    closed = django_filters.BooleanFilter(
        method="filter_closed", help_text="Closed days (true) or shortened days (false)."
    )

    class Meta:
        model = CalendarDay
        fields: list[str] = []

    def filter_closed(self, queryset: Any, name: str, value: bool | None) -> Any:
        if value is None:
            return queryset
        return queryset.filter(hours=[]) if value else queryset.exclude(hours=[])
