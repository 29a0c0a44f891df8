"""The economy API under /api/v1/economy/: the baseline of a year (computed, per visible
municipality and in total), the scenarios it is read with (list, create, adjust, close), the
timeline of operating, investment and shared project costs, and the follow-up against billing.
A scenario the actor may not see is a 404; a scenario share outside 0–100 % a 400 naming it."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from itfabrik.core.api.serializers import NOT_FOUND, ErrorSerializer
from itfabrik.core.api.validation import parse_input
from itfabrik.core.errors import NotFound, ValidationFailed
from itfabrik.core.registry import current_cooperation
from itfabrik.economy import rules, selectors, services
from itfabrik.economy.filters import BaselineFilter, ScenarioFilter
from itfabrik.economy.models import BaselineFigures, Scenario

from .serializers import (
    BaselineSerializer,
    FiguresSerializer,
    FiguresUpdateSerializer,
    FollowUpQuerySerializer,
    FollowUpSerializer,
    ScenarioSerializer,
    ScenarioUpdateSerializer,
    ScenarioWriteSerializer,
    TimelineQuerySerializer,
    TimelineSerializer,
    YearQuerySerializer,
)

BAD_INPUT = OpenApiResponse(ErrorSerializer, description="Ogiltiga uppgifter / invalid input")


def _cooperation(request: Request) -> Any:
    coop = current_cooperation(request)
    if not selectors.may_view_cooperation(request.user, coop):
        raise NotFound()
    return coop


def _scenario(request: Request, coop: Any, pk: Any) -> Scenario | None:
    if pk is None:
        return None
    try:
        return selectors.scenario_get(actor=request.user, cooperation=coop, pk=pk)
    except NotFound:
        raise ValidationFailed(fields={"scenario": [_("Okänt scenario.")]}) from None


def row_data(row: rules.BaselineRow) -> dict[str, Any]:
    return {
        "municipality": row.municipality,
        "it_cost": row.it_cost,
        "net_cost": row.net_cost,
        "it_share_percent": row.it_share_percent,
        "benchmark_percent": row.benchmark_percent,
        "benchmark_cost": row.benchmark_cost,
        "gap_to_benchmark": row.gap_to_benchmark,
        "categories": [
            {
                "name": c.name,
                "cost": c.cost,
                "savings_percent": c.savings_percent,
                "savings": c.savings,
            }
            for c in row.categories
        ],
        "savings_potential": row.savings_potential,
    }


@extend_schema(
    tags=["economy"],
    parameters=[YearQuerySerializer],
    responses={200: BaselineSerializer, 400: BAD_INPUT, 404: NOT_FOUND},
)
class BaselineView(APIView):
    """The economic baseline of a year (default: the latest with figures) per municipality the
    actor may see, and their total: the IT unit's cost (the sum of its categories), the net
    cost, the IT share of it, the cost at the benchmark share and the gap to it, and the savings
    per category with the savings potential. Read with `scenario` (default: the cooperation's
    default scenario). Amounts are decimal strings in SEK; shares in per cent."""

    def get(self, request: Request) -> Response:
        coop = _cooperation(request)
        v = parse_input(YearQuerySerializer, request.query_params)
        year = v.get("year")
        if year is None:
            years = selectors.baseline_year_list(actor=request.user, cooperation=coop)
            year = years[0] if years else rules.DEFAULT_YEAR
        scenario = _scenario(request, coop, v.get("scenario"))
        report = selectors.baseline_report(
            actor=request.user, cooperation=coop, year=year, scenario=scenario
        )
        s = report.settings.scenario
        data = {
            "year": year,
            "scenario": None if s is None else {"id": s.pk, "name": s.name},
            "municipalities": [row_data(r) for r in report.result.rows],
            "total": row_data(report.result.total),
        }
        return Response(BaselineSerializer(data).data)


@extend_schema(tags=["economy"])
@extend_schema_view(
    create=extend_schema(
        request=ScenarioWriteSerializer, responses={201: ScenarioSerializer, 400: BAD_INPUT}
    ),
    partial_update=extend_schema(
        request=ScenarioUpdateSerializer,
        responses={200: ScenarioSerializer, 400: BAD_INPUT, 404: NOT_FOUND},
    ),
)
class ScenarioViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Scenario]
):
    """Scenarios: the benchmark share of net cost and the savings percentage per category that
    the baseline is read with. Finance, the cooperation administrator and the portfolio manager
    create and adjust them; a share below 0 or above 100 % is refused and nothing changes.
    Closing is `is_active=false`."""

    serializer_class = ScenarioSerializer
    filterset_class = ScenarioFilter
    ordering_fields = ["name", "id"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # the schema generator, no request
            return Scenario.objects.none()
        return selectors.scenario_list(
            actor=self.request.user, cooperation=_cooperation(self.request)
        )

    def get_object(self) -> Scenario:
        return selectors.scenario_get(
            actor=self.request.user, cooperation=_cooperation(self.request), pk=self.kwargs["pk"]
        )

    def _out(self, scenario: Scenario, code: int = status.HTTP_200_OK) -> Response:
        fresh = selectors.scenario_get(
            actor=self.request.user, cooperation=scenario.cooperation, pk=scenario.pk
        )
        return Response(ScenarioSerializer(fresh).data, status=code)

    @staticmethod
    def _rates(v: dict[str, Any]) -> dict[int, Any] | None:
        if "rates" not in v:
            return None
        return {r["category"]: r["savings_percent"] for r in v["rates"]}

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        coop = _cooperation(request)
        v = parse_input(ScenarioWriteSerializer, request.data)
        scenario = services.scenario_create(
            actor=request.user,
            cooperation=coop,
            name=v["name"],
            description=v["description"],
            benchmark_percent=v.get("benchmark_percent", rules.DEFAULT_BENCHMARK_PERCENT),
            rates=self._rates(v),
            is_default=v["is_default"],
        )
        return self._out(scenario, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        scenario = self.get_object()
        v = parse_input(ScenarioUpdateSerializer, request.data)
        services.scenario_update(
            actor=request.user,
            scenario=scenario,
            expected_version=v["version"],
            name=v.get("name"),
            description=v.get("description"),
            benchmark_percent=v.get("benchmark_percent"),
            rates=self._rates(v),
            is_default=v.get("is_default"),
            is_active=v.get("is_active"),
        )
        return self._out(scenario)


@extend_schema(
    tags=["economy"],
    parameters=[TimelineQuerySerializer],
    responses={200: TimelineSerializer, 400: BAD_INPUT, 404: NOT_FOUND},
)
class TimelineView(APIView):
    """Operating and investment costs per municipality and year, each with its share of the
    year's shared project costs (split equally between the municipalities on the timeline)."""

    def get(self, request: Request) -> Response:
        coop = _cooperation(request)
        v = parse_input(TimelineQuerySerializer, request.query_params)
        report = selectors.timeline_report(actor=request.user, cooperation=coop, **v)
        data = {
            "project_costs": {str(y): a for y, a in report.project_costs.items()},
            "points": [
                {
                    "municipality": p.municipality,
                    "year": p.year,
                    "operating_cost": p.operating_cost,
                    "investment_cost": p.investment_cost,
                    "project_share": p.project_share,
                    "total": p.total,
                    "basis": report.entry(p).basis,
                }
                for p in report.points
            ],
        }
        return Response(TimelineSerializer(data).data)


