from __future__ import annotations

from typing import Any

from rest_framework import serializers

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


class AuditEntrySerializer(serializers.ModelSerializer[AuditEntry]):
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
            "request_id",
        ]
        read_only_fields = fields
