"""Input validation for the API with error messages in every language.

DRF and django-filter render their messages in the active language when they validate; to give
the client Swedish and English whatever it asked for, a failed validation is run once more per
language and the messages are kept side by side.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.conf import settings
from django.utils import translation
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import serializers
from rest_framework.fields import SkipField

from itfabrik.core.errors import ApplicationError, Translated, ValidationFailed


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


def _parsed_fields(serializer: serializers.Serializer[Any], data: Any) -> dict[str, Any]:
    """The values of the fields that did parse, from a serializer that failed as a whole."""
    out: dict[str, Any] = {}
    if not isinstance(data, Mapping):  # a JSON list or scalar: no field parsed
        return out
    for name, field in serializer.fields.items():
        if field.read_only or name in serializer.errors:
            continue
        try:
            out[field.source or name] = field.run_validation(field.get_value(data))
        except (serializers.ValidationError, SkipField):
            continue
    return out


def parse_input(
    serializer_class: type[serializers.Serializer[Any]],
    data: Any,
    *,
    check: Callable[..., None] | None = None,
    **kwargs: Any,
) -> dict[str, Any]:
    """The validated data, or ValidationFailed naming every bad field in every language.

    `check` is the service's `…_check` function: when the input itself has errors, the service's
    rules are run on the fields that did parse too, so the client gets every message at once.
    """
    serializer = serializer_class(data=data, **kwargs)
    if serializer.is_valid():
        return dict(serializer.validated_data)

    def run() -> Any:
        again = serializer_class(data=data, **kwargs)
        again.is_valid()
        return again.errors

    failed = _per_language(run)
    if check is not None:
        try:
            check(**_parsed_fields(serializer, data))
        except ApplicationError as exc:
            for name, messages in exc.fields.items():
                if name not in failed.fields and name in serializer.fields:
                    failed.fields[name] = list(messages)
    raise failed


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
