"""The device register's API under /api/v1/assets/: the device list (filters `municipality`,
`state`, `kind`, ordering `lease_end`), a device with its history, registration, correction and
lifecycle transitions; the import of a device-management export (dry run and real run); the
refresh forecast per quarter; the compliance counts of a municipality; leases. An object in the
address that the actor may not see is a 404."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from itfabrik.assets import imports, rules, selectors, services
from itfabrik.assets.filters import DeviceFilter, LeaseFilter
from itfabrik.assets.models import ChargeMapping, Device, Lease
from itfabrik.core.api.serializers import NOT_FOUND
from itfabrik.core.api.validation import FilterBackend, parse_input
from itfabrik.core.errors import NotFound, ValidationFailed
from itfabrik.core.registry import current_cooperation
from itfabrik.core.selectors import get_or_not_found
from itfabrik.tenancy import selectors as tenancy_selectors

from .serializers import (
    ChargeMappingSerializer,
    ChargeMappingSetSerializer,
    ComplianceQuerySerializer,
    ComplianceSerializer,
    DeviceCreateSerializer,
    DeviceEventSerializer,
    DeviceImportResultSerializer,
    DeviceSerializer,
    DeviceUpdateSerializer,
    ForecastQuerySerializer,
    ImportSerializer,
    LeaseSerializer,
    QuarterSerializer,
    TransitionSerializer,
)

ORDERING = OpenApiParameter(
    "ordering",
    str,
    enum=sorted(selectors.ORDERINGS),
    description="Sortering; standard är lease_end (tidigast först, utan slutdatum sist).",
)


def _cooperation(request: Request) -> Any:
    coop = current_cooperation(request)
    if coop is None:
        raise NotFound()
    return coop


def _ref(errors: dict[str, list[Any]], name: str, fetch: Any) -> Any:
    try:
        return fetch()
    except NotFound:
        errors[name] = [_("Hittades inte.")]
        return None


@extend_schema(tags=["assets"])
@extend_schema_view(
    list=extend_schema(parameters=[ORDERING]),
    create=extend_schema(request=DeviceCreateSerializer, responses={201: DeviceSerializer}),
    partial_update=extend_schema(
        request=DeviceUpdateSerializer,
        responses={200: DeviceSerializer},
        description=(
            "Correct a device. `owner_unit` moves it to another owning unit (cost centre) from "
            "`moved_on`, recorded as a step of its history and audited, as the web form does; "
            "the caller must manage devices in both municipalities. `model` gives it another "
            "model of the catalogue from `model_changed_on`, a step of its history as well. "
            "A device the caller may not see is a 404; a new unit they may not see or not move "
            "devices to is a 400; "
            "a caller who sees the device but may not manage it gets a 403. Nothing is changed "
            "when refused."
        ),
    ),
)
class DeviceViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Device]
):
    """Devices of the municipalities the actor may see, soonest lease end first."""

    serializer_class = DeviceSerializer
    filterset_class = DeviceFilter
    filter_backends = [FilterBackend]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> Any:
        ordering = self.request.query_params.get("ordering") or None
        if ordering is not None and ordering not in selectors.ORDERINGS:
            raise ValidationFailed(fields={"ordering": [_("Okänd sortering.")]})
        return selectors.device_list(actor=self.request.user, ordering=ordering)

    def get_object(self) -> Device:
        return selectors.device_get(actor=self.request.user, pk=self.kwargs["pk"])

    def _out(self, device: Device, code: int = status.HTTP_200_OK) -> Response:
        fresh = selectors.device_get(actor=self.request.user, pk=device.pk)
        return Response(DeviceSerializer(fresh).data, status=code)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        v = parse_input(DeviceCreateSerializer, request.data)
        actor = request.user
        errors: dict[str, list[Any]] = {}
        model = _ref(errors, "model", lambda: selectors.model_get(actor=actor, pk=v["model"]))
        unit = _ref(
            errors,
            "owner_unit",
            lambda: tenancy_selectors.node_get(actor=actor, pk=v["owner_unit"]),
        )
        lease = None
        if v["lease"] is not None:
            lease = _ref(errors, "lease", lambda: selectors.lease_get(actor=actor, pk=v["lease"]))
        if errors:
            raise ValidationFailed(fields=errors)
        device = services.device_create(
            actor=actor,
            model=model,
            owner_unit=unit,
            lease=lease,
            **{k: v[k] for k in v if k not in ("model", "owner_unit", "lease")},
        )
        return self._out(device, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        device = self.get_object()
        v = parse_input(DeviceUpdateSerializer, request.data)
        version = v.pop("version")
        moved_on = v.pop("moved_on", None)
        if "owner_unit" in v:
            errors: dict[str, list[Any]] = {}
            unit = _ref(
                errors,
                "owner_unit",
                lambda: tenancy_selectors.node_get(actor=request.user, pk=v["owner_unit"]),
            )
            if errors:
                raise ValidationFailed(fields=errors)
            v["owner_unit"] = unit
        elif moved_on is not None:
            raise ValidationFailed(
                fields={"moved_on": [_("Ange datumet bara när enheten byter ägande enhet.")]}
            )
        model_changed_on = v.pop("model_changed_on", None)
        if "model" in v:
            errors = {}
            model = _ref(
                errors, "model", lambda: selectors.model_get(actor=request.user, pk=v["model"])
            )
            if errors:
                raise ValidationFailed(fields=errors)
            v["model"] = model
        elif model_changed_on is not None:
            raise ValidationFailed(
                fields={"model_changed_on": [_("Ange datumet bara när enheten byter modell.")]}
            )
        services.device_update(
            actor=request.user,
            device=device,
            expected_version=version,
            moved_on=moved_on,
            model_changed_on=model_changed_on,
            **v,
        )
        return self._out(device)

    @extend_schema(request=TransitionSerializer, responses={200: DeviceSerializer})
    @action(detail=True, methods=["post"], filterset_class=None, pagination_class=None)
    def transition(self, request: Request, pk: str | None = None) -> Response:
        """Move the device one step of its lifecycle; a step the table does not allow is a 400
        naming the allowed ones."""
        device = self.get_object()
        v = parse_input(TransitionSerializer, request.data)
        services.device_transition(
            actor=request.user,
            device=device,
            expected_version=v["version"],
            target=v["target"],
            occurred_on=v["occurred_on"],
            note=v["note"],
            certificate=v["certificate"],
        )
        return self._out(device)

    @extend_schema(responses={200: DeviceEventSerializer(many=True)})
    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def history(self, request: Request, pk: str | None = None) -> Response:
        device = self.get_object()
        events = selectors.device_event_list(actor=request.user, device=device)
        return Response(DeviceEventSerializer(events, many=True).data)

    @extend_schema(
        request={"multipart/form-data": ImportSerializer},
        responses={200: DeviceImportResultSerializer, 404: NOT_FOUND},
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        filterset_class=None,
        pagination_class=None,
        parser_classes=[MultiPartParser, FormParser],
    )
    def import_file(self, request: Request) -> Response:
        """Import a device-management export (CSV or XLSX with Intune's columns). `dry_run`
        (the default) gives every row's line, action and errors; a real run writes all rows or,
        with any error, none (a 400 naming the lines)."""
        v = parse_input(ImportSerializer, request.data)
        municipality = None
        if v["municipality"] is not None:
            municipality = get_or_not_found(
                selectors.municipality_list(actor=request.user), v["municipality"]
            )
        upload = v["file"]
        result = imports.import_run(
            actor=request.user,
            cooperation=_cooperation(request),
            data=upload.read(),
            file_name=getattr(upload, "name", "") or "",
            dry_run=v["dry_run"],
            municipality=municipality,
        )
        return Response(
            DeviceImportResultSerializer(
                {
                    "dry_run": result.dry_run,
                    "written": result.written,
                    "counts": result.counts,
                    "rows": [r.as_dict() for r in result.rows],
                }
            ).data
        )

    @extend_schema(
        parameters=[ForecastQuerySerializer], responses={200: QuarterSerializer(many=True)}
    )
    @action(detail=False, methods=["get"], filterset_class=None, pagination_class=None)
    def forecast(self, request: Request) -> Response:
        """Per quarter of the coming three years: the devices due for replacement (lease end or
        end of support) and their cost at catalogue prices, and the plan that keeps every
        quarter within the band (`planned_count`, `planned_cost`, `band`)."""
        v = parse_input(ForecastQuerySerializer, request.query_params)
        municipality = get_or_not_found(
            selectors.municipality_list(actor=request.user, action="assets.view_planning"),
            v["municipality"],
        )
        report = selectors.forecast_report(actor=request.user, municipality=municipality)
        rows = [
            {**r, "band": report["cap"]}
            for r in report["rows"]
            if v["year"] is None or r["year"] == v["year"]
        ]
        return Response(QuarterSerializer(rows, many=True).data)

    @extend_schema(
        parameters=[ComplianceQuerySerializer],
        responses={200: ComplianceSerializer, 404: NOT_FOUND},
    )
    @action(detail=False, methods=["get"], filterset_class=None, pagination_class=None)
    def compliance(self, request: Request) -> Response:
        """The policy's findings in a municipality: devices in use, and per rule how many break
        it and how many an exception in force covers."""
        v = parse_input(ComplianceQuerySerializer, request.query_params)
        municipality = selectors.municipality_get(actor=request.user, pk=v["municipality"])
        summary = selectors.compliance_summary(actor=request.user, municipality=municipality)
        return Response(
            ComplianceSerializer(
                {
                    "municipality": municipality.pk,
                    "in_use": summary["in_use"],
                    "findings": {r: summary[r] for r in rules.RULES},
                    "excepted": {r: summary[f"{r}__excepted"] for r in rules.RULES},
                }
            ).data
        )


@extend_schema(tags=["assets"])
class LeaseViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Lease]
):
    """Lease contracts with their number of devices, soonest end first."""

    serializer_class = LeaseSerializer
    filterset_class = LeaseFilter
    filter_backends = [FilterBackend]

    def get_queryset(self) -> Any:
        return selectors.lease_list(actor=self.request.user)

    def get_object(self) -> Lease:
        return get_or_not_found(selectors.lease_list(actor=self.request.user), self.kwargs["pk"])


@extend_schema(tags=["assets"])
@extend_schema_view(
    create=extend_schema(
        request=ChargeMappingSetSerializer, responses={200: ChargeMappingSerializer}
    ),
    destroy=extend_schema(responses={204: None, 404: NOT_FOUND}),
)
class ChargeMappingViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet[ChargeMapping],
):
    """Which catalogue service deployed devices are charged through, per kind or per model (a
    model's mapping wins); `service` null: not charged. POST sets the kind's (or the model's)
    mapping; DELETE stops using one (kept, inactive)."""

    serializer_class = ChargeMappingSerializer
    http_method_names = ["get", "post", "delete", "head", "options"]

    def get_queryset(self) -> Any:
        return selectors.charge_mapping_list(actor=self.request.user)

    def get_object(self) -> ChargeMapping:
        return selectors.charge_mapping_get(actor=self.request.user, pk=self.kwargs["pk"])

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        from itfabrik.catalog.models import Service

        coop = _cooperation(request)
        v = parse_input(ChargeMappingSetSerializer, request.data)
        errors: dict[str, list[Any]] = {}
        model = None
        if v["model"] is not None:
            model = _ref(
                errors, "model", lambda: selectors.model_get(actor=request.user, pk=v["model"])
            )
        service = None
        if v["service"] is not None:
            service = Service.objects.filter(cooperation=coop, pk=v["service"]).first()
            if service is None:
                errors["service"] = [_("Hittades inte.")]
        if model is None and not v["kind"] and "model" not in errors:
            errors["kind"] = [_("Ange enhetstyp eller modell.")]
        if errors:
            raise ValidationFailed(fields=errors)
        mapping = services.charge_mapping_set(
            actor=request.user, cooperation=coop, kind=v["kind"], model=model, service=service
        )
        fresh = selectors.charge_mapping_get(actor=request.user, pk=mapping.pk)
        return Response(ChargeMappingSerializer(fresh).data)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        mapping = self.get_object()
        services.charge_mapping_remove(actor=request.user, mapping=mapping, expected_version=None)
        return Response(status=status.HTTP_204_NO_CONTENT)
