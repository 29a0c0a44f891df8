from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


class DeskReportColumnSerializer(serializers.Serializer[Any]):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    # A plain string, not a choice: another app's "kind" enum would collide in the schema.
    kind = serializers.CharField(
        help_text="text, count, percent eller score / text, count, percent or score"
    )


@extend_schema_field(
    {
        "type": "object",
        "description": "En rad: kolumnnyckel → värde (andelar i procent med en decimal, "
        "medelbetyg med två, null när det inte finns något att dela med) / one row: column "
        "key → value",
        "additionalProperties": {
            "oneOf": [{"type": "string"}, {"type": "integer"}],
            "nullable": True,
        },
    }
)
class RowField(serializers.DictField):
    def to_representation(self, value: Any) -> Any:
        return {
            k: (str(v) if v is not None and not isinstance(v, int | str) else v)
            for k, v in value.items()
        }


class DeskReportTableSerializer(serializers.Serializer[Any]):
    key = serializers.CharField()
    title = serializers.CharField()
    columns = DeskReportColumnSerializer(many=True)
    rows = serializers.ListField(child=RowField())


class DeskReportSerializer(serializers.Serializer[Any]):
    report = serializers.CharField()
    title = serializers.CharField()
    definition = serializers.CharField()
    # "from" is a Python keyword: the field is declared under another name below.
    to = serializers.CharField()
    filters = serializers.DictField(child=serializers.CharField())
    tables = DeskReportTableSerializer(many=True)

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        fields["from"] = serializers.CharField()
        return fields
