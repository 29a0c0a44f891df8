from __future__ import annotations

import copy
from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema_field
from rest_framework import serializers

from itfabrik.core import audit_display
from itfabrik.core.models import AuditEntry


class ErrorDetailSerializer(serializers.Serializer[Any]):
    """Documents the error body. Built in get_fields: a field named "fields" would shadow
    Serializer.fields if declared as a class attribute."""

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        return {
            "code": serializers.CharField(),
            "message": serializers.CharField(),
            "messages": serializers.DictField(child=serializers.CharField()),
            "fields": serializers.DictField(
                child=serializers.ListField(child=serializers.DictField())
            ),
        }


class ErrorSerializer(serializers.Serializer[Any]):
    error = ErrorDetailSerializer()


# For an operation whose 404 comes from a query parameter or a body field (an unknown or hidden
# municipality, say): core.api.schema documents 404 only where the path has an id.
NOT_FOUND = OpenApiResponse(
    ErrorSerializer, description="Finns inte eller får inte ses / not found"
)


class ChangeSerializer(serializers.Serializer[Any]):
    """One readable change. Built in get_fields: "label" would shadow Field.label."""

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        return {
            "field": serializers.CharField(help_text="The field's name."),
            "label": serializers.CharField(
                help_text="The field's label, in the language of the request."
            ),
            "before": serializers.CharField(help_text="The value before, readable (– if empty)."),
            "after": serializers.CharField(help_text="The value after, readable (– if empty)."),
        }


class AuditEntrySerializer(serializers.ModelSerializer[AuditEntry]):
    changes = serializers.SerializerMethodField(
        help_text="The change as people read it: labels, names and choice labels instead of "
        "columns and ids; internal columns left out. `before`/`after` keep the raw values."
    )

    @extend_schema_field(ChangeSerializer(many=True))
    def get_changes(self, obj: AuditEntry) -> list[dict[str, str]]:
        rows = getattr(obj, "changes", None)
        if rows is None:
            rows = audit_display.describe([obj]).get(obj.pk, [])
        return [
            {"field": r.field, "label": r.label, "before": r.before, "after": r.after} for r in rows
        ]

    class Meta:
        model = AuditEntry
        fields = [
            "id",
            "occurred_at",
            "actor",
            "actor_repr",
            "action",
            "object_type",
            "object_id",
            "object_repr",
            "before",
            "after",
            "changed_fields",
            "changes",
            "request_id",
        ]
        read_only_fields = fields


# For a ModelSerializer: its fields are built from the model's metadata once per class, and each
# instance gets a deep copy, as DRF does for declared fields anyway. DRF builds every field again
# for each instance; for a ticket's 43 fields that was 3 ms of a request creating one (ADR 0049).
# Only for serializers whose fields depend on nothing but the class (no `get_fields` of their own
# that reads the request or the instance). A comment, not a docstring: the API schema would take
# a docstring as the description of every serializer that mixes this in.
class FieldsBuiltOnce:
    def get_fields(self) -> dict[str, Any]:
        cls = type(self)
        built = cls.__dict__.get("_fields_built_once")
        if built is None:
            built = super().get_fields()  # type: ignore[misc]
            cls._fields_built_once = built  # type: ignore[attr-defined]
        return {name: _copy_field(field) for name, field in built.items()}


def _copy_field(field: Any) -> Any:
    """A field of its own for one serializer instance: a plain field is copied shallowly (DRF's
    deep copy builds the field again from its arguments, most of the ticket serializer's time);
    one that holds other fields (a list's child, a nested serializer) is copied deeply, since
    binding it binds those too."""
    nests = isinstance(field, serializers.BaseSerializer) or any(
        hasattr(field, name) for name in ("child", "child_relation")
    )
    return copy.deepcopy(field) if nests else copy.copy(field)
