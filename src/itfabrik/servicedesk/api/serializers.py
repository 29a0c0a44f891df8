from __future__ import annotations

from typing import Any

from rest_framework import serializers

from itfabrik.core.api.serializers import FieldsBuiltOnce
from itfabrik.servicedesk.choices import (
    Channel,
    EntryKind,
    TicketStatus,
    TicketType,
)
from itfabrik.servicedesk.models import SlaPolicy, Ticket, TicketEntry, VipPerson

MAX_ID = 2**63 - 1


def _id(**kwargs: Any) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


# Plain strings in the schema (billing does the same): "status" and "kind" are enum names other
# apps use already, and impact and urgency share one choice set. The services check the values
# and name the field in Swedish and English.
LEVELS = "high, medium or low"


def _text(help_text: str, **kwargs: Any) -> serializers.CharField:
    return serializers.CharField(max_length=30, help_text=help_text, **kwargs)


class TicketSerializer(FieldsBuiltOnce, serializers.ModelSerializer[Ticket]):
    impact = _text(LEVELS, read_only=True)
    urgency = _text(LEVELS, read_only=True)
    status = _text(", ".join(TicketStatus.values), read_only=True)
    requester_name = serializers.CharField(source="requester.__str__", read_only=True)
    municipality_name = serializers.CharField(
        source="municipality.name", read_only=True, allow_null=True, default=None
    )
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    group_name = serializers.CharField(
        source="group.name", read_only=True, allow_null=True, default=None
    )
    is_known_error = serializers.BooleanField(
        read_only=True, help_text="A problem marked a known error (docs/adr/0039)."
    )

    class Meta:
        model = Ticket
        fields = [
            "id",
            "reference",
            "type",
            "title",
            "description",
            "requester",
            "requester_name",
            "municipality",
            "municipality_name",
            "unit",
            "unit_name",
            "service",
            "channel",
            "impact",
            "urgency",
            "priority",
            "is_vip",
            "is_training",
            "device_reference",
            "group",
            "group_name",
            "assignee",
            "status",
            "problem",
            "root_cause",
            "workaround",
            "is_known_error",
            "known_error_at",
            "knowledge_article",
            "reported_at",
            "response_due",
            "resolution_due",
            "first_response_at",
            "resolved_at",
            "closed_at",
            "nis2_aware_at",
            "nis2_early_warning_at",
            "nis2_notification_at",
            "nis2_final_report_at",
            "nis2_next_due",
            "version",
        ]
        read_only_fields = fields


class Nis2MarkSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(min_value=1)
    aware_at = serializers.DateTimeField(
        allow_null=True,
        help_text="When the organisation became aware (ISO 8601); null removes the mark.",
    )


class Nis2ReportSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(min_value=1)
    step = _text("early_warning, notification or final_report")
    at = serializers.DateTimeField(
        allow_null=True, help_text="When the report was submitted; null: not submitted."
    )


class VipSerializer(serializers.ModelSerializer[VipPerson]):
    username = serializers.CharField(source="user.username", read_only=True)

    class Meta:
        model = VipPerson
        fields = ["id", "cooperation", "user", "username", "reason", "is_active", "created_at"]
        read_only_fields = fields


class VipCreateSerializer(serializers.Serializer[Any]):
    cooperation = _id(
        required=False, help_text="The cooperation (default: the first one the actor manages)."
    )
    user = serializers.CharField(max_length=150, help_text="User id or username.")
    reason = serializers.CharField(max_length=200)


class PolicySerializer(serializers.ModelSerializer[SlaPolicy]):
    # A plain string: the catalogue's schema already names the tier choice set.
    service_tier = serializers.CharField(read_only=True, help_text="Empty: every tier.")

    class Meta:
        model = SlaPolicy
        fields = [
            "id",
            "cooperation",
            "name",
            "priority",
            "service_tier",
            "response_minutes",
            "resolution_minutes",
            "calendar",
            "is_active",
            "version",
        ]
        read_only_fields = fields


class PolicyUpdateSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(min_value=1)
    name = serializers.CharField(max_length=100, required=False)
    response_minutes = serializers.IntegerField(min_value=1, max_value=525600, required=False)
    resolution_minutes = serializers.IntegerField(min_value=1, max_value=525600, required=False)
    calendar = _id(required=False)
    is_active = serializers.BooleanField(required=False)


class TicketCreateSerializer(serializers.Serializer[Any]):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=10000, required=False, allow_blank=True)
    requester = serializers.CharField(
        max_length=150, help_text="The requester's user id or username."
    )
    impact = _text(LEVELS)
    urgency = _text(LEVELS)
    service = _id(required=False, allow_null=True, help_text="A catalogue service id.")
    unit = _id(
        required=False, allow_null=True, help_text="The affected unit (default: the requester's)."
    )
    type = serializers.ChoiceField(choices=TicketType.choices, required=False)
    channel = serializers.ChoiceField(choices=Channel.choices, required=False)
    reported_at = serializers.DateTimeField(
        required=False, help_text="When the caller reported it (ISO 8601); not in the future."
    )
    device_reference = serializers.CharField(
        max_length=100,
        required=False,
        allow_blank=True,
        help_text="The device concerned: its asset tag or serial number.",
    )


class TicketUpdateSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(min_value=1, help_text="The version you read.")
    title = serializers.CharField(max_length=200, required=False)
    description = serializers.CharField(max_length=10000, required=False, allow_blank=True)
    type = serializers.ChoiceField(choices=TicketType.choices, required=False)
    channel = serializers.ChoiceField(choices=Channel.choices, required=False)
    impact = _text(LEVELS, required=False)
    urgency = _text(LEVELS, required=False)
    service = _id(required=False, allow_null=True)
    device_reference = serializers.CharField(
        max_length=100,
        required=False,
        allow_blank=True,
        help_text="The device concerned: its asset tag or serial number.",
    )


class ProblemRecordSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(min_value=1)
    root_cause = serializers.CharField(max_length=10000, allow_blank=True, trim_whitespace=False)
    workaround = serializers.CharField(max_length=10000, allow_blank=True, trim_whitespace=False)
    is_known_error = serializers.BooleanField()


class KnownErrorPublishSerializer(serializers.Serializer[Any]):
    title = serializers.CharField(
        max_length=200, required=False, allow_blank=True, help_text="Default: the problem's title."
    )
    summary = serializers.CharField(max_length=500, required=False, allow_blank=True)
    audience = serializers.ChoiceField(
        choices=["everyone", "staff"], required=False, default="everyone"
    )
    area = _id(
        required=False,
        allow_null=True,
        help_text="The article's service area; default: the area of the problem's service.",
    )


class TicketTransitionSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(min_value=1)
    status = _text(", ".join(TicketStatus.values))


class TicketAssignSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(min_value=1)
    group = _id(allow_null=True)
    assignee = _id(required=False, allow_null=True)


class TicketLinkSerializer(serializers.Serializer[Any]):
    other = _id(help_text="The id of the related ticket.")


class EntrySerializer(serializers.ModelSerializer[TicketEntry]):
    kind = _text("public or internal", read_only=True)
    author_name = serializers.CharField(
        source="author.__str__", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = TicketEntry
        fields = ["id", "kind", "author", "author_name", "body", "created_at"]
        read_only_fields = fields


class EntryCreateSerializer(serializers.Serializer[Any]):
    kind = _text("public (a reply) or internal (a note, staff only)", default=EntryKind.PUBLIC)
    body = serializers.CharField(max_length=20000)
