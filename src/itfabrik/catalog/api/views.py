from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from itfabrik.catalog import selectors, services
from itfabrik.catalog.filters import (
    OrderFilter,
    PackageFilter,
    PriceListFilter,
    ServiceFilter,
    SubscriptionFilter,
)
from itfabrik.catalog.models import Order, Package, PriceList, Service, Subscription
from itfabrik.catalog.services import LineInput
from itfabrik.core.api.validation import parse_input

from .serializers import (
    OrderActionSerializer,
    OrderCreateSerializer,
    OrderDeliverSerializer,
    OrderSerializer,
    PackageSerializer,
    PriceListCreateSerializer,
    PriceListSerializer,
    PriceListUpdateSerializer,
    ServiceAreaSerializer,
    ServiceCreateSerializer,
    ServiceSerializer,
    ServiceUpdateSerializer,
    SubscriptionCancelSerializer,
    SubscriptionChangeSerializer,
    SubscriptionSerializer,
)


@extend_schema(tags=["catalog"])
class ServiceAreaViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Any]
):
    """Service areas of the catalogue (Infrastruktur, Identitet, …)."""

    serializer_class = ServiceAreaSerializer
    ordering_fields = ["sort_order", "name", "id"]

    def get_queryset(self) -> Any:
        return selectors.area_list(actor=self.request.user, include_inactive=True)

    def get_object(self) -> Any:
        return selectors.area_get(actor=self.request.user, pk=self.kwargs["pk"])


@extend_schema(tags=["catalog"])
@extend_schema_view(
    create=extend_schema(request=ServiceCreateSerializer, responses={201: ServiceSerializer}),
    partial_update=extend_schema(
        request=ServiceUpdateSerializer, responses={200: ServiceSerializer}
    ),
)
class ServiceViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Service]
):
    """Services of the catalogue with today's price. Retired services: `is_active=false`."""

    serializer_class = ServiceSerializer
    filterset_class = ServiceFilter
    ordering_fields = ["name", "id"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> Any:
        return selectors.service_list(actor=self.request.user, include_inactive=True)

    def get_object(self) -> Service:
        return selectors.service_get(actor=self.request.user, pk=self.kwargs["pk"])

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        v = parse_input(ServiceCreateSerializer, request.data)
        coop = selectors.cooperation_for_catalogue(
            actor=request.user, cooperation_id=v.pop("cooperation")
        )
        area = selectors.area_get(actor=request.user, pk=v.pop("area"))
        service = services.service_create(actor=request.user, cooperation=coop, area=area, **v)
        out = selectors.service_get(actor=request.user, pk=service.pk)
        return Response(ServiceSerializer(out).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        service = self.get_object()
        v = parse_input(ServiceUpdateSerializer, request.data)
        version = v.pop("version")
        if "area" in v:
            v["area"] = selectors.area_get(actor=request.user, pk=v["area"])
        services.service_update(actor=request.user, service=service, expected_version=version, **v)
        out = selectors.service_get(actor=request.user, pk=service.pk)
        return Response(ServiceSerializer(out).data)


@extend_schema(tags=["catalog"])
class PackageViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Package]
):
    """Standard packages per kind of user, with what they contain and today's monthly price."""

    serializer_class = PackageSerializer
    filterset_class = PackageFilter
    ordering_fields = ["name", "id"]

    def get_queryset(self) -> Any:
        return selectors.package_list(actor=self.request.user, include_inactive=True)

    def get_object(self) -> Package:
        return selectors.package_get(actor=self.request.user, pk=self.kwargs["pk"])


