"""Serializers of the service desk's configuration API (groups, calendars, the priority matrix,
SLA policies) and of ticket attachments."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from itfabrik.catalog.choices import ServiceTier
from itfabrik.servicedesk.calendars import EVES
from itfabrik.servicedesk.choices import EscalationTrigger, Priority
from itfabrik.servicedesk.models import (
    AssignmentGroup,
    BusinessCalendar,
    CalendarDay,
    EscalationRule,
    TicketAttachment,
)

from .serializers import _id, _text

# Plain strings (the schema already has a KindEnum, the tenancy's node kinds); the services
# check the value and name the field in Swedish and English.
GROUP_KINDS = "first_line, network, identity, business_systems, …"

COOPERATION_HELP = "The cooperation (default: the first one the actor manages)."
PERSON_HELP = "User id or username."


def _cooperation_field() -> serializers.IntegerField:
    return _id(required=False, help_text=COOPERATION_HELP)


def _period() -> serializers.ListField:
    """One opening period: ["08:00", "16:30"]; a close of "00:00" is midnight."""
    return serializers.ListField(
        child=serializers.RegexField(r"^([01][0-9]|2[0-3]):[0-5][0-9]$", max_length=5),
        min_length=2,
        max_length=2,
    )


def _hours(**kwargs: Any) -> serializers.ListField:
    return serializers.ListField(child=_period(), max_length=12, **kwargs)


def _week(**kwargs: Any) -> serializers.ListField:
    return serializers.ListField(
        child=_hours(),
        min_length=7,
        max_length=7,
        help_text=(
            'Seven days, Monday first, each a list of ["HH:MM", "HH:MM"] opening periods; '
            "an empty list is a closed day."
        ),
        **kwargs,
    )


def _eves(**kwargs: Any) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.ChoiceField(choices=[(e, e) for e in EVES]),
        max_length=len(EVES),
        help_text="The eves closed as well.",
        **kwargs,
    )


# --- groups -------------------------------------------------------------------------------------


class GroupSerializer(serializers.ModelSerializer[AssignmentGroup]):
    kind = _text(GROUP_KINDS, read_only=True)
    lead_name = serializers.CharField(
        source="lead.__str__", read_only=True, allow_null=True, default=None
    )
    member_count = serializers.IntegerField(read_only=True)
    # A plain string: empty when the group has no address.
    email = serializers.CharField(read_only=True, help_text="Empty: none.")

    class Meta:
        model = AssignmentGroup
        fields = [
            "id",
            "cooperation",
            "name",
            "kind",
            "team",
            "lead",
            "lead_name",
            "email",
            "is_active",
            "member_count",
            "version",
        ]
        read_only_fields = fields


class GroupCreateSerializer(serializers.Serializer[Any]):
    cooperation = _cooperation_field()
    name = serializers.CharField(max_length=100)
    kind = _text(GROUP_KINDS)
    lead = serializers.CharField(
        max_length=150, required=False, allow_null=True, help_text=PERSON_HELP
    )
    email = serializers.EmailField(max_length=254, required=False, allow_blank=True)


class GroupUpdateSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(min_value=1, help_text="The version you read.")
    name = serializers.CharField(max_length=100, required=False)
    kind = _text(GROUP_KINDS, required=False)
    lead = serializers.CharField(
        max_length=150, required=False, allow_null=True, help_text=PERSON_HELP + " Null: none."
    )
    email = serializers.EmailField(max_length=254, required=False, allow_blank=True)
    is_active = serializers.BooleanField(
        required=False, help_text="false retires the group (groups are never deleted)."
    )


class MemberSerializer(serializers.Serializer[Any]):
    user = serializers.IntegerField(source="pk", read_only=True)
    username = serializers.CharField(read_only=True)
    name = serializers.CharField(source="get_full_name", read_only=True)


class MemberAddSerializer(serializers.Serializer[Any]):
    user = serializers.CharField(max_length=150, help_text=PERSON_HELP)


# --- calendars ----------------------------------------------------------------------------------


class CalendarSerializer(serializers.ModelSerializer[BusinessCalendar]):
    week = _week(read_only=True)
    eves = _eves(read_only=True)

    class Meta:
        model = BusinessCalendar
        fields = [
            "id",
            "cooperation",
            "name",
            "timezone",
            "week",
            "swedish_holidays",
            "eves",
            "is_active",
            "version",
        ]
        read_only_fields = fields


class CalendarCreateSerializer(serializers.Serializer[Any]):
    cooperation = _cooperation_field()
    name = serializers.CharField(max_length=100)
    week = _week()
    swedish_holidays = serializers.BooleanField(
        default=True, help_text="Closed on Swedish public holidays."
    )
    eves = _eves(default=list)


class CalendarUpdateSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(min_value=1, help_text="The version you read.")
    name = serializers.CharField(max_length=100, required=False)
    week = _week(required=False)
    swedish_holidays = serializers.BooleanField(required=False)
    eves = _eves(required=False)
    is_active = serializers.BooleanField(
        required=False, help_text="false retires the calendar (refused while a policy uses it)."
    )


class CalendarDaySerializer(serializers.ModelSerializer[CalendarDay]):
    hours = _hours(read_only=True, help_text="Empty: closed all day; else the shortened hours.")

    class Meta:
        model = CalendarDay
        fields = ["id", "date", "hours", "note", "created_at"]
        read_only_fields = fields


class CalendarDaySetSerializer(serializers.Serializer[Any]):
    date = serializers.DateField()
    hours = _hours(
        default=list, help_text="Empty: closed all day; else the shortened opening periods."
    )
    note = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)


# --- the priority matrix ------------------------------------------------------------------------


class MatrixCellSerializer(serializers.Serializer[Any]):
    cell = serializers.CharField(read_only=True, help_text="impact-urgency, e.g. high-low.")
    cooperation = serializers.IntegerField(read_only=True)
    impact = _text("high, medium or low", read_only=True)
    urgency = _text("high, medium or low", read_only=True)
    priority = _text("P1 … P5", read_only=True)
    is_default = serializers.BooleanField(
        read_only=True, help_text="The default matrix's value: the cell was never set."
    )
    version = serializers.IntegerField(read_only=True, help_text="0 while the cell is default.")


class MatrixQuerySerializer(serializers.Serializer[Any]):
    cooperation = _cooperation_field()


class MatrixCellUpdateSerializer(serializers.Serializer[Any]):
    cooperation = _cooperation_field()
    version = serializers.IntegerField(
        min_value=0, max_value=2**31 - 1, help_text="The cell's version you read (0: default)."
    )
    priority = serializers.ChoiceField(choices=Priority.choices)


# --- SLA policies -------------------------------------------------------------------------------


class PolicyCreateSerializer(serializers.Serializer[Any]):
    cooperation = _cooperation_field()
    name = serializers.CharField(max_length=100)
    priority = serializers.ChoiceField(choices=Priority.choices)
    # A plain string: the catalogue's schema already names the tier choice set (TierEnum).
    service_tier = _text(
        ", ".join(ServiceTier.values) + "; empty: every tier without a policy of its own",
        required=False,
        allow_blank=True,
        default="",
    )
    response_minutes = serializers.IntegerField(min_value=1, max_value=525600)
    resolution_minutes = serializers.IntegerField(min_value=1, max_value=525600)
    calendar = _id(help_text="An active calendar of the same cooperation.")


# --- attachments --------------------------------------------------------------------------------


class AttachmentSerializer(serializers.ModelSerializer[TicketAttachment]):
    uploaded_by_name = serializers.CharField(
        source="uploaded_by.__str__", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = TicketAttachment
        fields = [
            "id",
            "ticket",
            "entry",
            "name",
            "content_type",
            "size",
            "internal",
            "uploaded_by",
            "uploaded_by_name",
            "created_at",
        ]
        read_only_fields = fields


class AttachmentUploadSerializer(serializers.Serializer[Any]):
    file = serializers.FileField(
        allow_empty_file=True,
        help_text=(
            "The file; its content (not its name) must be an image, PDF, Office or "
            "OpenDocument document or plain text, within the size limit."
        ),
    )
    internal = serializers.BooleanField(
        default=False, help_text="Staff only: a file only staff see."
    )


# --- escalation and routing rules ---------------------------------------------------------------


def _priorities(**kwargs: Any) -> serializers.ListField:
    # Plain strings (PriorityEnum has one name already); the service checks each one.
    return serializers.ListField(
        child=serializers.CharField(max_length=2),
        max_length=len(Priority.values),
        help_text="P1 … P5; empty: every priority.",
        **kwargs,
    )


def _group_ids(**kwargs: Any) -> serializers.ListField:
    return serializers.ListField(
        child=_id(), max_length=100, help_text="Group ids; empty: every group.", **kwargs
    )


class EscalationRuleSerializer(serializers.ModelSerializer[EscalationRule]):
    trigger = serializers.ChoiceField(choices=EscalationTrigger.choices, read_only=True)
    priorities = _priorities(read_only=True)
    group_ids = _group_ids(read_only=True)

    class Meta:
        model = EscalationRule
        fields = [
            "id",
            "cooperation",
            "name",
            "trigger",
            "priorities",
            "group_ids",
            "notify",
            "raise_priority",
            "reassign_to",
            "is_active",
            "version",
        ]
        read_only_fields = fields


class EscalationRuleCreateSerializer(serializers.Serializer[Any]):
    cooperation = _cooperation_field()
    name = serializers.CharField(max_length=100)
    trigger = serializers.ChoiceField(choices=EscalationTrigger.choices)
    priorities = _priorities(default=list)
    group_ids = _group_ids(default=list)
    notify = serializers.BooleanField(default=True)
    raise_priority = serializers.BooleanField(default=False)
    reassign_to = _id(required=False, allow_null=True, default=None, help_text="A group id.")


class EscalationRuleUpdateSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(min_value=1, help_text="The version you read.")
    name = serializers.CharField(max_length=100, required=False)
    trigger = serializers.ChoiceField(choices=EscalationTrigger.choices, required=False)
    priorities = _priorities(required=False)
    group_ids = _group_ids(required=False)
    notify = serializers.BooleanField(required=False)
    raise_priority = serializers.BooleanField(required=False)
    reassign_to = _id(required=False, allow_null=True, help_text="A group id; null: none.")
    is_active = serializers.BooleanField(
        required=False, help_text="false ends the rule (rules are never deleted)."
    )


class RoutingSerializer(serializers.Serializer[Any]):
    cooperation = serializers.IntegerField(read_only=True)
    learning_url = serializers.CharField(read_only=True)
    training_keywords = serializers.ListField(child=serializers.CharField(), read_only=True)
    training_service_ids = serializers.ListField(child=serializers.IntegerField(), read_only=True)
    training_reply = serializers.CharField(read_only=True)
    replace_incidents = serializers.IntegerField(read_only=True, allow_null=True)
    replace_days = serializers.IntegerField(read_only=True)
    version = serializers.IntegerField(read_only=True, help_text="0 while nothing is saved.")


class RoutingQuerySerializer(serializers.Serializer[Any]):
    cooperation = _cooperation_field()


class RoutingSaveSerializer(serializers.Serializer[Any]):
    cooperation = _cooperation_field()
    version = serializers.IntegerField(
        min_value=0, max_value=2**31 - 1, help_text="The version you read (0: nothing saved)."
    )
    learning_url = serializers.URLField(
        max_length=200, required=False, default="", allow_blank=True
    )
    training_keywords = serializers.ListField(
        child=serializers.CharField(max_length=100), max_length=100, default=list
    )
    training_service_ids = serializers.ListField(child=_id(), max_length=100, default=list)
    training_reply = serializers.CharField(
        max_length=2000, required=False, default="", allow_blank=True
    )
    replace_incidents = serializers.IntegerField(
        min_value=2, max_value=1000, required=False, allow_null=True, default=None
    )
    replace_days = serializers.IntegerField(min_value=1, max_value=3650, default=90)
