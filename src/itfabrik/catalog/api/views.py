from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
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
from itfabrik.core.actors import Actor
from itfabrik.core.api.validation import parse_input
from itfabrik.core.errors import ValidationFailed
from itfabrik.tenancy import selectors as tenancy_selectors

from .serializers import (
    OrderActionSerializer,
    OrderCreateSerializer,
    OrderDeliverSerializer,
    OrderSerializer,
    PackageCreateSerializer,
    PackageItemRemoveSerializer,
    PackageItemSetSerializer,
    PackageSerializer,
    PackageUpdateSerializer,
    PriceListCopySerializer,
    PriceListCreateSerializer,
    PriceListSerializer,
    PriceListUpdateSerializer,
    PriceRemoveSerializer,
    PriceSetSerializer,
    ServiceAreaCreateSerializer,
    ServiceAreaSerializer,
    ServiceAreaUpdateSerializer,
    ServiceCreateSerializer,
    ServiceSerializer,
    ServiceUpdateSerializer,
    SubscriptionCancelSerializer,
    SubscriptionChangeSerializer,
    SubscriptionSerializer,
)


@extend_schema(tags=["catalog"])
@extend_schema_view(
    create=extend_schema(
        request=ServiceAreaCreateSerializer, responses={201: ServiceAreaSerializer}
    ),
    partial_update=extend_schema(
        request=ServiceAreaUpdateSerializer, responses={200: ServiceAreaSerializer}
    ),
)
class ServiceAreaViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Any]
):
    """Service areas of the catalogue (Infrastruktur, Identitet, …). Closed: `is_active=false`
    (refused while the area has active services)."""

    serializer_class = ServiceAreaSerializer
    ordering_fields = ["sort_order", "name", "id"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> Any:
        return selectors.area_list(actor=self.request.user, include_inactive=True)

    def get_object(self) -> Any:
        return selectors.area_get(actor=self.request.user, pk=self.kwargs["pk"])

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        v = parse_input(ServiceAreaCreateSerializer, request.data)
        coop = selectors.catalogue_cooperation_get(
            actor=request.user, cooperation_id=v.pop("cooperation")
        )
        area = services.area_create(actor=request.user, cooperation=coop, **v)
        out = selectors.area_get(actor=request.user, pk=area.pk)
        return Response(ServiceAreaSerializer(out).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        area = self.get_object()
        v = parse_input(ServiceAreaUpdateSerializer, request.data)
        version = v.pop("version")
        services.area_update(actor=request.user, area=area, expected_version=version, **v)
        out = selectors.area_get(actor=request.user, pk=area.pk)
        return Response(ServiceAreaSerializer(out).data)


def _owners(actor: Actor, cooperation: Any, v: dict[str, Any]) -> None:
    """The owner ids of a service's input as objects, looked up within the actor's scope."""
    if v.get("owner_node") is not None:
        v["owner_node"] = tenancy_selectors.node_get(actor=actor, pk=v["owner_node"])
    if v.get("owner_user") is not None:
        person = (
            tenancy_selectors.position_holder_list(actor=actor, cooperation=cooperation)
            .filter(pk=v["owner_user"])
            .first()
        )
        if person is None:
            raise ValidationFailed(
                fields={"owner_user": [_("Välj en person i den gemensamma IT-organisationen.")]}
            )
        v["owner_user"] = person


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
        coop = selectors.catalogue_cooperation_get(
            actor=request.user, cooperation_id=v.pop("cooperation")
        )
        area = selectors.area_get(actor=request.user, pk=v.pop("area"))
        _owners(request.user, coop, v)
        service = services.service_create(actor=request.user, cooperation=coop, area=area, **v)
        out = selectors.service_get(actor=request.user, pk=service.pk)
        return Response(ServiceSerializer(out).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        service = self.get_object()
        v = parse_input(ServiceUpdateSerializer, request.data)
        version = v.pop("version")
        if "area" in v:
            v["area"] = selectors.area_get(actor=request.user, pk=v["area"])
        _owners(request.user, service.cooperation, v)
        services.service_update(actor=request.user, service=service, expected_version=version, **v)
        out = selectors.service_get(actor=request.user, pk=service.pk)
        return Response(ServiceSerializer(out).data)


@extend_schema(tags=["catalog"])
@extend_schema_view(
    create=extend_schema(request=PackageCreateSerializer, responses={201: PackageSerializer}),
    partial_update=extend_schema(
        request=PackageUpdateSerializer, responses={200: PackageSerializer}
    ),
)
class PackageViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Package]
):
    """Standard packages per kind of user, with what they contain and today's monthly price.
    A change of contents moves the package's `version` on."""

    serializer_class = PackageSerializer
    filterset_class = PackageFilter
    ordering_fields = ["name", "id"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> Any:
        return selectors.package_list(actor=self.request.user, include_inactive=True)

    def get_object(self) -> Package:
        return selectors.package_get(actor=self.request.user, pk=self.kwargs["pk"])

    def _out(self, package: Package, code: int = status.HTTP_200_OK) -> Response:
        fresh = selectors.package_get(actor=self.request.user, pk=package.pk)
        return Response(PackageSerializer(fresh).data, status=code)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        actor = request.user
        v = parse_input(PackageCreateSerializer, request.data)
        coop = selectors.catalogue_cooperation_get(actor=actor, cooperation_id=v.pop("cooperation"))
        items = [
            (selectors.service_get(actor=actor, pk=i["service"]), i["quantity"])
            for i in v.pop("items")
        ]
        package = services.package_create(actor=actor, cooperation=coop, items=items, **v)
        return self._out(package, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        package = self.get_object()
        v = parse_input(PackageUpdateSerializer, request.data)
        version = v.pop("version")
        services.package_update(actor=request.user, package=package, expected_version=version, **v)
        return self._out(package)

    @extend_schema(request=PackageItemSetSerializer, responses={200: PackageSerializer})
    @action(detail=True, methods=["post"], url_path="set-item")
    def set_item(self, request: Request, pk: str | None = None) -> Response:
        """Put a service in the package, or change its quantity."""
        package = self.get_object()
        v = parse_input(PackageItemSetSerializer, request.data)
        services.package_item_set(
            actor=request.user,
            package=package,
            service=selectors.service_get(actor=request.user, pk=v["service"]),
            quantity=v["quantity"],
            expected_version=v["version"],
        )
        return self._out(package)

    @extend_schema(request=PackageItemRemoveSerializer, responses={200: PackageSerializer})
    @action(detail=True, methods=["post"], url_path="remove-item")
    def remove_item(self, request: Request, pk: str | None = None) -> Response:
        """Take a service out of the package (the last one stays)."""
        package = self.get_object()
        v = parse_input(PackageItemRemoveSerializer, request.data)
        services.package_item_remove(
            actor=request.user,
            package=package,
            service=selectors.service_get(actor=request.user, pk=v["service"]),
            expected_version=v["version"],
        )
        return self._out(package)


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
        coop = selectors.catalogue_cooperation_get(
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

    @extend_schema(request=PriceListCopySerializer, responses={201: PriceListSerializer})
    @action(detail=True, methods=["post"])
    def copy(self, request: Request, pk: str | None = None) -> Response:
        """A new version with this version's prices; with `end_source`, this one ends the day
        before the new one starts."""
        source = self.get_object()
        v = parse_input(PriceListCopySerializer, request.data)
        created = services.price_list_copy(actor=request.user, source=source, **v)
        out = selectors.price_list_get(actor=request.user, pk=created.pk)
        return Response(PriceListSerializer(out).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PriceSetSerializer, responses={200: PriceListSerializer})
    @action(detail=True, methods=["post"], url_path="set-price")
    def set_price(self, request: Request, pk: str | None = None) -> Response:
        """Set a service's price in a version not yet in force."""
        price_list = self.get_object()
        v = parse_input(PriceSetSerializer, request.data)
        services.price_set(
            actor=request.user,
            price_list=price_list,
            service=selectors.service_get(actor=request.user, pk=v["service"]),
            amount=v["amount"],
            expected_version=v["version"],
        )
        out = selectors.price_list_get(actor=request.user, pk=price_list.pk)
        return Response(PriceListSerializer(out).data)

    @extend_schema(request=PriceRemoveSerializer, responses={200: PriceListSerializer})
    @action(detail=True, methods=["post"], url_path="remove-price")
    def remove_price(self, request: Request, pk: str | None = None) -> Response:
        """Take a service's price out of a version not yet in force."""
        price_list = self.get_object()
        v = parse_input(PriceRemoveSerializer, request.data)
        services.price_remove(
            actor=request.user,
            price_list=price_list,
            service=selectors.service_get(actor=request.user, pk=v["service"]),
            expected_version=v["version"],
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
