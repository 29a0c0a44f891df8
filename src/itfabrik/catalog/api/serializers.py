from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from itfabrik.catalog.choices import (
    Approval,
    OrderableBy,
    OrderKind,
    PriceModel,
    ServiceTier,
    UserKind,
)
from itfabrik.catalog.models import (
    Order,
    OrderLine,
    Package,
    PackageItem,
    Price,
    PriceList,
    Service,
    ServiceArea,
    Subscription,
)
from itfabrik.catalog.rules import MAX_QUANTITY

MAX_ID = 2**63 - 1


def _id(**kwargs: Any) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


def _quantity(**kwargs: Any) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=MAX_QUANTITY, **kwargs)


class ServiceAreaSerializer(serializers.ModelSerializer[ServiceArea]):
    class Meta:
        model = ServiceArea
        fields = ["id", "cooperation", "name", "description", "sort_order", "is_active", "version"]
        read_only_fields = fields


class ServiceSerializer(serializers.ModelSerializer[Service]):
    area_name = serializers.CharField(source="area.name", read_only=True)
    price = serializers.SerializerMethodField()

    class Meta:
        model = Service
        fields = [
            "id",
            "cooperation",
            "area",
            "area_name",
            "name",
            "description",
            "owner_node",
            "owner_user",
            "tier",
            "price_model",
            "unit_of_measure",
            "orderable_by",
            "approval",
            "is_addon",
            "is_active",
            "price",
            "version",
        ]
        read_only_fields = fields

    @extend_schema_field(
        serializers.DecimalField(
            max_digits=12,
            decimal_places=2,
            allow_null=True,
            help_text="Price in SEK in the price list in force today (null: not priced).",
        )
    )
    def get_price(self, obj: Service) -> str | None:
        price = getattr(obj, "price", None)
        return None if price is None else f"{price:.2f}"


class ServiceCreateSerializer(serializers.Serializer[Any]):
    cooperation = _id()
    area = _id()
    name = serializers.CharField(max_length=150)
    description = serializers.CharField(
        max_length=4000, required=False, default="", allow_blank=True
    )
    price_model = serializers.ChoiceField(choices=PriceModel.choices)
    unit_of_measure = serializers.CharField(max_length=40)
    tier = serializers.ChoiceField(choices=ServiceTier.choices, required=False, default="standard")
    orderable_by = serializers.ChoiceField(
        choices=OrderableBy.choices, required=False, default=OrderableBy.ORDERERS
    )
    approval = serializers.ChoiceField(choices=Approval.choices, required=False, default="none")
    is_addon = serializers.BooleanField(required=False, default=False)
    owner_node = _id(required=False, allow_null=True, default=None, help_text="A team's id.")
    owner_user = _id(required=False, allow_null=True, default=None, help_text="A person's id.")


class ServiceUpdateSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(
        min_value=1, help_text="Versionen du läste; ändringen avvisas (409) om den är inaktuell."
    )
    area = _id(required=False)
    name = serializers.CharField(max_length=150, required=False)
    description = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    price_model = serializers.ChoiceField(choices=PriceModel.choices, required=False)
    unit_of_measure = serializers.CharField(max_length=40, required=False)
    tier = serializers.ChoiceField(choices=ServiceTier.choices, required=False)
    orderable_by = serializers.ChoiceField(choices=OrderableBy.choices, required=False)
    approval = serializers.ChoiceField(choices=Approval.choices, required=False)
    is_addon = serializers.BooleanField(required=False)
    is_active = serializers.BooleanField(required=False)
    owner_node = _id(required=False, allow_null=True)
    owner_user = _id(required=False, allow_null=True)


class ServiceAreaCreateSerializer(serializers.Serializer[Any]):
    cooperation = _id()
    name = serializers.CharField(max_length=100)
    description = serializers.CharField(
        max_length=2000, required=False, default="", allow_blank=True
    )
    sort_order = serializers.IntegerField(min_value=0, max_value=32767, required=False, default=100)


class ServiceAreaUpdateSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(min_value=1)
    name = serializers.CharField(max_length=100, required=False)
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    sort_order = serializers.IntegerField(min_value=0, max_value=32767, required=False)
    is_active = serializers.BooleanField(required=False)


class PackageItemSerializer(serializers.ModelSerializer[PackageItem]):
    service_name = serializers.CharField(source="service.name", read_only=True)

    class Meta:
        model = PackageItem
        fields = ["service", "service_name", "quantity"]
        read_only_fields = fields


class PackageSerializer(serializers.ModelSerializer[Package]):
    items = PackageItemSerializer(many=True, read_only=True)
    monthly_price = serializers.SerializerMethodField()

    class Meta:
        model = Package
        fields = [
            "id",
            "cooperation",
            "name",
            "description",
            "user_kind",
            "is_active",
            "items",
            "monthly_price",
            "version",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True))
    def get_monthly_price(self, obj: Package) -> str | None:
        total = obj.monthly_price()
        return None if total is None else f"{total:.2f}"


class PackageItemInputSerializer(serializers.Serializer[Any]):
    service = _id()
    quantity = _quantity()


class PackageCreateSerializer(serializers.Serializer[Any]):
    cooperation = _id()
    name = serializers.CharField(max_length=150)
    user_kind = serializers.ChoiceField(choices=UserKind.choices)
    description = serializers.CharField(
        max_length=4000, required=False, default="", allow_blank=True
    )
    items = PackageItemInputSerializer(many=True, allow_empty=False)


class PackageUpdateSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(min_value=1)
    name = serializers.CharField(max_length=150, required=False)
    user_kind = serializers.ChoiceField(choices=UserKind.choices, required=False)
    description = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    is_active = serializers.BooleanField(required=False)


class PackageItemSetSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(
        min_value=1, help_text="The package's version you read; refused (409) when stale."
    )
    service = _id()
    quantity = _quantity()


class PackageItemRemoveSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(min_value=1)
    service = _id()


class PriceSerializer(serializers.ModelSerializer[Price]):
    service_name = serializers.CharField(source="service.name", read_only=True)
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)

    class Meta:
        model = Price
        fields = ["service", "service_name", "amount"]
        read_only_fields = fields


class PriceListSerializer(serializers.ModelSerializer[PriceList]):
    prices = PriceSerializer(many=True, read_only=True)

    class Meta:
        model = PriceList
        fields = [
            "id",
            "cooperation",
            "name",
            "valid_from",
            "valid_to",
            "decision_reference",
            "is_active",
            "prices",
            "version",
        ]
        read_only_fields = fields


class PriceInputSerializer(serializers.Serializer[Any]):
    service = _id()
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0)


class PriceListCreateSerializer(serializers.Serializer[Any]):
    cooperation = _id()
    name = serializers.CharField(max_length=100)
    valid_from = serializers.DateField()
    valid_to = serializers.DateField(required=False, allow_null=True, default=None)
    decision_reference = serializers.CharField(max_length=200)
    prices = PriceInputSerializer(many=True, required=False, default=list)


class PriceListCopySerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=100)
    valid_from = serializers.DateField()
    valid_to = serializers.DateField(required=False, allow_null=True, default=None)
    decision_reference = serializers.CharField(max_length=200)
    end_source = serializers.BooleanField(
        required=False,
        default=False,
        help_text="End the copied version the day before the new one starts.",
    )


class PriceSetSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(
        min_value=1, help_text="The price list's version you read; refused (409) when stale."
    )
    service = _id()
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0)


class PriceRemoveSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(min_value=1)
    service = _id()


class PriceListUpdateSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(min_value=1)
    name = serializers.CharField(max_length=100, required=False)
    valid_from = serializers.DateField(required=False)
    valid_to = serializers.DateField(required=False, allow_null=True)
    decision_reference = serializers.CharField(max_length=200, required=False)
    is_active = serializers.BooleanField(required=False)


class OrderLineSerializer(serializers.ModelSerializer[OrderLine]):
    name = serializers.SerializerMethodField()

    class Meta:
        model = OrderLine
        fields = [
            "id",
            "service",
            "package",
            "subscription",
            "name",
            "quantity",
            "approval",
            "decision",
        ]
        read_only_fields = fields

    def get_name(self, obj: OrderLine) -> str:
        return str(obj.service or obj.package)


class OrderSerializer(serializers.ModelSerializer[Order]):
    number = serializers.CharField(source="__str__", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    lines = OrderLineSerializer(many=True, read_only=True)
    # "kind" would share its schema enum name with the organisation's node kinds.
    order_type = serializers.ChoiceField(
        source="kind", choices=OrderKind.choices, read_only=True, help_text="new/change/cancel"
    )

    class Meta:
        model = Order
        fields = [
            "id",
            "number",
            "cooperation",
            "unit",
            "unit_name",
            "order_type",
            "status",
            "approval",
            "note",
            "created_by",
            "created_at",
            "submitted_at",
            "decided_by",
            "decided_at",
            "decision_note",
            "delivered_on",
            "lines",
            "version",
        ]
        read_only_fields = fields


class OrderLineInputSerializer(serializers.Serializer[Any]):
    service = _id(required=False, allow_null=True, default=None)
    package = _id(required=False, allow_null=True, default=None)
    quantity = _quantity()

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if (attrs.get("service") is None) == (attrs.get("package") is None):
            raise serializers.ValidationError("Ange antingen service eller package.")
        return attrs


class OrderCreateSerializer(serializers.Serializer[Any]):
    unit = _id()
    note = serializers.CharField(max_length=2000, required=False, default="", allow_blank=True)
    lines = OrderLineInputSerializer(many=True, allow_empty=False)


class OrderActionSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(
        min_value=1, help_text="Versionen du läste; avvisas (409) om någon hunnit före."
    )
    note = serializers.CharField(max_length=2000, required=False, default="", allow_blank=True)


class OrderDeliverSerializer(OrderActionSerializer):
    delivered_on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="Default: today."
    )


class SubscriptionSerializer(serializers.ModelSerializer[Subscription]):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    service_name = serializers.CharField(source="service.name", read_only=True)
    order = serializers.IntegerField(source="order_line.order_id", read_only=True)

    class Meta:
        model = Subscription
        fields = [
            "id",
            "cooperation",
            "unit",
            "unit_name",
            "service",
            "service_name",
            "package",
            "quantity",
            "start_date",
            "end_date",
            "order_line",
            "order",
            "ended_by",
        ]
        read_only_fields = fields


class SubscriptionChangeSerializer(serializers.Serializer[Any]):
    quantity = _quantity()
    note = serializers.CharField(max_length=2000, required=False, default="", allow_blank=True)


class SubscriptionCancelSerializer(serializers.Serializer[Any]):
    note = serializers.CharField(max_length=2000, required=False, default="", allow_blank=True)
