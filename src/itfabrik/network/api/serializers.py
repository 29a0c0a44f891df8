from __future__ import annotations

from typing import Any

from rest_framework import serializers

from itfabrik.network import rules
from itfabrik.network.choices import DeviceStatus, ImportKind, SsidSecurity, VlanStatus
from itfabrik.network.models import Device, DeviceType, Site, Ssid, StandardVlan, Vlan

MAX_ID = 2**63 - 1


def _id(**kwargs: Any) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


def _vid(**kwargs: Any) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=rules.VLAN_MIN, max_value=rules.VLAN_MAX, **kwargs)


class NameValidateSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=200, allow_blank=True, trim_whitespace=True)
    site = _id(required=False, help_text="Also check the name against this site.")
    device_type = _id(required=False, help_text="Also check the name against this type.")


class NameCheckedSerializer(serializers.Serializer[Any]):
    name = serializers.CharField()
    valid = serializers.BooleanField()
    parts = serializers.DictField(child=serializers.CharField())
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))  # type: ignore[assignment]
    error_codes = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


class NameNextSerializer(serializers.Serializer[Any]):
    municipality = serializers.CharField(max_length=12, help_text="The municipality's code.")
    site = serializers.CharField(max_length=12, help_text="The site's code.")
    type = serializers.CharField(max_length=12, help_text="The device type's code.")


class NextNameSerializer(serializers.Serializer[Any]):
    name = serializers.CharField()


class StandardSerializer(serializers.Serializer[Any]):
    pattern = serializers.CharField()
    version = serializers.IntegerField()
    municipality_codes = serializers.ListField(child=serializers.DictField())


class PatternUpdateSerializer(serializers.Serializer[Any]):
    pattern = serializers.CharField(max_length=120)
    version = serializers.IntegerField(min_value=0)


class MunicipalityCodeSerializer(serializers.Serializer[Any]):
    municipality = _id()
    code = serializers.CharField(max_length=12)


class SiteSerializer(serializers.ModelSerializer[Site]):
    municipality_name = serializers.CharField(source="municipality.name", read_only=True)

    class Meta:
        model = Site
        fields = [
            "id",
            "municipality",
            "municipality_name",
            "code",
            "name",
            "address",
            "is_active",
            "version",
        ]
        read_only_fields = fields


class SiteCreateSerializer(serializers.Serializer[Any]):
    municipality = _id()
    code = serializers.CharField(max_length=12)
    name = serializers.CharField(max_length=100)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class SiteUpdateSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(min_value=1)
    code = serializers.CharField(max_length=12, required=False)
    name = serializers.CharField(max_length=100, required=False)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    is_active = serializers.BooleanField(required=False)


class DeviceTypeSerializer(serializers.ModelSerializer[DeviceType]):
    class Meta:
        model = DeviceType
        fields = ["id", "code", "name", "is_active", "version"]
        read_only_fields = fields


class DeviceTypeCreateSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(max_length=12)
    name = serializers.CharField(max_length=100)


class DeviceTypeUpdateSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(min_value=1)
    code = serializers.CharField(max_length=12, required=False)
    name = serializers.CharField(max_length=100, required=False)
    is_active = serializers.BooleanField(required=False)


class StandardVlanSerializer(serializers.ModelSerializer[StandardVlan]):
    class Meta:
        model = StandardVlan
        fields = ["id", "vid", "name", "purpose", "is_active", "version"]
        read_only_fields = fields


class StandardVlanCreateSerializer(serializers.Serializer[Any]):
    vid = _vid()
    name = serializers.CharField(max_length=64)
    purpose = serializers.CharField(max_length=200)


class StandardVlanUpdateSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(min_value=1)
    vid = _vid(required=False)
    name = serializers.CharField(max_length=64, required=False)
    purpose = serializers.CharField(max_length=200, required=False)
    is_active = serializers.BooleanField(required=False)


class SsidSerializer(serializers.ModelSerializer[Ssid]):
    vlan_vid = serializers.IntegerField(source="vlan.vid", read_only=True, allow_null=True)

    class Meta:
        model = Ssid
        fields = ["id", "name", "purpose", "security", "vlan", "vlan_vid", "is_active", "version"]
        read_only_fields = fields


class SsidCreateSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=64, trim_whitespace=False)
    purpose = serializers.CharField(max_length=200)
    security = serializers.ChoiceField(choices=SsidSecurity.choices)
    vlan = _id(required=False, allow_null=True)


class SsidUpdateSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(min_value=1)
    name = serializers.CharField(max_length=64, required=False, trim_whitespace=False)
    purpose = serializers.CharField(max_length=200, required=False)
    security = serializers.ChoiceField(choices=SsidSecurity.choices, required=False)
    is_active = serializers.BooleanField(required=False)


