from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from itfabrik.economy.choices import FigureBasis
from itfabrik.economy.models import FIRST_YEAR, LAST_YEAR, BaselineFigures, Scenario


def _money(**kwargs: Any) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=16, decimal_places=2, **kwargs)


def _percent(**kwargs: Any) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=7, decimal_places=2, **kwargs)


class YearQuerySerializer(serializers.Serializer[Any]):
    year = serializers.IntegerField(min_value=FIRST_YEAR, max_value=LAST_YEAR, required=False)
    scenario = serializers.IntegerField(min_value=1, required=False)


class CategoryResultSerializer(serializers.Serializer[Any]):
    name = serializers.CharField()
    cost = _money()
    savings_percent = _percent()
    savings = _money()


class BaselineRowSerializer(serializers.Serializer[Any]):
    municipality = serializers.CharField()
    it_cost = _money(help_text="IT-enhetens kostnad: summan av kategorierna / sum of categories")
    net_cost = _money()
    it_share_percent = _percent(allow_null=True)
    benchmark_percent = _percent()
    benchmark_cost = _money()
    gap_to_benchmark = _money()
    categories = CategoryResultSerializer(many=True)
    savings_potential = _money()


class ScenarioRefSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()


class BaselineSerializer(serializers.Serializer[Any]):
    year = serializers.IntegerField()
    scenario = ScenarioRefSerializer(allow_null=True)
    municipalities = BaselineRowSerializer(many=True)
    total = BaselineRowSerializer()


class RateSerializer(serializers.Serializer[Any]):
    category = serializers.IntegerField(min_value=1)
    category_name = serializers.CharField(read_only=True)
    savings_percent = serializers.DecimalField(max_digits=12, decimal_places=2)


class ScenarioSerializer(serializers.ModelSerializer[Scenario]):
    rates = serializers.SerializerMethodField()
    version = serializers.IntegerField(read_only=True)  # bounds not from the database

    class Meta:
        model = Scenario
        fields = [
            "id",
            "name",
            "description",
            "benchmark_percent",
            "is_default",
            "is_active",
            "version",
            "rates",
        ]

    @extend_schema_field(RateSerializer(many=True))
    def get_rates(self, obj: Scenario) -> list[dict[str, Any]]:
        return [
            {
                "category": r.category_id,
                "category_name": r.category.name,
                "savings_percent": str(r.savings_percent),
            }
            for r in obj.rates.all()
        ]


class ScenarioWriteSerializer(serializers.Serializer[Any]):
    """Percentages are checked by the service (0–100), so that a wrong one is refused with the
    same message on the page and in the API."""

    name = serializers.CharField(max_length=120)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    benchmark_percent = serializers.DecimalField(max_digits=12, decimal_places=2, required=False)
    is_default = serializers.BooleanField(required=False, default=False)
    rates = RateSerializer(many=True, required=False)


class ScenarioUpdateSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(min_value=1)
    name = serializers.CharField(max_length=120, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    benchmark_percent = serializers.DecimalField(max_digits=12, decimal_places=2, required=False)
    is_default = serializers.BooleanField(required=False)
    is_active = serializers.BooleanField(required=False)
    rates = RateSerializer(many=True, required=False)


class TimelineQuerySerializer(serializers.Serializer[Any]):
    municipality = serializers.IntegerField(min_value=1, required=False)
    year_from = serializers.IntegerField(min_value=FIRST_YEAR, max_value=LAST_YEAR, required=False)
    year_to = serializers.IntegerField(min_value=FIRST_YEAR, max_value=LAST_YEAR, required=False)


class TimelinePointSerializer(serializers.Serializer[Any]):
    municipality = serializers.CharField()
    year = serializers.IntegerField()
    operating_cost = _money()
    investment_cost = _money()
    project_share = _money(help_text="Andel av årets gemensamma projektkostnader")
    total = _money()
    basis = serializers.ChoiceField(choices=FigureBasis.choices)


class TimelineSerializer(serializers.Serializer[Any]):
    project_costs = serializers.DictField(child=_money())
    points = TimelinePointSerializer(many=True)


class FollowUpQuerySerializer(serializers.Serializer[Any]):
    year = serializers.IntegerField(min_value=FIRST_YEAR, max_value=LAST_YEAR)
    baseline_year = serializers.IntegerField(
        min_value=FIRST_YEAR, max_value=LAST_YEAR, required=False
    )
    scenario = serializers.IntegerField(min_value=1, required=False)


class FollowUpRowSerializer(serializers.Serializer[Any]):
    municipality = serializers.CharField()
    baseline_cost = _money()
    savings_potential = _money()
    target_cost = _money()
    actual_cost = _money(allow_null=True)
    realised_savings = _money(allow_null=True)
    realised_percent = _percent(allow_null=True)
    on_target = serializers.BooleanField(allow_null=True)


class FollowUpSerializer(serializers.Serializer[Any]):
    year = serializers.IntegerField()
    baseline_year = serializers.IntegerField(allow_null=True)
    municipalities = FollowUpRowSerializer(many=True)
    total = FollowUpRowSerializer(allow_null=True)


class CostSerializer(serializers.Serializer[Any]):
    category = serializers.IntegerField(min_value=1)
    category_name = serializers.CharField(read_only=True)
    amount = serializers.DecimalField(max_digits=20, decimal_places=2)


class MunicipalityRefSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()


class FiguresSerializer(serializers.ModelSerializer[BaselineFigures]):
    """The inputs of a municipality's baseline for a year (the results: /economy/baseline/)."""

    municipality = MunicipalityRefSerializer()
    costs = serializers.SerializerMethodField()
    version = serializers.IntegerField(read_only=True)  # bounds not from the database

    class Meta:
        model = BaselineFigures
        fields = ["id", "municipality", "year", "net_cost", "source", "version", "costs"]

    @extend_schema_field(CostSerializer(many=True))
    def get_costs(self, obj: BaselineFigures) -> list[dict[str, Any]]:
        return [
            {"category": c.category_id, "category_name": c.category.name, "amount": str(c.amount)}
            for c in sorted(obj.costs.all(), key=lambda c: (c.category.position, c.category_id))
        ]


class FiguresUpdateSerializer(serializers.Serializer[Any]):
    """Amounts are checked by the service (not negative), with the same message as the page."""

    version = serializers.IntegerField(min_value=1)
    net_cost = serializers.DecimalField(max_digits=20, decimal_places=2, required=False)
    source = serializers.CharField(max_length=300, required=False, allow_blank=True)  # type: ignore[assignment]
    costs = CostSerializer(many=True, required=False)
