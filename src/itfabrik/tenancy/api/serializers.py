from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from itfabrik.tenancy.choices import NodeKind, ServiceLine
from itfabrik.tenancy.models import (
    MAX_INHABITANTS,
    Cooperation,
    InhabitantCount,
    Membership,
    OrgNode,
    Position,
    inhabitants_limit_message,
)


class OrganisationSerializer(serializers.ModelSerializer[OrgNode]):
    # "parent" shadows Field.parent in the stubs only; DRF's metaclass collects declared fields.
    # allow_null: the root has no parent, and nodes above municipalities no municipality.
    parent: serializers.PrimaryKeyRelatedField[OrgNode] = serializers.PrimaryKeyRelatedField(  # type: ignore[assignment]
        read_only=True, allow_null=True
    )
    municipality: serializers.PrimaryKeyRelatedField[OrgNode] = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True
    )
    cooperation: serializers.PrimaryKeyRelatedField[Cooperation] = (
        serializers.PrimaryKeyRelatedField(read_only=True)
    )
    inhabitants = serializers.SerializerMethodField()
    inhabitants_year = serializers.SerializerMethodField()
    is_member = serializers.SerializerMethodField()
    is_host = serializers.SerializerMethodField()

    class Meta:
        model = OrgNode
        fields = [
            "id",
            "name",
            "kind",
            "parent",
            "cooperation",
            "municipality",
            "depth",
            "municipal_code",
            "organisation_number",
            "email_domain",
            "cost_centre",
            "inhabitants",
            "inhabitants_year",
            "is_member",
            "is_host",
            "is_active",
            "closed_on",
            "version",
        ]
        read_only_fields = fields

    def _municipal(self, obj: OrgNode, attr: str) -> Any:
        if obj.kind != NodeKind.MUNICIPALITY:
            return None
        return getattr(obj, attr, None)

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_inhabitants(self, obj: OrgNode) -> int | None:
        return self._municipal(obj, "inhabitants")

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_inhabitants_year(self, obj: OrgNode) -> int | None:
        return self._municipal(obj, "inhabitants_year")

    @extend_schema_field(serializers.BooleanField(allow_null=True))
    def get_is_member(self, obj: OrgNode) -> bool | None:
        value = self._municipal(obj, "is_member")
        return None if value is None else bool(value)

    @extend_schema_field(serializers.BooleanField(allow_null=True))
    def get_is_host(self, obj: OrgNode) -> bool | None:
        value = self._municipal(obj, "is_host")
        return None if value is None else bool(value)


class OrganisationCreateSerializer(serializers.Serializer[Any]):
    parent = serializers.IntegerField()  # type: ignore[assignment]
    kind = serializers.ChoiceField(choices=NodeKind.choices)
    name = serializers.CharField(max_length=200)
    municipal_code = serializers.CharField(
        max_length=4, required=False, default="", allow_blank=True
    )
    organisation_number = serializers.CharField(
        max_length=11, required=False, default="", allow_blank=True
    )
    email_domain = serializers.CharField(
        max_length=253, required=False, default="", allow_blank=True
    )
    cost_centre = serializers.CharField(max_length=20, required=False, default="", allow_blank=True)


class OrganisationUpdateSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(
        min_value=1, help_text="Versionen du läste; ändringen avvisas (409) om den är inaktuell."
    )
    name = serializers.CharField(max_length=200, required=False)
    municipal_code = serializers.CharField(max_length=4, required=False, allow_blank=True)
    organisation_number = serializers.CharField(max_length=11, required=False, allow_blank=True)
    email_domain = serializers.CharField(max_length=253, required=False, allow_blank=True)
    cost_centre = serializers.CharField(max_length=20, required=False, allow_blank=True)


class InhabitantCountSerializer(serializers.ModelSerializer[InhabitantCount]):
    class Meta:
        model = InhabitantCount
        fields = ["id", "municipality", "year", "inhabitants", "source"]
        read_only_fields = ["id", "municipality"]
        # The service upserts per year, so the model's unique (municipality, year) is not a
        # reason to refuse the input here.
        validators: list[Any] = []
        extra_kwargs = {
            "year": {"min_value": 1900, "max_value": 2100},
            "inhabitants": {
                "max_value": MAX_INHABITANTS,
                "error_messages": {"max_value": inhabitants_limit_message()},
            },
            "source": {"required": False, "default": "SCB"},
        }


class HostChangeSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(min_value=1)
    host = serializers.IntegerField(min_value=1, max_value=2**63 - 1)


class CooperationSerializer(serializers.ModelSerializer[Cooperation]):
    class Meta:
        model = Cooperation
        fields = ["id", "name", "slug", "root", "host", "currency", "version"]
        read_only_fields = fields


class MembershipSerializer(serializers.ModelSerializer[Membership]):
    municipality_name = serializers.CharField(source="municipality.name", read_only=True)

    class Meta:
        model = Membership
        fields = [
            "id",
            "cooperation",
            "municipality",
            "municipality_name",
            "joined_on",
            "left_on",
            "decision_reference",
            "version",
        ]
        read_only_fields = fields


class MembershipCreateSerializer(serializers.Serializer[Any]):
    cooperation = serializers.IntegerField()
    municipality = serializers.IntegerField()
    joined_on = serializers.DateField()
    decision_reference = serializers.CharField(
        max_length=100, required=False, default="", allow_blank=True
    )


class MembershipEndSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(min_value=1)
    left_on = serializers.DateField()
    decision_reference = serializers.CharField(
        max_length=100, required=False, default="", allow_blank=True
    )


class PositionSerializer(serializers.ModelSerializer[Position]):
    team_name = serializers.CharField(source="team.name", read_only=True)
    holder_name = serializers.SerializerMethodField()

    class Meta:
        model = Position
        fields = [
            "id",
            "team",
            "team_name",
            "title",
            "line",
            "specialisation",
            "holder",
            "holder_name",
            "closed_on",
            "version",
        ]
        read_only_fields = fields

    def get_holder_name(self, obj: Position) -> str | None:
        return str(obj.holder) if obj.holder_id else None


class NodeCloseSerializer(serializers.Serializer[Any]):
    closed_on = serializers.DateField(help_text="Avvecklad från och med (ÅÅÅÅ-MM-DD).")
    version = serializers.IntegerField(
        min_value=1,
        required=False,
        allow_null=True,
        default=None,
        help_text="Den version du läste; utelämnad: ingen kontroll av samtidiga ändringar.",
    )


class PositionCreateSerializer(serializers.Serializer[Any]):
    team = serializers.IntegerField(
        min_value=1, max_value=2**63 - 1, help_text="The IT organisation or one of its teams."
    )
    title = serializers.CharField(max_length=200)
    line = serializers.ChoiceField(choices=ServiceLine.choices)
    specialisation = serializers.CharField(
        max_length=100, required=False, default="", allow_blank=True
    )
    holder = serializers.IntegerField(
        min_value=1,
        max_value=2**63 - 1,
        required=False,
        allow_null=True,
        default=None,
        help_text="The user who holds the position; null: vacant.",
    )


class PositionUpdateSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(
        min_value=1, help_text="Versionen du läste; ändringen avvisas (409) om den är inaktuell."
    )
    team = serializers.IntegerField(min_value=1, max_value=2**63 - 1, required=False)
    title = serializers.CharField(max_length=200, required=False)
    line = serializers.ChoiceField(choices=ServiceLine.choices, required=False)
    specialisation = serializers.CharField(max_length=100, required=False, allow_blank=True)
    holder = serializers.IntegerField(
        min_value=1,
        max_value=2**63 - 1,
        required=False,
        allow_null=True,
        help_text="null vacates the position.",
    )


class PositionCloseSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(min_value=1)
    closed_on = serializers.DateField()


class CooperationCreateSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=200)
    slug = serializers.SlugField(max_length=50)
    root_name = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        default="",
        help_text="Name of the root node of the organisation tree; empty: the cooperation's name.",
    )
    currency = serializers.CharField(min_length=3, max_length=3, required=False, default="SEK")
