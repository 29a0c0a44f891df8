from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from itfabrik.core.api.validation import parse_input
from itfabrik.tenancy import selectors, services
from itfabrik.tenancy.filters import MembershipFilter, NodeFilter
from itfabrik.tenancy.models import Membership, OrgNode

from .serializers import (
    CooperationSerializer,
    HostChangeSerializer,
    InhabitantCountSerializer,
    MembershipCreateSerializer,
    MembershipEndSerializer,
    MembershipSerializer,
    OrganisationCreateSerializer,
    OrganisationSerializer,
    OrganisationUpdateSerializer,
    PositionSerializer,
)


@extend_schema(tags=["organisation"])
@extend_schema_view(
    create=extend_schema(
        request=OrganisationCreateSerializer, responses={201: OrganisationSerializer}
    ),
    partial_update=extend_schema(
        request=OrganisationUpdateSerializer, responses={200: OrganisationSerializer}
    ),
)
class OrganisationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[OrgNode]
):
    """The organisation tree: cooperations, municipalities, administrations, units, IT teams."""

    serializer_class = OrganisationSerializer
    filterset_class = NodeFilter
    ordering_fields = ["name", "path", "kind", "id"]
    ordering = ["path"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> Any:
        return selectors.node_list(actor=self.request.user, include_inactive=True, with_facts=False)

    def get_object(self) -> OrgNode:
        return selectors.node_get(actor=self.request.user, pk=self.kwargs["pk"])

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        qs = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(qs.values_list("pk", flat=True))
        rows = selectors.nodes_with_facts(list(page or []))
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        def check(*, parent: int | None = None, **values: Any) -> None:
            if parent is not None:
                node = selectors.node_get(actor=request.user, pk=parent)
                services.node_create_check(actor=request.user, parent=node, **values)

        values = parse_input(OrganisationCreateSerializer, request.data, check=check)
        parent = selectors.node_get(actor=request.user, pk=values.pop("parent"))
        node = services.node_create(actor=request.user, parent=parent, **values)
        out = selectors.node_get(actor=request.user, pk=node.pk)
        return Response(OrganisationSerializer(out).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=InhabitantCountSerializer,
        responses={200: InhabitantCountSerializer(many=True)},
        methods=["POST"],
    )
    @extend_schema(responses={200: InhabitantCountSerializer(many=True)}, methods=["GET"])
    @action(detail=True, methods=["get", "post"], pagination_class=None, filterset_class=None)
    def inhabitants(self, request: Request, pk: str | None = None) -> Response:
        """Inhabitants per year (31 December); POST sets one year (insert or correction)."""
        node = self.get_object()
        if request.method == "POST":
            values = parse_input(
                InhabitantCountSerializer, request.data, check=services.inhabitants_check
            )
            services.inhabitants_set(actor=request.user, municipality=node, **values)
        rows = selectors.inhabitant_history(actor=request.user, municipality=node)
        return Response(InhabitantCountSerializer(rows, many=True).data)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        node = self.get_object()

        def check(*, version: int | None = None, **values: Any) -> None:
            services.node_update_check(actor=request.user, node=node, **values)

        values = parse_input(OrganisationUpdateSerializer, request.data, check=check)
        version = values.pop("version")
        services.node_update(actor=request.user, node=node, expected_version=version, **values)
        out = selectors.node_get(actor=request.user, pk=node.pk)
        return Response(OrganisationSerializer(out).data)


@extend_schema(tags=["organisation"])
class CooperationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Any]
):
    serializer_class = CooperationSerializer
    ordering_fields = ["name", "id"]
    ordering = ["name"]

    def get_queryset(self) -> Any:
        return selectors.cooperation_list(actor=self.request.user)

    def get_object(self) -> Any:
        return selectors.cooperation_get(actor=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(request=HostChangeSerializer, responses={200: CooperationSerializer})
    @action(detail=True, methods=["post"])
    def host(self, request: Request, pk: str | None = None) -> Response:
        """Make another member municipality the host (värdkommun)."""
        coop = self.get_object()
        v = parse_input(HostChangeSerializer, request.data)
        host = selectors.node_get(actor=request.user, pk=v["host"])
        updated = services.cooperation_set_host(
            actor=request.user, cooperation=coop, host=host, expected_version=v["version"]
        )
        return Response(CooperationSerializer(updated).data)


@extend_schema(tags=["organisation"])
@extend_schema_view(
    create=extend_schema(request=MembershipCreateSerializer, responses={201: MembershipSerializer}),
)
class MembershipViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Membership]
):
    """Municipalities' memberships of a cooperation over time (join and leave, R1)."""

    serializer_class = MembershipSerializer
    filterset_class = MembershipFilter
    ordering_fields = ["joined_on", "id"]
    ordering = ["municipality__name", "-joined_on"]

    def get_queryset(self) -> Any:
        return selectors.membership_list(actor=self.request.user)

    def get_object(self) -> Membership:
        return selectors.membership_get(actor=self.request.user, pk=self.kwargs["pk"])

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        v = parse_input(MembershipCreateSerializer, request.data)
        coop = selectors.cooperation_get(actor=request.user, pk=v["cooperation"])
        municipality = selectors.node_get(actor=request.user, pk=v["municipality"])
        membership = services.municipality_join(
            actor=request.user,
            cooperation=coop,
            municipality=municipality,
            joined_on=v["joined_on"],
            decision_reference=v["decision_reference"],
        )
        return Response(MembershipSerializer(membership).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=MembershipEndSerializer, responses={200: MembershipSerializer})
    @action(detail=True, methods=["post"])
    def end(self, request: Request, pk: str | None = None) -> Response:
        """End the membership: the municipality leaves the cooperation on `left_on`."""
        membership = self.get_object()
        v = parse_input(MembershipEndSerializer, request.data)
        updated = services.municipality_leave(
            actor=request.user,
            membership=membership,
            left_on=v["left_on"],
            expected_version=v["version"],
            decision_reference=v["decision_reference"],
        )
        return Response(MembershipSerializer(updated).data)


@extend_schema(tags=["organisation"])
class PositionViewSet(mixins.ListModelMixin, viewsets.GenericViewSet[Any]):
    """Positions of the joint IT organisation (R3)."""

    serializer_class = PositionSerializer
    ordering_fields = ["title", "id"]

    def get_queryset(self) -> Any:
        return selectors.position_list(actor=self.request.user)
