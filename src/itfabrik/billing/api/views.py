from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from itfabrik.billing import selectors, services
from itfabrik.billing.choices import RunStatus
from itfabrik.billing.filters import InvoiceFilter, UsageFilter
from itfabrik.billing.models import Invoice, UsageRecord
from itfabrik.core.api.serializers import NOT_FOUND
from itfabrik.core.api.validation import parse_input
from itfabrik.core.errors import NotFound
from itfabrik.core.registry import current_cooperation
from itfabrik.tenancy import selectors as tenancy_selectors

from .serializers import (
    ApproveSerializer,
    BudgetSerializer,
    FundSerializer,
    ImportResultSerializer,
    InvoiceSerializer,
    KeyEndSerializer,
    KeySerializer,
    PoolSerializer,
    RunCreateSerializer,
    RunResultSerializer,
    RunSerializer,
    SimulationRequestSerializer,
    SimulationSerializer,
    SpendingSerializer,
    UsageCorrectSerializer,
    UsageCreateSerializer,
    UsageImportSerializer,
    UsageRecordSerializer,
)

# Not found: the pool, or the actor's cooperation, is not there or not visible.


def _cooperation(request: Request) -> Any:
    coop = current_cooperation(request)
    if coop is None:
        raise NotFound()
    return coop


@extend_schema(tags=["billing"])
class InvoiceViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Invoice]
):
    """Invoice bases ("fakturaunderlag") per municipality and month, with their lines."""

    serializer_class = InvoiceSerializer
    filterset_class = InvoiceFilter
    ordering_fields = ["period", "id", "total"]
    ordering = ["-period", "municipality__name", "id"]

    def get_queryset(self) -> Any:
        return selectors.invoice_list(actor=self.request.user)

    def get_object(self) -> Invoice:
        return selectors.invoice_get(actor=self.request.user, pk=self.kwargs["pk"])

    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        # `?format=` names the export's file format here, not a DRF renderer.
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(request=ApproveSerializer, responses={200: InvoiceSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        """Approve (lock) a draft; the version read must still be current."""
        invoice = self.get_object()
        v = parse_input(ApproveSerializer, request.data)
        services.invoice_approve(actor=request.user, invoice=invoice, expected_version=v["version"])
        return Response(InvoiceSerializer(self.get_object()).data)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "format", str, enum=["csv", "xlsx", "pdf", "sie"], required=True,
                description="File format; sie marks an approved invoice exported.",
            )
        ],
        responses={
            (200, media): OpenApiTypes.BINARY
            for media in (
                "text/csv",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "application/pdf",
                "text/plain",  # SIE 4 in its own code page
            )
        },
    )  # fmt: skip
    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def export(self, request: Request, pk: str | None = None) -> HttpResponse:
        invoice = self.get_object()
        file = services.invoice_export(
            actor=request.user,
            invoice=invoice,
            file_format=str(request.query_params.get("format", "")),
        )
        response = HttpResponse(file.data, content_type=file.content_type)
        response["Content-Disposition"] = f'attachment; filename="{file.filename}"'
        return response


