from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


class ColumnSerializer(serializers.Serializer[Any]):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    kind = serializers.ChoiceField(choices=["text", "count", "percent"])


@extend_schema_field(
    {
        "type": "object",
        "description": "En rad: kolumnnyckel → värde (andelar i procent med en decimal, "
        "null när det inte finns något att dela med) / one row: column key → value",
        "additionalProperties": {"oneOf": [{"type": "string"}, {"type": "number"}]},
    }
)
class RowField(serializers.DictField):
    def to_representation(self, value: Any) -> Any:
        return {
            k: (str(v) if v is not None and not isinstance(v, int | str) else v)
            for k, v in value.items()
        }


class TableSerializer(serializers.Serializer[Any]):
    key = serializers.CharField()
    title = serializers.CharField()
    columns = ColumnSerializer(many=True)
    rows = serializers.ListField(child=RowField())


class ReportSerializer(serializers.Serializer[Any]):
    report = serializers.CharField()
    title = serializers.CharField()
    definition = serializers.CharField()
    # "from" is a Python keyword: the field is declared under another name below.
    to = serializers.CharField()
    filters = serializers.DictField(child=serializers.CharField())
    tables = TableSerializer(many=True)

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        fields["from"] = serializers.CharField()
        return fields
