"""The knowledge base's list filters: one per list, for the selector, the web lists and the API
(core.filters). The search itself (`q`) is the selector's, not a filter: it also ranks."""

from __future__ import annotations

import django_filters

from itfabrik.core.filters import FilterSet, IdFilter

from .choices import ArticleKind, ArticleStatus, Audience
from .models import Article


class ArticleFilter(FilterSet):
    area = IdFilter(field_name="area_id")
    audience = django_filters.ChoiceFilter(choices=Audience.choices)
    municipality = IdFilter(field_name="municipality_id")
    status = django_filters.ChoiceFilter(choices=ArticleStatus.choices)
    kind = django_filters.ChoiceFilter(choices=ArticleKind.choices)

    class Meta:
        model = Article
        fields: list[str] = []
