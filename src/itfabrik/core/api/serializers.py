from __future__ import annotations

from rest_framework import serializers

from itfabrik.core.models import AuditEntry


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    messages = serializers.DictField(child=serializers.CharField())
    fields = serializers.DictField(child=serializers.ListField(child=serializers.DictField()))


class ErrorSerializer(serializers.Serializer):
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
