"""Identity's list filters: one FilterSet per list, for the selector, the pages and the API.

No filter takes a personal identity number: it would end up in an address (and in logs)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q

from itfabrik.core.filters import FilterSet, IdFilter

from .choices import AccountKind, AccountStatus, GrantStatus
from .models import Account, Grant, Person


class PersonFilter(FilterSet):
    q = django_filters.CharFilter(method="filter_q", max_length=100, help_text="Name contains.")
    municipality = IdFilter(method="filter_municipality")

    class Meta:
        model = Person
        fields: list[str] = []

    def filter_q(self, queryset: Any, name: str, value: str) -> Any:
        for word in value.split()[:4]:
            queryset = queryset.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
        return queryset

    def filter_municipality(self, queryset: Any, name: str, value: int | None) -> Any:
        if value is None:
            return queryset
        from .models import Employment

        return queryset.filter(
            pk__in=Employment.objects.filter(municipality_id=value).values("person_id")
        )


class AccountFilter(FilterSet):
    q = django_filters.CharFilter(field_name="username", lookup_expr="icontains", max_length=100)
    kind = django_filters.ChoiceFilter(choices=AccountKind.choices)
    status = django_filters.ChoiceFilter(choices=AccountStatus.choices)
    municipality = IdFilter(field_name="municipality_id")
    person = IdFilter(field_name="person_id")

    class Meta:
        model = Account
        fields: list[str] = []


class GrantFilter(FilterSet):
    status = django_filters.ChoiceFilter(choices=GrantStatus.choices)
    account = IdFilter(field_name="account_id")
    municipality = IdFilter(field_name="account__municipality_id")

    class Meta:
        model = Grant
        fields: list[str] = []
