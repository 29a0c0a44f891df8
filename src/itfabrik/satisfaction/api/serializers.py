from __future__ import annotations

from typing import Any

from rest_framework import serializers

from ..choices import Dimension
from ..models import Rating
from ..services import MAX_COMMENT

MAX_ID = 2**63 - 1


class RatingSerializer(serializers.ModelSerializer[Rating]):
    ticket_reference = serializers.CharField(source="ticket.reference", read_only=True)
    municipality = serializers.IntegerField(
        source="ticket.municipality_id", read_only=True, allow_null=True
    )
    group = serializers.IntegerField(source="ticket.group_id", read_only=True, allow_null=True)
    service = serializers.IntegerField(source="ticket.service_id", read_only=True, allow_null=True)
    channel = serializers.CharField(read_only=True, help_text="portal, link or api")

    class Meta:
        model = Rating
        fields = [
            "id",
            "ticket",
            "ticket_reference",
            "score",
            "comment",
            "channel",
            "rated_at",
            "rated_by",
            "municipality",
            "group",
            "service",
            "version",
        ]
        read_only_fields = fields


class RatingCreateSerializer(serializers.Serializer[Any]):
    ticket = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    # The service checks the range and names the field in Swedish and English.
    score = serializers.IntegerField(help_text="1 (very dissatisfied) to 5 (very satisfied)")
    comment = serializers.CharField(
        required=False, allow_blank=True, max_length=MAX_COMMENT, default=""
    )


class ReportQuerySerializer(serializers.Serializer[Any]):
    dimension = serializers.ChoiceField(choices=Dimension.choices)
    start = serializers.DateField(required=False, help_text="First day (default: 11 months back)")
    end = serializers.DateField(required=False, help_text="Last day, inclusive (default: today)")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start, end = attrs.get("start"), attrs.get("end")
        if start and end and start > end:
            from django.utils.translation import gettext_lazy as _

            raise serializers.ValidationError(
                {"end": [_("Slutdatumet får inte vara före startdatumet.")]}
            )
        return attrs


class ReportRowSerializer(serializers.Serializer[Any]):
    key = serializers.CharField(allow_null=True, help_text="id, or YYYY-MM for months")
    name = serializers.CharField()
    resolved = serializers.IntegerField()
    rated = serializers.IntegerField()
    response_rate = serializers.DecimalField(
        max_digits=4, decimal_places=1, allow_null=True, help_text="per cent"
    )
    average = serializers.DecimalField(max_digits=3, decimal_places=2, allow_null=True)
    low = serializers.IntegerField()


class ReportSerializer(serializers.Serializer[Any]):
    dimension = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    rows = ReportRowSerializer(many=True)
    total = ReportRowSerializer()
