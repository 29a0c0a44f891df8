"""List filters: one FilterSet per list, used by the selector, the web list and the API list
alike, so that a filter cannot mean one thing on a page and another in the API.

Selectors apply their FilterSet with `FilterSet.apply()` (typed keyword values); the API binds
the same class to the query string (`filterset_class`); web lists pass their form's values
through the selector.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django_filters.fields import IsoDateTimeField
from drf_spectacular.utils import extend_schema_field

from .errors import ValidationFailed
from .models import AuditAction, AuditEntry

# Primary keys are BigAutoFields: 64-bit signed integers.
MAX_ID = 2**63 - 1


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdFilter(django_filters.NumberFilter):
    """Filter on a primary or foreign key: a whole number in the key's range, else 400.

    django-filter's NumberFilter accepts any decimal (1.5, 9e18), and a value outside the 64-bit
    range makes the database driver raise (OverflowError on SQLite: a 500).
    """

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class _UtcIsoDateTimeField(IsoDateTimeField):
    def to_python(self, value: Any) -> dt.datetime | None:
        result = super().to_python(value)
        if result is None:
            return None
        try:
            return result.astimezone(dt.UTC)
        except OverflowError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class DateTimeFilter(django_filters.IsoDateTimeFilter):
    """An ISO 8601 date and time, compared in UTC.

    Python accepts any UTC offset below 24 hours (e.g. +16:00) but PostgreSQL only up to ±15:59
    ("time zone displacement out of range": a 500); in UTC every offset is fine. A value that
    leaves the calendar in UTC (9999-12-31T23:00-14:00) is a 400.
    """

    field_class = _UtcIsoDateTimeField


class FilterSet(django_filters.FilterSet):
    @classmethod
    def apply(cls, queryset: QuerySet[Any], **values: Any) -> QuerySet[Any]:
        """Filter by the given values (None: not filtered), with the same meaning as the API's
        query parameters of the same names."""
        data = {k: v for k, v in values.items() if v is not None and v != ""}
        if not data:
            return queryset
        filterset = cls(data, queryset=queryset)
        if not filterset.is_valid():
            raise ValidationFailed(
                fields={k: [str(m) for m in v] for k, v in filterset.errors.items()}
            )
        return filterset.qs


class AuditFilter(FilterSet):
    object_type = django_filters.CharFilter()
    object_id = django_filters.CharFilter()
    actor = IdFilter(field_name="actor_id")
    action = django_filters.ChoiceFilter(choices=AuditAction.choices)
    q = django_filters.CharFilter(method="filter_q", label="Sök")
    since = DateTimeFilter(field_name="occurred_at", lookup_expr="gte")
    until = DateTimeFilter(field_name="occurred_at", lookup_expr="lt")

    class Meta:
        model = AuditEntry
        fields: list[str] = []

    def filter_q(self, queryset: Any, name: str, value: str) -> Any:
        return queryset.filter(Q(object_repr__icontains=value) | Q(actor_repr__icontains=value))