class NetworkDeviceSerializer(serializers.ModelSerializer[Device]):
    site_name = serializers.CharField(source="site.name", read_only=True)
    device_type_code = serializers.CharField(source="device_type.code", read_only=True)
    municipality_name = serializers.CharField(source="municipality.name", read_only=True)

    class Meta:
        model = Device
        fields = [
            "id",
            "name",
            "name_conforms",
            "municipality",
            "municipality_name",
            "site",
            "site_name",
            "device_type",
            "device_type_code",
            "manufacturer",
            "model",
            "serial",
            "asset_tag",
            "status",
            "description",
            "comments",
            "version",
        ]
        read_only_fields = fields


class NetworkDeviceCreateSerializer(serializers.Serializer[Any]):
    site = _id()
    device_type = _id()
    name = serializers.CharField(
        max_length=64,
        required=False,
        allow_blank=True,
        default="",
        help_text="Leave out to get the next free name.",
    )
    existing = serializers.BooleanField(
        default=False,
        help_text="Record a device that already exists under a name outside the standard.",
    )
    status = serializers.ChoiceField(choices=DeviceStatus.choices, default=DeviceStatus.ACTIVE)
    manufacturer = serializers.CharField(max_length=100, required=False, allow_blank=True)
    model = serializers.CharField(max_length=100, required=False, allow_blank=True)
    serial = serializers.CharField(max_length=50, required=False, allow_blank=True)
    asset_tag = serializers.CharField(max_length=50, required=False, allow_blank=True)
    description = serializers.CharField(max_length=200, required=False, allow_blank=True)
    comments = serializers.CharField(required=False, allow_blank=True)


class NetworkDeviceUpdateSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(min_value=1)
    name = serializers.CharField(max_length=64, required=False)
    site = _id(required=False)
    device_type = _id(required=False)
    status = serializers.ChoiceField(choices=DeviceStatus.choices, required=False)
    manufacturer = serializers.CharField(max_length=100, required=False, allow_blank=True)
    model = serializers.CharField(max_length=100, required=False, allow_blank=True)
    serial = serializers.CharField(max_length=50, required=False, allow_blank=True)
    asset_tag = serializers.CharField(max_length=50, required=False, allow_blank=True)
    description = serializers.CharField(max_length=200, required=False, allow_blank=True)
    comments = serializers.CharField(required=False, allow_blank=True)


class VlanSerializer(serializers.ModelSerializer[Vlan]):
    site_name = serializers.CharField(source="site.name", read_only=True)

    class Meta:
        model = Vlan
        fields = [
            "id",
            "municipality",
            "site",
            "site_name",
            "vid",
            "name",
            "group",
            "status",
            "role",
            "description",
            "comments",
            "version",
        ]
        read_only_fields = fields


class VlanCreateSerializer(serializers.Serializer[Any]):
    site = _id()
    vid = _vid()
    name = serializers.CharField(max_length=64)
    status = serializers.ChoiceField(choices=VlanStatus.choices, default=VlanStatus.ACTIVE)
    group = serializers.CharField(max_length=100, required=False, allow_blank=True)
    role = serializers.CharField(max_length=100, required=False, allow_blank=True)
    description = serializers.CharField(max_length=200, required=False, allow_blank=True)
    comments = serializers.CharField(required=False, allow_blank=True)


class VlanUpdateSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(min_value=1)
    vid = _vid(required=False)
    name = serializers.CharField(max_length=64, required=False)
    status = serializers.ChoiceField(choices=VlanStatus.choices, required=False)
    group = serializers.CharField(max_length=100, required=False, allow_blank=True)
    role = serializers.CharField(max_length=100, required=False, allow_blank=True)
    description = serializers.CharField(max_length=200, required=False, allow_blank=True)
    comments = serializers.CharField(required=False, allow_blank=True)


class NetworkImportSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=ImportKind.choices)
    file = serializers.FileField()
    dry_run = serializers.BooleanField(default=True)


class NetworkImportResultSerializer(serializers.Serializer[Any]):
    kind = serializers.CharField()
    rows = serializers.IntegerField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    dry_run = serializers.BooleanField()
    errors = serializers.ListField(child=serializers.DictField())  # type: ignore[assignment]


class VlanFindingSerializer(serializers.Serializer[Any]):
    vid = serializers.IntegerField()
    kind = serializers.CharField()
    expected = serializers.CharField()
    actual = serializers.CharField()


class SiteConformanceSerializer(serializers.Serializer[Any]):
    site = serializers.IntegerField(source="site.pk")
    site_name = serializers.CharField(source="site.name")
    findings = VlanFindingSerializer(many=True)


class ConformanceSerializer(serializers.Serializer[Any]):
    municipality = serializers.IntegerField(source="municipality.pk")
    municipality_name = serializers.CharField(source="municipality.name")
    code = serializers.CharField()
    sites = serializers.IntegerField()
    devices = serializers.IntegerField()
    nonconforming = serializers.IntegerField()
    vlans = serializers.IntegerField()
    vlans_missing = serializers.IntegerField()
    vlans_wrong_name = serializers.IntegerField()
    vlans_extra = serializers.IntegerField()
    deviating_sites = SiteConformanceSerializer(many=True)
