"""Input validation for the API with error messages in every language.

DRF and django-filter render their messages in the active language when they validate; to give
the client Swedish and English whatever it asked for, a failed validation is run once more per
language and the messages are kept side by side.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import translation
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import serializers

from itfabrik.core.errors import Translated, ValidationFailed


def _flatten(errors: Any, prefix: str = "") -> dict[str, list[str]]:
    from .errors import _flatten as flatten

    return flatten(errors, prefix)


def _per_language(run: Any) -> ValidationFailed:
    by_lang: dict[str, dict[str, list[str]]] = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            by_lang[code] = _flatten(run())
    first = by_lang[settings.LANGUAGE_CODE]
    fields: dict[str, list[Any]] = {}
    for name, messages in first.items():
        fields[name] = [
            Translated({code: by_lang[code].get(name, messages)[i] for code in by_lang})
            for i in range(len(messages))
        ]
    return ValidationFailed(fields=fields)


def parse_input(
    serializer_class: type[serializers.Serializer[Any]], data: Any, **kwargs: Any
) -> dict[str, Any]:
    """The validated data, or ValidationFailed naming every bad field in every language."""
    serializer = serializer_class(data=data, **kwargs)
    if serializer.is_valid():
        return dict(serializer.validated_data)

    def run() -> Any:
        again = serializer_class(data=data, **kwargs)
        again.is_valid()
        return again.errors

    raise _per_language(run)


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend, with its "bad filter value" errors in every language."""

    def filter_queryset(self, request: Any, queryset: Any, view: Any) -> Any:
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid() and self.raise_exception:

            def run() -> Any:
                again = self.get_filterset(request, queryset, view)
                again.is_valid()
                return {k: list(v) for k, v in again.errors.items()}

            raise _per_language(run)
        return filterset.qs
