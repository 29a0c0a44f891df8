"""Filters shared by the API's filter sets."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django import forms
from django_filters.fields import IsoDateTimeField
from drf_spectacular.utils import extend_schema_field

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
