"""The network API under /api/v1/network/: names (validate, next free), the standard (pattern,
municipality codes, device types, VLAN plan, SSIDs), sites, devices and VLANs with their CSV
export and import in NetBox's layout, and the conformance report. Objects named in the body that
the actor may not see are a 400 on that field; an object in the address they may not see is a
404."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from itfabrik.core.actors import Actor
from itfabrik.core.api.serializers import NOT_FOUND
from itfabrik.core.api.validation import parse_input
from itfabrik.core.errors import NotFound, ValidationFailed
from itfabrik.core.registry import current_cooperation
from itfabrik.network import exports, selectors, services
from itfabrik.network.filters import DeviceFilter, SiteFilter, VlanFilter
from itfabrik.network.models import DeviceType, MunicipalityCode, Site, Ssid, StandardVlan
from itfabrik.tenancy.models import Cooperation

from . import serializers as s


def _cooperation(request: Request) -> Cooperation:
    coop = current_cooperation(request)
    if coop is None:
        raise NotFound()
    return coop


def _ref(errors: dict[str, list[Any]], name: str, fetch: Any) -> Any:
    try:
        return fetch()
    except NotFound:
        errors[name] = [_("Finns inte.")]
        return None


def _site(actor: Actor, pk: Any, errors: dict[str, list[Any]], name: str = "site") -> Site | None:
    return _ref(errors, name, lambda: selectors.site_get(actor=actor, pk=pk))


def _type(
    actor: Actor, coop: Cooperation, pk: Any, errors: dict[str, list[Any]]
) -> DeviceType | None:
    return _ref(
        errors,
        "device_type",
        lambda: selectors.device_type_get(actor=actor, cooperation=coop, pk=pk),
    )


def _checked_out(checked: Any) -> dict[str, Any]:
    return {
        "name": checked.name,
        "valid": checked.valid,
        "parts": checked.parts,
        "errors": {k: [str(m) for m in v] for k, v in services.checked_messages(checked).items()},
        "error_codes": checked.errors,
    }


@extend_schema(
    tags=["network"],
    request=s.NameValidateSerializer,
    responses={200: s.NameCheckedSerializer, 404: NOT_FOUND},
)
class NameValidateView(APIView):
    """Check a name against the naming standard: `valid`, the parts as found and, per part
    (`municipality`, `site`, `type`, `number`, or `name` for the whole), what is wrong. Given a
    `site` and `device_type`, the name must also fit them."""

    def post(self, request: Request) -> Response:
        coop = _cooperation(request)
        selectors.naming_standard_get(actor=request.user, cooperation=coop)
        v = parse_input(s.NameValidateSerializer, request.data)
        errors: dict[str, list[Any]] = {}
        site = _site(request.user, v["site"], errors) if v.get("site") else None
        kind = _type(request.user, coop, v["device_type"], errors) if v.get("device_type") else None
        if errors:
            raise ValidationFailed(fields=errors)
        checked = services.name_check(cooperation=coop, name=v["name"], site=site, device_type=kind)
        return Response(_checked_out(checked))


@extend_schema(
    tags=["network"],
    request=s.NameNextSerializer,
    responses={200: s.NextNameSerializer, 404: NOT_FOUND},
)
class NameNextView(APIView):
    """The next free name for the parts given by their codes (`municipality`, `site`, `type`).
    A proposal: create the device without a name to take the next free name for good."""

    def post(self, request: Request) -> Response:
        coop = _cooperation(request)
        v = parse_input(s.NameNextSerializer, request.data)
        site, kind = _parts(request.user, coop, v)
        return Response(
            {"name": services.name_next(actor=request.user, site=site, device_type=kind)}
        )


def _parts(actor: Actor, coop: Cooperation, v: dict[str, Any]) -> tuple[Site, DeviceType]:
    errors: dict[str, list[Any]] = {}
    code = MunicipalityCode.objects.filter(
        cooperation=coop, code__iexact=v["municipality"].strip()
    ).first()
    visible = selectors.municipality_list(actor=actor, cooperation=coop)
    if code is None or not visible.filter(pk=code.municipality_id).exists():
        errors["municipality"] = [services.name_message("municipality", "unknown")]
    site = None
    if code is not None:
        site = (
            selectors.site_list(actor=actor, cooperation=coop)
            .filter(municipality_id=code.municipality_id, code__iexact=v["site"].strip())
            .first()
        )
    if site is None:
        errors["site"] = [services.name_message("site", "unknown")]
    kind = (
        selectors.device_type_list(actor=actor, cooperation=coop)
        .filter(code__iexact=v["type"].strip())
        .first()
    )
    if kind is None:
        errors["type"] = [services.name_message("type", "unknown")]
    if errors:
        raise ValidationFailed(fields=errors)
    assert site is not None
    assert kind is not None
    return site, kind


@extend_schema(tags=["network"])
class StandardView(APIView):
    """The cooperation's naming pattern and municipality codes. PATCH changes the pattern
    (`version` as read; 0 when none is saved yet)."""

    def _out(self, request: Request, coop: Cooperation) -> Response:
        standard = selectors.naming_standard_get(actor=request.user, cooperation=coop)
        codes = selectors.municipality_code_list(actor=request.user, cooperation=coop)
        return Response(
            {
                "pattern": standard.pattern,
                "version": standard.version,
                "municipality_codes": [
                    {
                        "municipality": c["municipality"].pk,
                        "name": c["municipality"].name,
                        "code": c["code"],
                    }
                    for c in codes
                ],
            }
        )

    @extend_schema(responses={200: s.StandardSerializer, 404: NOT_FOUND})
    def get(self, request: Request) -> Response:
        return self._out(request, _cooperation(request))

    @extend_schema(
        request=s.PatternUpdateSerializer, responses={200: s.StandardSerializer, 404: NOT_FOUND}
    )
    def patch(self, request: Request) -> Response:
        coop = _cooperation(request)
        v = parse_input(s.PatternUpdateSerializer, request.data)
        services.naming_pattern_set(
            actor=request.user,
            cooperation=coop,
            pattern=v["pattern"],
            expected_version=v["version"] or None,
        )
        return self._out(request, coop)


@extend_schema(
    tags=["network"],
    request=s.MunicipalityCodeSerializer,
    responses={200: s.StandardSerializer, 404: NOT_FOUND},
)
class MunicipalityCodeView(APIView):
    """Set a municipality's code in network names."""

    def post(self, request: Request) -> Response:
        coop = _cooperation(request)
        v = parse_input(s.MunicipalityCodeSerializer, request.data)
        muni = (
            selectors.municipality_list(actor=request.user, cooperation=coop)
            .filter(pk=v["municipality"])
            .first()
        )
        if muni is None:
            raise ValidationFailed(fields={"municipality": [_("Finns inte.")]})
        services.municipality_code_set(actor=request.user, municipality=muni, code=v["code"])
        return StandardView()._out(request, coop)