def followup_row_data(row: rules.FollowUpRow) -> dict[str, Any]:
    return {
        "municipality": row.municipality,
        "baseline_cost": row.baseline_cost,
        "savings_potential": row.savings_potential,
        "target_cost": row.target_cost,
        "actual_cost": row.actual_cost,
        "realised_savings": row.realised_savings,
        "realised_percent": row.realised_percent,
        "on_target": row.on_target,
    }


@extend_schema(
    tags=["economy"],
    parameters=[FollowUpQuerySerializer],
    responses={200: FollowUpSerializer, 400: BAD_INPUT, 404: NOT_FOUND},
)
class FollowUpView(APIView):
    """The year's invoiced costs (approved and exported invoices of billing) per municipality
    against the baseline (default: the latest baseline year up to `year`) and its target, the
    baseline less the savings potential: is the cooperation realising the savings?"""

    def get(self, request: Request) -> Response:
        coop = _cooperation(request)
        v = parse_input(FollowUpQuerySerializer, request.query_params)
        report = selectors.followup_report(
            actor=request.user,
            cooperation=coop,
            year=v["year"],
            baseline_year=v.get("baseline_year"),
            scenario=_scenario(request, coop, v.get("scenario")),
        )
        data = {
            "year": report.year,
            "baseline_year": report.baseline_year,
            "municipalities": [followup_row_data(r) for _m, r in report.rows],
            "total": None if report.total is None else followup_row_data(report.total),
        }
        return Response(FollowUpSerializer(data).data)


@extend_schema(tags=["economy"])
@extend_schema_view(
    partial_update=extend_schema(
        request=FiguresUpdateSerializer,
        responses={200: FiguresSerializer, 400: BAD_INPUT, 404: NOT_FOUND, 409: BAD_INPUT},
    ),
)
class FiguresViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[BaselineFigures]
):
    """The baseline's inputs per municipality and year: the net cost and the IT unit's cost per
    category. Finance and the cooperation administrator correct them (`version` from the last
    read; categories not named keep their amounts); every correction is audited."""

    serializer_class = FiguresSerializer
    filterset_class = BaselineFilter
    ordering_fields = ["year", "id"]
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # the schema generator, no request
            return BaselineFigures.objects.none()
        return selectors.figures_list(
            actor=self.request.user, cooperation=_cooperation(self.request)
        )

    def get_object(self) -> BaselineFigures:
        return selectors.figures_get(
            actor=self.request.user, cooperation=_cooperation(self.request), pk=self.kwargs["pk"]
        )

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        figures = self.get_object()
        v = parse_input(FiguresUpdateSerializer, request.data)
        services.figures_update(
            actor=request.user,
            figures=figures,
            expected_version=v["version"],
            net_cost=v.get("net_cost"),
            costs={c["category"]: c["amount"] for c in v.get("costs", [])},
            source=v.get("source"),
        )
        fresh = selectors.figures_get(
            actor=request.user, cooperation=figures.cooperation, pk=figures.pk
        )
        return Response(FiguresSerializer(fresh).data)
