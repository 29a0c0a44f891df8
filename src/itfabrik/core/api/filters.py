"""Filters shared by the API's filter sets."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
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