@extend_schema(tags=["catalog"])
@extend_schema_view(
    create=extend_schema(request=PriceListCreateSerializer, responses={201: PriceListSerializer}),
    partial_update=extend_schema(
        request=PriceListUpdateSerializer, responses={200: PriceListSerializer}
    ),
)
class PriceListViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[PriceList]
):
    """Versions of the price list. A version whose period overlaps an active one is refused."""

    serializer_class = PriceListSerializer
    filterset_class = PriceListFilter
    ordering_fields = ["valid_from", "id"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> Any:
        return selectors.price_list_list(actor=self.request.user)

    def get_object(self) -> PriceList:
        return selectors.price_list_get(actor=self.request.user, pk=self.kwargs["pk"])

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        v = parse_input(PriceListCreateSerializer, request.data)
        coop = selectors.cooperation_for_catalogue(
            actor=request.user, cooperation_id=v.pop("cooperation")
        )
        prices = [
            (selectors.service_get(actor=request.user, pk=p["service"]), p["amount"])
            for p in v.pop("prices")
        ]
        price_list = services.price_list_create(
            actor=request.user, cooperation=coop, prices=prices, **v
        )
        out = selectors.price_list_get(actor=request.user, pk=price_list.pk)
        return Response(PriceListSerializer(out).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        price_list = self.get_object()
        v = parse_input(PriceListUpdateSerializer, request.data)
        version = v.pop("version")
        services.price_list_update(
            actor=request.user, price_list=price_list, expected_version=version, **v
        )
        out = selectors.price_list_get(actor=request.user, pk=price_list.pk)
        return Response(PriceListSerializer(out).data)


def _order_action(name: str, serializer: Any = OrderActionSerializer) -> Any:
    return extend_schema(request=serializer, responses={200: OrderSerializer})


@extend_schema(tags=["catalog"])
@extend_schema_view(
    create=extend_schema(request=OrderCreateSerializer, responses={201: OrderSerializer}),
)
class OrderViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Order]
):
    """Orders of the units in the actor's scope. Status: draft → submitted → approved/rejected →
    delivering → delivered; cancelled from draft or submitted. Every action takes the `version`
    the client read: of two concurrent actions exactly one succeeds, the other gets 409."""

    serializer_class = OrderSerializer
    filterset_class = OrderFilter
    ordering_fields = ["created_at", "id"]

    def get_queryset(self) -> Any:
        return selectors.order_list(actor=self.request.user).prefetch_related(
            "lines__service", "lines__package"
        )

    def get_object(self) -> Order:
        return selectors.order_get(actor=self.request.user, pk=self.kwargs["pk"])

    def _out(self, order: Order, code: int = status.HTTP_200_OK) -> Response:
        fresh = selectors.order_get(actor=self.request.user, pk=order.pk)
        return Response(OrderSerializer(fresh).data, status=code)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        actor = request.user
        v = parse_input(OrderCreateSerializer, request.data)
        unit = selectors.orderable_unit_get(actor=actor, pk=v["unit"])
        lines = [
            LineInput(
                quantity=line["quantity"],
                service=selectors.service_get(actor=actor, pk=line["service"])
                if line["service"]
                else None,
                package=selectors.package_get(actor=actor, pk=line["package"])
                if line["package"]
                else None,
            )
            for line in v["lines"]
        ]
        order = services.order_create(actor=actor, unit=unit, lines=lines, note=v["note"])
        return self._out(order, status.HTTP_201_CREATED)

    @_order_action("submit")
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str | None = None) -> Response:
        """Send a draft; lines needing no approval are approved at once."""
        order = self.get_object()
        v = parse_input(OrderActionSerializer, request.data)
        return self._out(
            services.order_submit(actor=request.user, order=order, expected_version=v["version"])
        )

    @_order_action("approve")
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        order = self.get_object()
        v = parse_input(OrderActionSerializer, request.data)
        return self._out(
            services.order_approve(
                actor=request.user, order=order, expected_version=v["version"], note=v["note"]
            )
        )

    @_order_action("reject")
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str | None = None) -> Response:
        """Reject a submitted order; `note` (the reason) is required."""
        order = self.get_object()
        v = parse_input(OrderActionSerializer, request.data)
        return self._out(
            services.order_reject(
                actor=request.user, order=order, expected_version=v["version"], note=v["note"]
            )
        )

    @_order_action("deliver", OrderDeliverSerializer)
    @action(detail=True, methods=["post"])
    def deliver(self, request: Request, pk: str | None = None) -> Response:
        """Deliver an approved order (or one being delivered): subscriptions start, change or
        end on `delivered_on`."""
        order = self.get_object()
        v = parse_input(OrderDeliverSerializer, request.data)
        return self._out(
            services.order_deliver(
                actor=request.user,
                order=order,
                expected_version=v["version"],
                delivered_on=v["delivered_on"],
            )
        )

    @_order_action("cancel")
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        """Withdraw a draft or submitted order."""
        order = self.get_object()
        v = parse_input(OrderActionSerializer, request.data)
        return self._out(
            services.order_cancel(actor=request.user, order=order, expected_version=v["version"])
        )


@extend_schema(tags=["catalog"])
class SubscriptionViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Subscription]
):
    """Subscriptions of the units in the actor's scope: what each unit has, from when to when.
    A change of quantity ends a row and starts a new one, so history is kept."""

    serializer_class = SubscriptionSerializer
    filterset_class = SubscriptionFilter
    ordering_fields = ["start_date", "id"]

    def get_queryset(self) -> Any:
        return selectors.subscription_list(actor=self.request.user)

    def get_object(self) -> Subscription:
        return selectors.subscription_get(actor=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(request=SubscriptionChangeSerializer, responses={201: OrderSerializer})
    @action(detail=True, methods=["post"])
    def change(self, request: Request, pk: str | None = None) -> Response:
        """Create a draft change order: the quantity becomes `quantity` on delivery."""
        sub = self.get_object()
        v = parse_input(SubscriptionChangeSerializer, request.data)
        order = services.order_change_subscription(
            actor=request.user, subscription=sub, quantity=v["quantity"], note=v["note"]
        )
        out = selectors.order_get(actor=request.user, pk=order.pk)
        return Response(OrderSerializer(out).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=SubscriptionCancelSerializer, responses={201: OrderSerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        """Create a draft cancel order: the subscription ends the day before delivery."""
        sub = self.get_object()
        v = parse_input(SubscriptionCancelSerializer, request.data)
        order = services.order_cancel_subscription(
            actor=request.user, subscription=sub, note=v["note"]
        )
        out = selectors.order_get(actor=request.user, pk=order.pk)
        return Response(OrderSerializer(out).data, status=status.HTTP_201_CREATED)
