"""The system register's API under /api/v1/systems/: systems (list, read, register, correct,
classify), `duplicates/` (per capability the systems and municipalities), `coverage/`
(before buying: the systems covering the given capabilities) and `information-assets/` (list,
read, reclassify)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from itfabrik.core.api.serializers import NOT_FOUND, ErrorSerializer
from itfabrik.core.api.validation import parse_input
from itfabrik.core.errors import NotFound, ValidationFailed
from itfabrik.core.registry import current_cooperation
from itfabrik.systems import selectors, services
from itfabrik.systems.filters import SystemFilter
from itfabrik.systems.models import Capability, InformationAsset, System
from itfabrik.tenancy.models import Cooperation

from .serializers import (
    ClassifySerializer,
    CoverageSerializer,
    DuplicateSerializer,
    InformationAssetSerializer,
    SystemCreateSerializer,
    SystemSerializer,
    SystemUpdateSerializer,
)


def _coop(request: Request) -> Cooperation:
    coop = current_cooperation(request)
    if coop is None or not selectors.may_view(request.user):
        raise NotFound()
    return coop


def _capabilities(coop: Cooperation, ids: list[int]) -> list[Capability]:
    found = list(Capability.objects.filter(cooperation=coop, pk__in=ids))
    if len(found) != len(set(ids)):
        raise ValidationFailed(fields={"capabilities": [_("Okänd förmåga.")]})
    return found


@extend_schema(tags=["systems"])
@extend_schema_view(
    create=extend_schema(request=SystemCreateSerializer, responses={201: SystemSerializer}),
    partial_update=extend_schema(request=SystemUpdateSerializer, responses={200: SystemSerializer}),
)
class SystemViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[System]
):
    """Business systems with their uses per municipality, capabilities and KLASSA levels."""

    serializer_class = SystemSerializer
    filterset_class = SystemFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> Any:
        return selectors.system_list(actor=self.request.user)

    def get_object(self) -> System:
        return selectors.system_get(actor=self.request.user, pk=self.kwargs["pk"])

    def _out(self, system: System, code: int = status.HTTP_200_OK) -> Response:
        fresh = selectors.system_get(actor=self.request.user, pk=system.pk)
        return Response(SystemSerializer(fresh).data, status=code)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        coop = _coop(request)
        v = parse_input(SystemCreateSerializer, request.data)
        caps = _capabilities(coop, v.pop("capabilities"))
        system = services.system_create(
            actor=request.user, cooperation=coop, capabilities=caps, **v
        )
        return self._out(system, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        system = self.get_object()
        v = parse_input(SystemUpdateSerializer, request.data)
        version = v.pop("version")
        caps = None
        if "capabilities" in v:
            caps = _capabilities(_coop(request), v.pop("capabilities"))
        services.system_update(
            actor=request.user, system=system, expected_version=version, capabilities=caps, **v
        )
        return self._out(system)

    @extend_schema(request=ClassifySerializer, responses={200: SystemSerializer})
    @action(detail=True, methods=["post"], filterset_class=None, pagination_class=None)
    def classify(self, request: Request, pk: str | None = None) -> Response:
        """Set the KLASSA levels (each 0-4 or null; traceability only with personal data)."""
        system = self.get_object()
        v = parse_input(ClassifySerializer, request.data)
        version = v.pop("version")
        services.system_classify(actor=request.user, system=system, expected_version=version, **v)
        return self._out(system)

    @extend_schema(responses={200: DuplicateSerializer(many=True)})
    @action(detail=False, methods=["get"], filterset_class=None, pagination_class=None)
    def duplicates(self, request: Request) -> Response:
        """Per capability covered by more than one system in use: the systems (users,
        contract end, municipalities) and all municipalities concerned."""
        coop = _coop(request)
        rows = selectors.duplicate_report(actor=request.user, cooperation=coop)
        data = [
            {
                "capability": r.capability.name,
                "capability_id": r.capability.pk,
                "systems": [
                    {
                        "id": s.pk,
                        "name": s.name,
                        "contract_end": s.contract_end,
                        "users": sum(u.users for u in s.active_uses),  # type: ignore[attr-defined]
                        "municipalities": [u.municipality.name for u in s.active_uses],  # type: ignore[attr-defined]
                    }
                    for s in r.systems
                ],
                "municipalities": [m.name for m in r.municipalities],
                "users": r.users,
            }
            for r in rows
        ]
        return Response(DuplicateSerializer(data, many=True).data)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "capability", OpenApiTypes.INT, many=True, description="Planned capabilities (ids)."
            )
        ],
        responses={200: CoverageSerializer(many=True)},
    )
    @action(detail=False, methods=["get"], filterset_class=None, pagination_class=None)
    def coverage(self, request: Request) -> Response:
        """Before buying: the systems in use that already cover any of the capabilities."""
        coop = _coop(request)
        raw = request.query_params.getlist("capability")
        if not raw or not all(x.isdecimal() for x in raw):
            raise ValidationFailed(fields={"capability": [_("Ange förmågorna som id-nummer.")]})
        caps = _capabilities(coop, [int(x) for x in raw])
        rows = selectors.coverage_report(actor=request.user, cooperation=coop, capabilities=caps)
        data = [
            {
                "system": r.system.pk,
                "name": r.system.name,
                "covers": [c.name for c in r.covered],
                "share": round(r.share, 3),
                "municipalities": [u.municipality.name for u in r.system.active_uses],  # type: ignore[attr-defined]
                "contract_end": r.system.contract_end,
            }
            for r in rows
        ]
        return Response(CoverageSerializer(data, many=True).data)


@extend_schema(tags=["systems"])
class InformationAssetViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[InformationAsset]
):
    """Information assets of the cooperation with their KLASSA levels (seen with
    `view_systems` on the cooperation; reclassified with `classify`)."""

    serializer_class = InformationAssetSerializer
    filterset_class = None
    ordering_fields = ["name", "id"]
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return InformationAsset.objects.none()
        coop = _coop(self.request)
        return selectors.asset_list(actor=self.request.user, cooperation=coop)

    def get_object(self) -> InformationAsset:
        coop = _coop(self.request)
        asset = selectors.asset_get(actor=self.request.user, pk=self.kwargs["pk"])
        if asset.cooperation_id != coop.pk:
            raise NotFound()
        return asset

    @extend_schema(
        request=ClassifySerializer,
        responses={
            200: InformationAssetSerializer,
            400: OpenApiResponse(
                ErrorSerializer,
                description="En nivå utanför 0–4, eller spårbarhet utan personuppgifter / "
                "a level outside 0-4, or traceability without personal data",
            ),
            403: OpenApiResponse(
                ErrorSerializer,
                description="Får se men inte klassa / may see but not classify",
            ),
            404: NOT_FOUND,
            409: OpenApiResponse(ErrorSerializer, description="Inaktuell version / stale version"),
        },
    )
    @action(detail=True, methods=["post"], filterset_class=None, pagination_class=None)
    def classify(self, request: Request, pk: str | None = None) -> Response:
        """Reclassify the asset: each KLASSA level 0-4 or null (not assessed); traceability
        only with personal data. A refused call changes nothing; the change is audited."""
        asset = self.get_object()
        v = parse_input(ClassifySerializer, request.data)
        version = v.pop("version")
        services.asset_classify(actor=request.user, asset=asset, expected_version=version, **v)
        fresh = selectors.asset_get(actor=request.user, pk=asset.pk)
        return Response(InformationAssetSerializer(fresh).data)
