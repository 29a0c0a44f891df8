from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from itfabrik.portfolio.models import Benefit, Initiative, Milestone


@extend_schema_field(
    {"type": "string", "pattern": r"^\d{4}-(0[1-9]|1[0-2])$", "example": "2026-01"}
)
class MonthField(serializers.DateField):
    """A month as "YYYY-MM" (a benefit belongs to a month), documented as such."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m", **kwargs)


class BenefitSerializer(serializers.ModelSerializer[Benefit]):
    municipality_name = serializers.CharField(source="municipality.name", read_only=True)
    owner_name = serializers.SerializerMethodField()
    period = MonthField(read_only=True)
    # Plain text, not an enum: several apps have a "kind" (one enum per choice set in the schema).
    kind = serializers.CharField(read_only=True, help_text="money, hours or quality.")

    class Meta:
        model = Benefit
        fields = [
            "id",
            "initiative",
            "municipality",
            "municipality_name",
            "period",
            "kind",
            "measure",
            "unit",
            "planned",
            "realised",
            "owner",
            "owner_name",
            "comment",
            "version",
        ]
        read_only_fields = fields

    def get_owner_name(self, benefit: Benefit) -> str:
        return benefit.owner.get_full_name() or benefit.owner.get_username()


class MilestoneSerializer(serializers.ModelSerializer[Milestone]):
    class Meta:
        model = Milestone
        fields = ["id", "title", "due", "done"]
        read_only_fields = fields


class InitiativeSerializer(serializers.ModelSerializer[Initiative]):
    owner_name = serializers.SerializerMethodField()
    sponsors = serializers.SerializerMethodField()
    benefits = serializers.SerializerMethodField()
    milestones = MilestoneSerializer(many=True, read_only=True)
    decision_reference = serializers.CharField(
        read_only=True,
        help_text="The number of the decision (e.g. ITR-2026-014) that approved the initiative.",
    )

    class Meta:
        model = Initiative
        fields = [
            "id",
            "code",
            "title",
            "description",
            "business_case",
            "state",
            "owner",
            "owner_name",
            "all_municipalities",
            "sponsors",
            "start",
            "end",
            "decision_reference",
            "value",
            "urgency",
            "effort",
            "risk",
            "priority_score",
            "budget",
            "milestones",
            "benefits",
            "version",
        ]
        read_only_fields = fields

    def get_owner_name(self, initiative: Initiative) -> str:
        return initiative.owner.get_full_name() or initiative.owner.get_username()

    def get_sponsors(self, initiative: Initiative) -> list[str]:
        return [n.name for n in initiative.sponsors.all()]

    def get_benefits(self, initiative: Initiative) -> list[dict[str, Any]]:
        rows = getattr(initiative, "visible_benefits", [])
        return BenefitSerializer(rows, many=True).data  # type: ignore[return-value]


class BenefitReportSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(min_value=1)
    realised = serializers.DecimalField(
        max_digits=14, decimal_places=2, allow_null=True, required=True
    )
    comment = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
