from __future__ import annotations

from decimal import Decimal
from typing import Any

from rest_framework import serializers

from itfabrik.risks.choices import Category, Treatment
from itfabrik.risks.models import Risk

MAX_ID = 2**63 - 1


def _scale(**kwargs: Any) -> serializers.IntegerField:
    return serializers.IntegerField(
        min_value=1,
        max_value=5,
        error_messages={
            "min_value": "Ange ett heltal från 1 till 5.",
            "max_value": "Ange ett heltal från 1 till 5.",
        },
        **kwargs,
    )


class RiskSerializer(serializers.ModelSerializer[Risk]):
    scope = serializers.CharField(source="scope.name", read_only=True)
    scope_id = serializers.IntegerField(read_only=True)
    owner_name = serializers.SerializerMethodField()
    band = serializers.CharField(read_only=True)
    workshop_average = serializers.SerializerMethodField()
    workshop_spread = serializers.SerializerMethodField()
    systems: serializers.PrimaryKeyRelatedField[Any] = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True
    )
    services: serializers.PrimaryKeyRelatedField[Any] = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True
    )
    initiatives: serializers.PrimaryKeyRelatedField[Any] = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True
    )

    class Meta:
        model = Risk
        fields = [
            "id", "title", "description", "category", "scope", "scope_id", "owner", "owner_name",
            "probability", "consequence", "score", "band", "residual_probability",
            "residual_consequence", "residual_score", "treatment", "decision", "treatment_note",
            "review_months", "next_review", "systems", "services", "initiatives",
            "workshop_average", "workshop_spread", "is_open", "version",
        ]  # fmt: skip
        read_only_fields = fields

    def get_owner_name(self, risk: Risk) -> str | None:
        return (risk.owner.get_full_name() or risk.owner.username) if risk.owner else None

    def _workshop(self, risk: Risk) -> tuple[Decimal | None, int | None]:
        return self.context.get("averages", {}).get(risk.pk, (None, None))

    def get_workshop_average(self, risk: Risk) -> Decimal | None:
        """The average score (probability × consequence) the municipalities gave in the latest
        workshop that scored the risk."""
        return self._workshop(risk)[0]

    def get_workshop_spread(self, risk: Risk) -> int | None:
        return self._workshop(risk)[1]


class RiskCreateSerializer(serializers.Serializer[Any]):
    title = serializers.CharField(max_length=300)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    category = serializers.ChoiceField(choices=Category.choices)
    scope = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    owner = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, allow_null=True, default=None
    )
    probability = _scale()
    consequence = _scale()
    residual_probability = _scale(required=False, allow_null=True, default=None)
    residual_consequence = _scale(required=False, allow_null=True, default=None)
    treatment = serializers.ChoiceField(choices=Treatment.choices, default=Treatment.UNDECIDED)
    decision = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    treatment_note = serializers.CharField(required=False, allow_blank=True, default="")
    review_months = serializers.IntegerField(min_value=1, max_value=36, default=6)
    next_review = serializers.DateField(required=False, allow_null=True, default=None)
    systems = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID), required=False, default=list
    )
    services = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID), required=False, default=list
    )
    initiatives = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID), required=False, default=list
    )


class RiskUpdateSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(min_value=1)
    title = serializers.CharField(max_length=300, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    category = serializers.ChoiceField(choices=Category.choices, required=False)
    probability = _scale(required=False)
    consequence = _scale(required=False)
    residual_probability = _scale(required=False, allow_null=True)
    residual_consequence = _scale(required=False, allow_null=True)
    treatment = serializers.ChoiceField(choices=Treatment.choices, required=False)
    decision = serializers.CharField(max_length=30, required=False, allow_blank=True)
    treatment_note = serializers.CharField(required=False, allow_blank=True)
    review_months = serializers.IntegerField(min_value=1, max_value=36, required=False)
    next_review = serializers.DateField(required=False, allow_null=True)
    is_open = serializers.BooleanField(required=False)
    systems = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID), required=False
    )
    services = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID), required=False
    )
    initiatives = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID), required=False
    )
