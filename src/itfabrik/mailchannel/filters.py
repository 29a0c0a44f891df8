"""The list filter of processed mail: one FilterSet for the selector and the page."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q

from itfabrik.core.filters import DateTimeFilter, FilterSet

from .choices import Outcome, Source
from .models import InboundMessage


class InboundFilter(FilterSet):
    outcome = django_filters.ChoiceFilter(choices=Outcome.choices)
    source = django_filters.ChoiceFilter(choices=Source.choices)
    since = DateTimeFilter(field_name="created_at", lookup_expr="gte")
    until = DateTimeFilter(field_name="created_at", lookup_expr="lt")
    q = django_filters.CharFilter(
        method="filter_q", max_length=100, help_text="Sender, subject or ticket reference."
    )

    class Meta:
        model = InboundMessage
        fields: list[str] = []

    def filter_q(self, queryset: Any, name: str, value: str) -> Any:
        return queryset.filter(
            Q(sender__icontains=value)
            | Q(subject__icontains=value)
            | Q(ticket__reference__iexact=value.strip())
        )
