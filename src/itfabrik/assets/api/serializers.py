from __future__ import annotations

from typing import Any

from rest_framework import serializers

from itfabrik.assets.choices import DeviceKind, DeviceState, Ownership, RowAction
from itfabrik.assets.models import ChargeMapping, Device, DeviceEvent, Lease

MAX_ID = 2**63 - 1


def _id(**kwargs: Any) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


class DeviceSerializer(serializers.ModelSerializer[Device]):
    municipality_name = serializers.CharField(source="municipality.name", read_only=True)
    owner_unit_name = serializers.CharField(source="owner_unit.name", read_only=True)
    model_name = serializers.CharField(source="model.__str__", read_only=True)
    end_of_support = serializers.DateField(
        source="model.end_of_support", read_only=True, allow_null=True
    )
    current_user_name = serializers.SerializerMethodField()

    class Meta:
        model = Device
        fields = [
            "id",
            "asset_tag",
            "serial_number",
            "manufacturer",
            "model",
            "model_name",
            "kind",
            "name",
            "municipality",
            "municipality_name",
            "owner_unit",
            "owner_unit_name",
            "site",
            "current_user",
            "current_user_name",
            "state",
            "state_since",
            "ownership",
            "lease",
            "lease_end",
            "end_of_support",
            "purchased_on",
            "purchase_price",
            "os",
            "os_version",
            "encrypted",
            "managed",
            "last_check_in",
            "local_admin",
            "security_level",
            "erasure_certificate",
            "version",
        ]
        read_only_fields = fields

    def get_current_user_name(self, obj: Device) -> str:
        user = obj.current_user
        return "" if user is None else (user.get_full_name() or user.get_username())


class DeviceEventSerializer(serializers.ModelSerializer[DeviceEvent]):
    # The first event of a device has no state before it: "" (documented in the enum).
    from_state = serializers.ChoiceField(
        choices=DeviceState.choices, allow_blank=True, read_only=True
    )

    class Meta:
        model = DeviceEvent
        fields = ["id", "from_state", "to_state", "occurred_on", "note"]
        read_only_fields = fields


class DeviceCreateSerializer(serializers.Serializer[Any]):
    model = _id()
    owner_unit = _id()
    serial_number = serializers.CharField(max_length=100)
    asset_tag = serializers.CharField(max_length=50, required=False, default="", allow_blank=True)
    name = serializers.CharField(max_length=100, required=False, default="", allow_blank=True)
    site = serializers.CharField(max_length=150, required=False, default="", allow_blank=True)
    state = serializers.ChoiceField(choices=DeviceState.choices, default=DeviceState.NEEDS_ANALYSIS)
    ownership = serializers.ChoiceField(choices=Ownership.choices, default=Ownership.LEASED)
    lease = _id(required=False, allow_null=True, default=None)
    security_level = serializers.IntegerField(
        min_value=0, max_value=4, required=False, allow_null=True, default=None
    )
    managed = serializers.BooleanField(default=False)
    local_admin = serializers.BooleanField(default=False)


class DeviceUpdateSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(min_value=1)
    owner_unit = _id(
        required=False,
        help_text=(
            "A new owning unit (cost centre): a dated step of the device's history. The caller "
            "must manage devices in both the current and the new unit's municipality; a unit "
            "they may not see or not move devices to is a 400 on this field, nothing changed."
        ),
    )
    moved_on = serializers.DateField(
        required=False,
        allow_null=True,
        help_text=(
            "The day the new owning unit takes over (only with owner_unit; default today; not "
            "in the future, not before the device's latest step). A day in a month whose "
            "invoice is approved is billed as a correction in the next open month."
        ),
    )
    model = _id(
        required=False,
        help_text=(
            "Another model of the catalogue (its kind follows): a dated step of the device's "
            "history, which may change the catalogue service the device is charged through."
        ),
    )
    model_changed_on = serializers.DateField(
        required=False,
        allow_null=True,
        help_text=(
            "The day the new model takes over (only with model; default today; not in the "
            "future, not before the device's latest step). The device is charged through each "
            "model's service for its days; a day in a month whose invoice is approved is billed "
            "as a correction in the next open month."
        ),
    )
    asset_tag = serializers.CharField(max_length=50, required=False, allow_blank=True)
    name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    site = serializers.CharField(max_length=150, required=False, allow_blank=True)
    security_level = serializers.IntegerField(
        min_value=0, max_value=4, required=False, allow_null=True
    )
    managed = serializers.BooleanField(required=False)
    local_admin = serializers.BooleanField(required=False)
    os = serializers.CharField(max_length=60, required=False, allow_blank=True)
    os_version = serializers.CharField(max_length=60, required=False, allow_blank=True)


class TransitionSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(min_value=1)
    target = serializers.ChoiceField(choices=DeviceState.choices)
    occurred_on = serializers.DateField(required=False, allow_null=True, default=None)
    note = serializers.CharField(max_length=500, required=False, default="", allow_blank=True)
    certificate = serializers.CharField(
        max_length=200, required=False, default="", allow_blank=True
    )


class ImportSerializer(serializers.Serializer[Any]):
    file = serializers.FileField()
    dry_run = serializers.BooleanField(default=True)
    municipality = _id(required=False, allow_null=True, default=None)


class DeviceImportRowSerializer(serializers.Serializer[Any]):
    line = serializers.IntegerField()
    action = serializers.ChoiceField(choices=RowAction.choices)
    serial_number = serializers.CharField()
    errors = serializers.ListField(child=serializers.CharField())  # type: ignore[assignment]


class DeviceImportResultSerializer(serializers.Serializer[Any]):
    dry_run = serializers.BooleanField()
    written = serializers.IntegerField()
    counts = serializers.DictField(child=serializers.IntegerField())
    rows = DeviceImportRowSerializer(many=True)


class ForecastQuerySerializer(serializers.Serializer[Any]):
    municipality = _id()
    year = serializers.IntegerField(min_value=2000, max_value=2100, required=False, default=None)


class QuarterSerializer(serializers.Serializer[Any]):
    quarter = serializers.CharField()
    year = serializers.IntegerField()
    count = serializers.IntegerField()
    cost = serializers.DecimalField(max_digits=16, decimal_places=2)
    planned_count = serializers.IntegerField()
    planned_cost = serializers.DecimalField(max_digits=16, decimal_places=2)
    band = serializers.DecimalField(max_digits=16, decimal_places=2)


class ComplianceQuerySerializer(serializers.Serializer[Any]):
    municipality = _id()


class ComplianceSerializer(serializers.Serializer[Any]):
    municipality = serializers.IntegerField()
    in_use = serializers.IntegerField()
    findings = serializers.DictField(child=serializers.IntegerField())
    excepted = serializers.DictField(child=serializers.IntegerField())


class LeaseSerializer(serializers.ModelSerializer[Lease]):
    device_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Lease
        fields = [
            "id",
            "municipality",
            "lessor",
            "contract_number",
            "starts_on",
            "ends_on",
            "monthly_cost",
            "buyout_price",
            "return_status",
            "device_count",
            "version",
        ]
        read_only_fields = fields


class ChargeMappingSerializer(serializers.ModelSerializer[ChargeMapping]):
    model_name = serializers.SerializerMethodField()
    service_name = serializers.CharField(
        source="service.name", read_only=True, default=None, allow_null=True
    )
    charged = serializers.SerializerMethodField()

    class Meta:
        model = ChargeMapping
        fields = [
            "id",
            "kind",
            "model",
            "model_name",
            "service",
            "service_name",
            "charged",
            "version",
        ]
        read_only_fields = fields

    def get_model_name(self, obj: ChargeMapping) -> str | None:
        return str(obj.model) if obj.model is not None else None

    def get_charged(self, obj: ChargeMapping) -> bool:
        """False: the kind or model is explicitly not charged."""
        return obj.service_id is not None


class ChargeMappingSetSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(
        choices=DeviceKind.choices, required=False, default="", help_text="Leave out with model"
    )
    model = _id(required=False, allow_null=True, default=None, help_text="A model's own mapping")
    service = _id(allow_null=True, help_text="The catalogue service; null: not charged")
