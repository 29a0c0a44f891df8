"""The economy's list filters: one FilterSet per list, for the selector, the pages and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms

from itfabrik.core.filters import FilterSet, IdFilter

from .models import FIRST_YEAR, LAST_YEAR, BaselineFigures, Scenario, TimelineEntry


class YearFilter(django_filters.NumberFilter):
    """A calendar year the economy keeps figures for; anything else is a 400."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", FIRST_YEAR)
        kwargs.setdefault("max_value", LAST_YEAR)
        super().__init__(*args, **kwargs)


class BaselineFilter(FilterSet):
    year = YearFilter(field_name="year")
    municipality = IdFilter(field_name="municipality_id")

    class Meta:
        model = BaselineFigures
        fields: list[str] = []


class ScenarioFilter(FilterSet):
    is_active = django_filters.BooleanFilter(field_name="is_active")
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains")

    class Meta:
        model = Scenario
        fields: list[str] = []


class TimelineFilter(FilterSet):
    municipality = IdFilter(field_name="municipality_id")
    year_from = YearFilter(field_name="year", lookup_expr="gte")
    year_to = YearFilter(field_name="year", lookup_expr="lte")

    class Meta:
        model = TimelineEntry
        fields: list[str] = []