@extend_schema(tags=["billing"])
class RunViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Any]):
    """Monthly billing runs. POST starts one (finance): it creates or refreshes the drafts of
    the period; with an immediate task backend the answer carries the invoices produced."""

    serializer_class = RunSerializer
    ordering_fields = ["created_at", "id"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self) -> Any:
        return selectors.run_list(actor=self.request.user)

    def get_object(self) -> Any:
        return selectors.run_get(actor=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(request=RunCreateSerializer, responses={201: RunResultSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        v = parse_input(RunCreateSerializer, request.data)
        run = services.billing_run_start(
            actor=request.user, cooperation=_cooperation(request), period=v["period"]
        )
        invoices = (
            list(selectors.invoice_list(actor=request.user, period=run.period))
            if run.status == RunStatus.DONE
            else []
        )
        data = RunResultSerializer(run, context={"invoices": invoices}).data
        code = status.HTTP_201_CREATED if run.status == RunStatus.DONE else status.HTTP_202_ACCEPTED
        return Response(data, status=code)


@extend_schema(tags=["billing"])
class SimulationView(APIView):
    """Simulate an allocation key for a pool (Bas-IT by default) over a year: every member's
    current and simulated amount per month and for the year. Nothing is adopted."""

    @extend_schema(
        request=SimulationRequestSerializer,
        responses={200: SimulationSerializer, 404: NOT_FOUND},
    )
    def post(self, request: Request) -> Response:
        v = parse_input(SimulationRequestSerializer, request.data)
        pool = selectors.simulation_pool_get(
            actor=request.user, cooperation=_cooperation(request), pk=v.get("pool")
        )
        rows = selectors.key_simulation_report(
            actor=request.user,
            pool=pool,
            year=v["year"],
            method=v["method"],
            percentages={k: str(x) for k, x in (v.get("percentages") or {}).items()},
        )
        data = {"pool": pool.pk, "year": v["year"], "method": v["method"], "municipalities": rows}
        return Response(SimulationSerializer(data).data)


@extend_schema(tags=["billing"])
class UsageViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[UsageRecord]
):
    """Usage records ("per use": hours, on-site visits, deliveries) charged to a unit's cost
    centre. Never deleted: corrected by a credit and a new record."""

    serializer_class = UsageRecordSerializer
    filterset_class = UsageFilter
    ordering_fields = ["used_on", "id", "amount"]
    ordering = ["-used_on", "-id"]

    def get_queryset(self) -> Any:
        return selectors.usage_list(actor=self.request.user)

    def get_object(self) -> UsageRecord:
        from itfabrik.core.selectors import get_or_not_found

        return get_or_not_found(self.get_queryset(), self.kwargs["pk"])

    @extend_schema(request=UsageCreateSerializer, responses={201: UsageRecordSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        v = parse_input(UsageCreateSerializer, request.data)
        unit = tenancy_selectors.node_get(actor=request.user, pk=v.pop("unit"))
        record = services.usage_record(actor=request.user, unit=unit, **v)
        return Response(UsageRecordSerializer(record).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=UsageCorrectSerializer, responses={201: UsageRecordSerializer(many=True)}
    )
    @action(detail=True, methods=["post"], pagination_class=None, filterset_class=None)
    def correct(self, request: Request, pk: str | None = None) -> Response:
        """Credit the record in full, or credit it and record the right quantity."""
        record = self.get_object()
        v = parse_input(UsageCorrectSerializer, request.data)
        if v.get("quantity") is None:
            made = [services.usage_credit(actor=request.user, record=record, reason=v["reason"])]
        else:
            made = list(
                services.usage_correct(
                    actor=request.user, record=record, reason=v["reason"], quantity=v["quantity"]
                )
            )
        return Response(UsageRecordSerializer(made, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=UsageImportSerializer, responses={200: ImportResultSerializer, 404: NOT_FOUND}
    )
    @action(detail=False, methods=["post"], url_path="import", filterset_class=None)
    def import_csv(self, request: Request) -> Response:
        """CSV import: a dry run lists every bad row; a real run writes all rows or none."""
        v = parse_input(UsageImportSerializer, request.data)
        result = services.usage_import_csv(
            actor=request.user,
            cooperation=_cooperation(request),
            data=v["file"].read(),
            dry_run=v["dry_run"],
        )
        return Response(ImportResultSerializer(result).data)


@extend_schema(tags=["billing"])
class PoolViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Any]):
    """Cost pools (Bas-IT, the digitalisation fund) with their yearly budgets and the versions
    of their allocation keys; finance and the cooperation administrator manage them."""

    serializer_class = PoolSerializer
    pagination_class = None
    filterset_class = None

    def get_queryset(self) -> Any:
        return selectors.pool_list(actor=self.request.user)

    def get_object(self) -> Any:
        return selectors.pool_get(actor=self.request.user, pk=self.kwargs["pk"])

    def _out(self) -> Response:
        return Response(PoolSerializer(self.get_object()).data)

    @extend_schema(request=BudgetSerializer, responses={200: PoolSerializer})
    @action(detail=True, methods=["post"])
    def budgets(self, request: Request, pk: str | None = None) -> Response:
        """Set the budget of a year (insert or change)."""
        v = parse_input(BudgetSerializer, request.data)
        services.budget_set(actor=request.user, pool=self.get_object(), **v)
        return self._out()

    @extend_schema(request=KeySerializer, responses={200: PoolSerializer})
    @action(detail=True, methods=["post"])
    def keys(self, request: Request, pk: str | None = None) -> Response:
        """Adopt a new version of the allocation key (whole months, never overlapping)."""
        v = parse_input(KeySerializer, request.data)
        v["percentages"] = {k: str(x) for k, x in v["percentages"].items()}
        services.key_adopt(actor=request.user, pool=self.get_object(), **v)
        return self._out()

    @extend_schema(request=KeyEndSerializer, responses={200: PoolSerializer})
    @action(detail=True, methods=["post"], url_path="end-key")
    def end_key(self, request: Request, pk: str | None = None) -> Response:
        """End an allocation key at the end of a month, so that a new version can follow."""
        pool = self.get_object()
        v = parse_input(KeyEndSerializer, request.data)
        key = pool.keys.filter(pk=v["key"]).first()
        if key is None:
            raise NotFound()
        services.key_end(actor=request.user, key=key, valid_to=v["valid_to"])
        return self._out()

    @extend_schema(request=SpendingSerializer, responses={200: FundSerializer}, methods=["POST"])
    @extend_schema(responses={200: FundSerializer}, methods=["GET"])
    @action(detail=True, methods=["get", "post"])
    def fund(self, request: Request, pk: str | None = None) -> Response:
        """The fund's balance (contributions on approved invoices less spending) and its
        spending; POST records spending on an initiative (refused beyond the balance)."""
        pool = self.get_object()
        if request.method == "POST":
            v = parse_input(SpendingSerializer, request.data)
            services.fund_spend(actor=request.user, pool=pool, **v)
        return Response(FundSerializer(selectors.fund_summary(actor=request.user, pool=pool)).data)