class _Versioned(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Any]):
    http_method_names = ["get", "post", "patch", "head", "options"]


@extend_schema(tags=["network"])
@extend_schema_view(
    create=extend_schema(
        request=s.DeviceTypeCreateSerializer, responses={201: s.DeviceTypeSerializer}
    ),
    partial_update=extend_schema(
        request=s.DeviceTypeUpdateSerializer, responses={200: s.DeviceTypeSerializer}
    ),
)
class DeviceTypeViewSet(_Versioned):
    """Device types of the naming standard (NetBox's device role): code and name."""

    serializer_class = s.DeviceTypeSerializer
    filterset_class = None

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return DeviceType.objects.none()
        return selectors.device_type_list(
            actor=self.request.user, cooperation=_cooperation(self.request)
        )

    def get_object(self) -> Any:
        return selectors.device_type_get(
            actor=self.request.user, cooperation=_cooperation(self.request), pk=self.kwargs["pk"]
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        v = parse_input(s.DeviceTypeCreateSerializer, request.data)
        obj = services.device_type_create(
            actor=request.user, cooperation=_cooperation(request), **v
        )
        return Response(s.DeviceTypeSerializer(obj).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        obj = self.get_object()
        v = parse_input(s.DeviceTypeUpdateSerializer, request.data)
        version = v.pop("version")
        obj = services.device_type_update(
            actor=request.user, device_type=obj, expected_version=version, **v
        )
        return Response(s.DeviceTypeSerializer(obj).data)


@extend_schema(tags=["network"])
@extend_schema_view(
    create=extend_schema(
        request=s.StandardVlanCreateSerializer, responses={201: s.StandardVlanSerializer}
    ),
    partial_update=extend_schema(
        request=s.StandardVlanUpdateSerializer, responses={200: s.StandardVlanSerializer}
    ),
)
class StandardVlanViewSet(_Versioned):
    """The standard VLAN plan: the same IDs and purposes in every municipality."""

    serializer_class = s.StandardVlanSerializer
    filterset_class = None

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return StandardVlan.objects.none()
        return selectors.standard_vlan_list(
            actor=self.request.user, cooperation=_cooperation(self.request)
        )

    def get_object(self) -> Any:
        return selectors.standard_vlan_get(
            actor=self.request.user, cooperation=_cooperation(self.request), pk=self.kwargs["pk"]
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        v = parse_input(s.StandardVlanCreateSerializer, request.data)
        obj = services.standard_vlan_create(
            actor=request.user, cooperation=_cooperation(request), **v
        )
        return Response(s.StandardVlanSerializer(obj).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        obj = self.get_object()
        v = parse_input(s.StandardVlanUpdateSerializer, request.data)
        version = v.pop("version")
        obj = services.standard_vlan_update(
            actor=request.user, vlan=obj, expected_version=version, **v
        )
        return Response(s.StandardVlanSerializer(obj).data)


@extend_schema(tags=["network"])
@extend_schema_view(
    create=extend_schema(request=s.SsidCreateSerializer, responses={201: s.SsidSerializer}),
    partial_update=extend_schema(request=s.SsidUpdateSerializer, responses={200: s.SsidSerializer}),
)
class SsidViewSet(_Versioned):
    """The standard SSIDs with their security and VLAN."""

    serializer_class = s.SsidSerializer
    filterset_class = None

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return Ssid.objects.none()
        return selectors.ssid_list(actor=self.request.user, cooperation=_cooperation(self.request))

    def get_object(self) -> Any:
        return selectors.ssid_get(
            actor=self.request.user, cooperation=_cooperation(self.request), pk=self.kwargs["pk"]
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        coop = _cooperation(request)
        v = parse_input(s.SsidCreateSerializer, request.data)
        vlan = None
        if v.get("vlan"):
            errors: dict[str, list[Any]] = {}
            vlan = _ref(
                errors,
                "vlan",
                lambda: selectors.standard_vlan_get(
                    actor=request.user, cooperation=coop, pk=v["vlan"]
                ),
            )
            if errors:
                raise ValidationFailed(fields=errors)
        v.pop("vlan", None)
        obj = services.ssid_create(actor=request.user, cooperation=coop, vlan=vlan, **v)
        return Response(s.SsidSerializer(obj).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        obj = self.get_object()
        v = parse_input(s.SsidUpdateSerializer, request.data)
        version = v.pop("version")
        obj = services.ssid_update(actor=request.user, ssid=obj, expected_version=version, **v)
        return Response(s.SsidSerializer(obj).data)


@extend_schema(tags=["network"])
@extend_schema_view(
    create=extend_schema(request=s.SiteCreateSerializer, responses={201: s.SiteSerializer}),
    partial_update=extend_schema(request=s.SiteUpdateSerializer, responses={200: s.SiteSerializer}),
)
class SiteViewSet(_Versioned):
    """Sites per municipality, with the code used in device names. Close one with
    `is_active=false`."""

    serializer_class = s.SiteSerializer
    filterset_class = SiteFilter
    ordering_fields = ["name", "code", "id"]

    def get_queryset(self) -> Any:
        return selectors.site_list(actor=self.request.user)

    def get_object(self) -> Any:
        return selectors.site_get(actor=self.request.user, pk=self.kwargs["pk"])

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        coop = _cooperation(request)
        v = parse_input(s.SiteCreateSerializer, request.data)
        muni = (
            selectors.municipality_list(actor=request.user, cooperation=coop)
            .filter(pk=v.pop("municipality"))
            .first()
        )
        if muni is None:
            raise ValidationFailed(fields={"municipality": [_("Finns inte.")]})
        obj = services.site_create(actor=request.user, municipality=muni, **v)
        return Response(s.SiteSerializer(obj).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        obj = self.get_object()
        v = parse_input(s.SiteUpdateSerializer, request.data)
        version = v.pop("version")
        obj = services.site_update(actor=request.user, site=obj, expected_version=version, **v)
        return Response(s.SiteSerializer(obj).data)


def _csv(name: str, body: bytes) -> HttpResponse:
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@extend_schema(tags=["network"])
@extend_schema_view(
    create=extend_schema(
        request=s.NetworkDeviceCreateSerializer, responses={201: s.NetworkDeviceSerializer}
    ),
    partial_update=extend_schema(
        request=s.NetworkDeviceUpdateSerializer, responses={200: s.NetworkDeviceSerializer}
    ),
)
class DeviceViewSet(_Versioned):
    """The register of network devices. Create one without `name` to get the next free name
    (safe when several people name devices at once); with a `name`, it must follow the standard
    unless `existing` is true. End one with status `offline` or `decommissioning`."""

    serializer_class = s.NetworkDeviceSerializer
    filterset_class = DeviceFilter
    ordering_fields = ["name", "id"]

    def get_queryset(self) -> Any:
        return selectors.device_list(actor=self.request.user)

    def get_object(self) -> Any:
        return selectors.device_get(actor=self.request.user, pk=self.kwargs["pk"])

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        coop = _cooperation(request)
        v = parse_input(s.NetworkDeviceCreateSerializer, request.data)
        errors: dict[str, list[Any]] = {}
        site = _site(request.user, v.pop("site"), errors)
        kind = _type(request.user, coop, v.pop("device_type"), errors)
        if errors:
            raise ValidationFailed(fields=errors)
        assert site is not None
        assert kind is not None
        existing = v.pop("existing")
        obj = services.device_create(
            actor=request.user, site=site, device_type=kind, allow_nonconforming=existing, **v
        )
        return Response(
            s.NetworkDeviceSerializer(selectors.device_get(actor=request.user, pk=obj.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        obj = self.get_object()
        v = parse_input(s.NetworkDeviceUpdateSerializer, request.data)
        version = v.pop("version")
        errors: dict[str, list[Any]] = {}
        if "site" in v:
            v["site"] = _site(request.user, v["site"], errors)
        if "device_type" in v:
            v["device_type"] = _type(request.user, obj.cooperation, v["device_type"], errors)
        if errors:
            raise ValidationFailed(fields=errors)
        services.device_update(actor=request.user, device=obj, expected_version=version, **v)
        return Response(
            s.NetworkDeviceSerializer(selectors.device_get(actor=request.user, pk=obj.pk)).data
        )

    @extend_schema(responses={(200, "text/csv"): OpenApiTypes.BINARY})
    @action(detail=False, methods=["get"], pagination_class=None)
    def export(self, request: Request) -> HttpResponse:
        """The devices (filtered as the list) as CSV in NetBox's bulk-import layout."""
        qs = self.filter_queryset(self.get_queryset())
        return _csv("natverksenheter.csv", exports.devices_csv(qs))


@extend_schema(tags=["network"])
@extend_schema_view(
    create=extend_schema(request=s.VlanCreateSerializer, responses={201: s.VlanSerializer}),
    partial_update=extend_schema(request=s.VlanUpdateSerializer, responses={200: s.VlanSerializer}),
)
class VlanViewSet(_Versioned):
    """VLANs as configured at each site. End one with status `deprecated`."""

    serializer_class = s.VlanSerializer
    filterset_class = VlanFilter
    ordering_fields = ["vid", "id"]

    def get_queryset(self) -> Any:
        return selectors.vlan_list(actor=self.request.user)

    def get_object(self) -> Any:
        return selectors.vlan_get(actor=self.request.user, pk=self.kwargs["pk"])

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        v = parse_input(s.VlanCreateSerializer, request.data)
        errors: dict[str, list[Any]] = {}
        site = _site(request.user, v.pop("site"), errors)
        if errors:
            raise ValidationFailed(fields=errors)
        assert site is not None
        obj = services.vlan_create(actor=request.user, site=site, **v)
        return Response(
            s.VlanSerializer(selectors.vlan_get(actor=request.user, pk=obj.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        obj = self.get_object()
        v = parse_input(s.VlanUpdateSerializer, request.data)
        version = v.pop("version")
        services.vlan_update(actor=request.user, vlan=obj, expected_version=version, **v)
        return Response(s.VlanSerializer(selectors.vlan_get(actor=request.user, pk=obj.pk)).data)

    @extend_schema(responses={(200, "text/csv"): OpenApiTypes.BINARY})
    @action(detail=False, methods=["get"], pagination_class=None)
    def export(self, request: Request) -> HttpResponse:
        """The VLANs (filtered as the list) as CSV in NetBox's bulk-import layout."""
        qs = self.filter_queryset(self.get_queryset())
        return _csv("vlan.csv", exports.vlans_csv(qs))


@extend_schema(
    tags=["network"],
    request={"multipart/form-data": s.NetworkImportSerializer},
    responses={200: s.NetworkImportResultSerializer, 404: NOT_FOUND},
)
class ImportView(APIView):
    """CSV import of devices or VLANs in NetBox's bulk-import layout: a dry run lists every bad
    row with its line; a real run writes all rows or none; the same file again changes
    nothing."""

    def post(self, request: Request) -> Response:
        v = parse_input(s.NetworkImportSerializer, request.data)
        result = services.network_import_csv(
            actor=request.user,
            cooperation=_cooperation(request),
            kind=v["kind"],
            data=v["file"].read(),
            dry_run=v["dry_run"],
        )
        return Response(s.NetworkImportResultSerializer(result).data)


@extend_schema(
    tags=["network"], responses={200: s.ConformanceSerializer(many=True), 404: NOT_FOUND}
)
class ConformanceView(APIView):
    """Per municipality: devices whose names do not follow the standard, and per site the VLANs
    missing from, named differently than, or outside the standard plan."""

    def get(self, request: Request) -> Response:
        coop = _cooperation(request)
        if not selectors.may_view_network(request.user):
            raise NotFound()
        report = selectors.conformance_report(actor=request.user, cooperation=coop)
        return Response(s.ConformanceSerializer(report, many=True).data)
