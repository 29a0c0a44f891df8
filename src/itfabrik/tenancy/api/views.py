from __future__ import annotations

from collections.abc import Callable
from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from itfabrik.core.api.validation import parse_input
from itfabrik.core.errors import NotFound
from itfabrik.tenancy import selectors, services
from itfabrik.tenancy.filters import MembershipFilter, NodeFilter, PositionFilter
from itfabrik.tenancy.models import Membership, OrgNode, Position

from .serializers import (
    CooperationCreateSerializer,
    CooperationSerializer,
    HostChangeSerializer,
    InhabitantCountSerializer,
    MembershipCreateSerializer,
    MembershipEndSerializer,
    MembershipSerializer,
    NodeCloseSerializer,
    OrganisationCreateSerializer,
    OrganisationSerializer,
    OrganisationUpdateSerializer,
    PositionCloseSerializer,
    PositionCreateSerializer,
    PositionSerializer,
    PositionUpdateSerializer,
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
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self) -> Any:
        return selectors.node_list(actor=self.request.user, include_inactive=True, with_facts=False)

    def get_object(self) -> OrgNode:
        return selectors.node_get(actor=self.request.user, pk=self.kwargs["pk"])

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        qs = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(qs.values_list("pk", flat=True))
        rows = selectors.node_facts_list(list(page or []))
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
        rows = selectors.inhabitant_count_list(actor=request.user, municipality=node)
        return Response(InhabitantCountSerializer(rows, many=True).data)

    @extend_schema(
        request=None,
        responses={204: None},
        parameters=[OpenApiParameter("year", int, OpenApiParameter.PATH)],
    )
    @action(
        detail=True,
        methods=["delete"],
        url_path=r"inhabitants/(?P<year>[0-9]{1,4})",
        pagination_class=None,
        filterset_class=None,
    )
    def inhabitants_remove(
        self, request: Request, pk: str | None = None, year: str | None = None
    ) -> Response:
        """Remove a year entered by mistake (a wrong number is corrected by POSTing the year
        again). The removed values stay in the audit trail."""
        node = self.get_object()
        count = (
            selectors.inhabitant_count_list(actor=request.user, municipality=node)
            .filter(year=int(year or 0))
            .first()
        )
        if count is None:
            raise NotFound()
        services.inhabitants_remove(actor=request.user, count=count)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=NodeCloseSerializer, responses={200: OrganisationSerializer})
    @action(detail=True, methods=["post"], pagination_class=None, filterset_class=None)
    def close(self, request: Request, pk: str | None = None) -> Response:
        """Close a unit, administration or team from `closed_on`. Refused while it has open
        children; nothing is deleted."""
        node = self.get_object()
        v = parse_input(NodeCloseSerializer, request.data)
        services.node_close(
            actor=request.user, node=node, closed_on=v["closed_on"], expected_version=v["version"]
        )
        out = selectors.node_get(actor=request.user, pk=node.pk)
        return Response(OrganisationSerializer(out).data)

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
@extend_schema_view(
    create=extend_schema(
        request=CooperationCreateSerializer, responses={201: CooperationSerializer}
    ),
)
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

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Create a cooperation with the root node of its tree (superusers only)."""
        v = parse_input(CooperationCreateSerializer, request.data)
        coop = services.cooperation_create(
            actor=request.user,
            name=v["name"],
            slug=v["slug"],
            root_name=v["root_name"] or None,
            currency=v["currency"],
        )
        out = selectors.cooperation_get(actor=request.user, pk=coop.pk)
        return Response(CooperationSerializer(out).data, status=status.HTTP_201_CREATED)

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
        def check(
            *, cooperation: int | None = None, municipality: int | None = None, **values: Any
        ) -> None:
            if cooperation is None:
                return
            services.municipality_join_check(
                actor=request.user,
                cooperation=selectors.cooperation_get(actor=request.user, pk=cooperation),
                municipality=None
                if municipality is None
                else selectors.node_get(actor=request.user, pk=municipality),
                **values,
            )

        v = parse_input(MembershipCreateSerializer, request.data, check=check)
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

        def check(**values: Any) -> None:
            services.municipality_leave_check(actor=request.user, membership=membership, **values)

        v = parse_input(MembershipEndSerializer, request.data, check=check)
        updated = services.municipality_leave(
            actor=request.user,
            membership=membership,
            left_on=v["left_on"],
            expected_version=v["version"],
            decision_reference=v["decision_reference"],
        )
        return Response(MembershipSerializer(updated).data)


def _position_input(
    request: Request, serializer: Any, check: Callable[..., None]
) -> dict[str, Any]:
    """The request's values with team and holder ids as objects (a team the actor may see, a
    holder they may place). Every wrong field is answered in one 400: the serializer's, the
    holder's and the service's (`check`) messages together."""

    def run(**values: Any) -> None:
        resolved, errors = selectors.position_refs_get(actor=request.user, values=values)
        check(errors=errors, **resolved)

    values = parse_input(serializer, request.data, check=run)
    version = values.pop("version", None)
    resolved, errors = selectors.position_refs_get(actor=request.user, values=values)
    if errors:
        check(errors=errors, **resolved)
    if version is not None:
        resolved["version"] = version
    return resolved


@extend_schema(tags=["organisation"])
@extend_schema_view(
    create=extend_schema(request=PositionCreateSerializer, responses={201: PositionSerializer}),
    partial_update=extend_schema(
        request=PositionUpdateSerializer, responses={200: PositionSerializer}
    ),
)
class PositionViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Position]
):
    """Positions of the joint IT organisation (R3): created, changed and closed, never deleted."""

    serializer_class = PositionSerializer
    filterset_class = PositionFilter
    ordering_fields = ["title", "id"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> Any:
        return selectors.position_list(actor=self.request.user)

    def get_object(self) -> Position:
        return selectors.position_get(actor=self.request.user, pk=self.kwargs["pk"])

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        def check(**values: Any) -> None:
            services.position_create_check(actor=request.user, **values)

        v = _position_input(request, PositionCreateSerializer, check)
        position = services.position_create(actor=request.user, **v)
        out = selectors.position_get(actor=request.user, pk=position.pk)
        return Response(PositionSerializer(out).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        position = self.get_object()

        def check(*, version: int | None = None, **values: Any) -> None:
            services.position_update_check(actor=request.user, position=position, **values)

        v = _position_input(request, PositionUpdateSerializer, check)
        version = v.pop("version")
        services.position_update(
            actor=request.user, position=position, expected_version=version, **v
        )
        out = selectors.position_get(actor=request.user, pk=position.pk)
        return Response(PositionSerializer(out).data)

    @extend_schema(request=PositionCloseSerializer, responses={200: PositionSerializer})
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str | None = None) -> Response:
        """Close the position from `closed_on`; its holder leaves it. Nothing is deleted."""
        position = self.get_object()
        v = parse_input(PositionCloseSerializer, request.data)
        services.position_close(
            actor=request.user,
            position=position,
            closed_on=v["closed_on"],
            expected_version=v["version"],
        )
        out = selectors.position_get(actor=request.user, pk=position.pk)
        return Response(PositionSerializer(out).data)
