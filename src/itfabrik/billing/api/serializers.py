from __future__ import annotations

from decimal import Decimal
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from itfabrik.billing.choices import KeyMethod
from itfabrik.billing.models import BillingRun, Invoice, InvoiceLine, UsageRecord

MONEY = {"max_digits": 14, "decimal_places": 2, "coerce_to_string": True}


class InvoiceLineSerializer(serializers.ModelSerializer[InvoiceLine]):
    amount = serializers.DecimalField(**MONEY, read_only=True)  # type: ignore[arg-type]
    unit_price = serializers.DecimalField(**MONEY, read_only=True, allow_null=True)  # type: ignore[arg-type]
    cost_pool = serializers.SerializerMethodField()
    unit_name = serializers.SerializerMethodField()
    source = serializers.JSONField(read_only=True)  # type: ignore[assignment]
    # Plain strings, not enums: "kind" and "status" are enum names other apps use already.
    kind = serializers.CharField(
        read_only=True, help_text="shared, consumption, fund or correction"
    )

    class Meta:
        model = InvoiceLine
        fields = [
            "id",
            "position",
            "kind",
            "amount",
            "unit",
            "unit_name",
            "cost_centre",
            "service",
            "cost_pool",
            "description",
            "quantity",
            "unit_price",
            "source",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_cost_pool(self, obj: InvoiceLine) -> str | None:
        return obj.cost_pool.name if obj.cost_pool else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_unit_name(self, obj: InvoiceLine) -> str | None:
        return obj.unit.name if obj.unit else None


class InvoiceSerializer(serializers.ModelSerializer[Invoice]):
    total = serializers.DecimalField(**MONEY, read_only=True)  # type: ignore[arg-type]
    municipality_name = serializers.CharField(source="municipality.name", read_only=True)
    lines = InvoiceLineSerializer(many=True, read_only=True)
    status = serializers.CharField(read_only=True, help_text="draft, approved or exported")

    class Meta:
        model = Invoice
        fields = [
            "id",
            "municipality",
            "municipality_name",
            "period",
            "status",
            "total",
            "version",
            "approved_at",
            "exported_at",
            "lines",
        ]
        read_only_fields = fields


class RunCreateSerializer(serializers.Serializer[Any]):
    period = serializers.CharField(max_length=7, help_text="YYYY-MM")


class RunWarningSerializer(serializers.Serializer[Any]):
    source = serializers.CharField(help_text="The charge source, e.g. assets")  # type: ignore[assignment]
    code = serializers.CharField(help_text="A stable code, e.g. unmapped_kind")
    message = serializers.CharField()
    municipality = serializers.IntegerField(allow_null=True)
    count = serializers.IntegerField(help_text="How many objects the warning is about")
    references = serializers.ListField(
        child=serializers.CharField(), help_text="The first 50 of them (e.g. asset tags)"
    )


class RunSerializer(serializers.ModelSerializer[BillingRun]):
    status = serializers.CharField(read_only=True, help_text="queued, running, done or failed")
    warnings = RunWarningSerializer(many=True, read_only=True)

    class Meta:
        model = BillingRun
        fields = [
            "id",
            "period",
            "status",
            "progress",
            "message",
            "warnings",
            "created_at",
            "finished_at",
        ]
        read_only_fields = fields


class RunResultSerializer(RunSerializer):
    invoices = serializers.SerializerMethodField()

    class Meta(RunSerializer.Meta):
        fields = [*RunSerializer.Meta.fields, "invoices"]
        read_only_fields = fields

    @extend_schema_field(InvoiceSerializer(many=True))
    def get_invoices(self, obj: BillingRun) -> Any:
        return InvoiceSerializer(self.context.get("invoices", []), many=True).data


class ApproveSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(min_value=1)


class SimulationRequestSerializer(serializers.Serializer[Any]):
    pool = serializers.IntegerField(
        min_value=1, required=False, help_text="The cost pool; Bas-IT when left out."
    )
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    method = serializers.ChoiceField(choices=KeyMethod.choices)
    percentages = serializers.DictField(
        child=serializers.DecimalField(max_digits=6, decimal_places=2),
        required=False,
        help_text="Fixed percentages per municipality id, summing to 100.",
    )


class SimulatedMonthSerializer(serializers.Serializer[Any]):
    period = serializers.CharField()
    current = serializers.DecimalField(**MONEY)  # type: ignore[arg-type]
    simulated = serializers.DecimalField(**MONEY)  # type: ignore[arg-type]
    difference = serializers.DecimalField(**MONEY)  # type: ignore[arg-type]


class SimulatedMunicipalitySerializer(serializers.Serializer[Any]):
    municipality = serializers.IntegerField(source="municipality_id")
    name = serializers.CharField()
    current = serializers.DecimalField(**MONEY)  # type: ignore[arg-type]
    simulated = serializers.DecimalField(**MONEY)  # type: ignore[arg-type]
    difference = serializers.DecimalField(**MONEY)  # type: ignore[arg-type]
    months = SimulatedMonthSerializer(many=True)


class SimulationSerializer(serializers.Serializer[Any]):
    pool = serializers.IntegerField()
    year = serializers.IntegerField()
    method = serializers.CharField()
    municipalities = SimulatedMunicipalitySerializer(many=True)


class UsageRecordSerializer(serializers.ModelSerializer[UsageRecord]):
    amount = serializers.DecimalField(**MONEY, read_only=True)  # type: ignore[arg-type]
    unit_price = serializers.DecimalField(**MONEY, read_only=True)  # type: ignore[arg-type]

    class Meta:
        model = UsageRecord
        fields = [
            "id",
            "unit",
            "municipality",
            "cost_centre",
            "service",
            "description",
            "quantity",
            "unit_price",
            "amount",
            "used_on",
            "corrects",
            "is_credit",
        ]
        read_only_fields = fields


class UsageCreateSerializer(serializers.Serializer[Any]):
    unit = serializers.IntegerField(min_value=1)
    service = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=300, required=False, default="")
    quantity = serializers.DecimalField(max_digits=12, decimal_places=2)
    unit_price = serializers.DecimalField(max_digits=14, decimal_places=2)
    used_on = serializers.DateField()


class UsageCorrectSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=200)
    quantity = serializers.DecimalField(
        max_digits=12, decimal_places=2, required=False, allow_null=True,
        help_text="The right quantity; left out: the record is credited in full.",
    )  # fmt: skip


class UsageImportSerializer(serializers.Serializer[Any]):
    file = serializers.FileField()
    dry_run = serializers.BooleanField(default=True)


class ImportResultSerializer(serializers.Serializer[Any]):
    rows = serializers.IntegerField()
    written = serializers.IntegerField()
    dry_run = serializers.BooleanField()
    errors = serializers.ListField(child=serializers.DictField())  # type: ignore[assignment]


class BudgetSerializer(serializers.Serializer[Any]):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=Decimal(0))
    note = serializers.CharField(max_length=200, required=False, default="")


class KeySerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(read_only=True)
    method = serializers.ChoiceField(choices=KeyMethod.choices)
    valid_from = serializers.DateField()
    valid_to = serializers.DateField(required=False, allow_null=True, default=None)
    decision_reference = serializers.CharField(max_length=100)
    percentages = serializers.DictField(
        child=serializers.DecimalField(max_digits=6, decimal_places=2), required=False, default=dict
    )


class KeyEndSerializer(serializers.Serializer[Any]):
    key = serializers.IntegerField(min_value=1)
    valid_to = serializers.DateField()


class PoolSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField(help_text="shared or fund")
    description = serializers.CharField()
    budgets = BudgetSerializer(many=True, source="budgets.all")
    keys = KeySerializer(many=True, source="keys.all")


class SpendingSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(read_only=True)
    initiative = serializers.CharField(max_length=200)
    reference = serializers.CharField(max_length=100, required=False, default="")
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    spent_on = serializers.DateField()


class FundSerializer(serializers.Serializer[Any]):
    pool = serializers.IntegerField(source="pool.pk")
    balance = serializers.DecimalField(max_digits=14, decimal_places=2)
    spendings = SpendingSerializer(many=True)
