from __future__ import annotations

from typing import Any

from rest_framework import serializers

from itfabrik.systems.choices import Hosting, ProgrammeStatus
from itfabrik.systems.models import Capability, InformationAsset, System, SystemUse

MAX_ID = 2**63 - 1


class UseSerializer(serializers.ModelSerializer[SystemUse]):
    municipality_name = serializers.CharField(source="municipality.name", read_only=True)

    class Meta:
        model = SystemUse
        fields = ["municipality", "municipality_name", "owner", "users"]
        read_only_fields = fields


class CapabilitySerializer(serializers.ModelSerializer[Capability]):
    class Meta:
        model = Capability
        fields = ["id", "name", "description", "is_active"]
        read_only_fields = fields


class SystemSerializer(serializers.ModelSerializer[System]):
    capabilities = CapabilitySerializer(many=True, read_only=True)
    uses = UseSerializer(many=True, read_only=True, source="active_uses")
    klassa_summary = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = System
        fields = [
            "id", "name", "supplier", "hosting", "status", "contract_end", "description",
            "capabilities", "uses", "confidentiality", "integrity", "availability",
            "traceability", "personal_data", "klassa_summary", "is_active", "version",
        ]  # fmt: skip
        read_only_fields = fields


class SystemCreateSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=200)
    supplier = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    hosting = serializers.ChoiceField(choices=Hosting.choices)
    status = serializers.ChoiceField(
        choices=ProgrammeStatus.choices, default=ProgrammeStatus.MAPPED
    )
    contract_end = serializers.DateField(required=False, allow_null=True, default=None)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    capabilities = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID), required=False, default=list
    )


class SystemUpdateSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(min_value=1)
    name = serializers.CharField(max_length=200, required=False)
    supplier = serializers.CharField(max_length=200, required=False, allow_blank=True)
    hosting = serializers.ChoiceField(choices=Hosting.choices, required=False)
    status = serializers.ChoiceField(choices=ProgrammeStatus.choices, required=False)
    contract_end = serializers.DateField(required=False, allow_null=True)
    description = serializers.CharField(required=False, allow_blank=True)
    is_active = serializers.BooleanField(required=False)
    capabilities = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID), required=False
    )


class ClassifySerializer(serializers.Serializer[Any]):
    """Each level 0-4 or null; anything else is refused by name."""

    version = serializers.IntegerField(min_value=1)
    confidentiality = serializers.IntegerField(min_value=0, max_value=4, allow_null=True)
    integrity = serializers.IntegerField(min_value=0, max_value=4, allow_null=True)
    availability = serializers.IntegerField(min_value=0, max_value=4, allow_null=True)
    traceability = serializers.IntegerField(
        min_value=0, max_value=4, allow_null=True, required=False, default=None
    )
    personal_data = serializers.BooleanField(required=False, default=False)


class InformationAssetSerializer(serializers.ModelSerializer[InformationAsset]):
    system_name = serializers.CharField(source="system.name", read_only=True, allow_null=True)
    klassa_summary = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = InformationAsset
        fields = [
            "id", "name", "description", "system", "system_name", "confidentiality",
            "integrity", "availability", "traceability", "personal_data", "klassa_summary",
            "is_active", "version",
        ]  # fmt: skip
        read_only_fields = fields


class DuplicateSystemSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    contract_end = serializers.DateField(allow_null=True)
    users = serializers.IntegerField()
    municipalities = serializers.ListField(child=serializers.CharField())


class DuplicateSerializer(serializers.Serializer[Any]):
    capability = serializers.CharField()
    capability_id = serializers.IntegerField()
    systems = DuplicateSystemSerializer(many=True)
    municipalities = serializers.ListField(child=serializers.CharField())
    users = serializers.IntegerField()


class CoverageSerializer(serializers.Serializer[Any]):
    system = serializers.IntegerField()
    name = serializers.CharField()
    covers = serializers.ListField(child=serializers.CharField())
    share = serializers.FloatField()
    municipalities = serializers.ListField(child=serializers.CharField())
    contract_end = serializers.DateField(allow_null=True)
