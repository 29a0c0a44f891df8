"""The bookings API under /api/v1/bookings/: blocks (free places per municipality and dates;
create, generate, correct and close for those who configure them) and bookings (book, rebook,
cancel). Objects named in the body that the actor may not see are a 400 on that field; an
object in the address that they may not see is a 404."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from itfabrik.bookings import selectors, services
from itfabrik.bookings.filters import BlockFilter, BookingFilter
from itfabrik.bookings.models import Block, Booking
from itfabrik.core.actors import Actor
from itfabrik.core.api.validation import parse_input
from itfabrik.core.errors import NotFound, ValidationFailed
from itfabrik.core.selectors import get_or_not_found
from itfabrik.servicedesk import selectors as sd_selectors
from itfabrik.tenancy import selectors as tenancy_selectors

from .serializers import (
    BlockCreateSerializer,
    BlockGenerateSerializer,
    BlockSerializer,
    BlockUpdateSerializer,
    BookingCancelSerializer,
    BookingCreateSerializer,
    BookingRebookSerializer,
    BookingSerializer,
    BookingVersionSerializer,
)


def _lookup(errors: dict[str, list[Any]], field: str, message: Any, fetch: Any) -> Any:
    try:
        return fetch()
    except NotFound:
        errors[field] = [message]
        return None


def _block_refs(actor: Actor, v: dict[str, Any]) -> tuple[Any, Any]:
    errors: dict[str, list[Any]] = {}
    municipality = _lookup(
        errors,
        "municipality",
        _("Okänd kommun."),
        lambda: tenancy_selectors.node_get(actor=actor, pk=v["municipality"]),
    )
    technician = _lookup(
        errors,
        "technician",
        _("Okänd tekniker."),
        lambda: get_or_not_found(selectors.technician_list(actor=actor), v["technician"]),
    )
    if errors:
        raise ValidationFailed(fields=errors)
    return municipality, technician


@extend_schema(tags=["bookings"])
@extend_schema_view(
    create=extend_schema(request=BlockCreateSerializer, responses={201: BlockSerializer}),
    partial_update=extend_schema(request=BlockUpdateSerializer, responses={200: BlockSerializer}),
)
class BlockViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Block]
):
    """Visit blocks (förmiddag, eftermiddag) of technicians per municipality. A portal user sees
    their municipality's blocks; `free=true` gives those with a place left; `date_from`,
    `date_to` and `municipality` narrow the list."""

    serializer_class = BlockSerializer
    filterset_class = BlockFilter
    ordering_fields = ["starts_at", "id"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> Any:
        return selectors.block_list(actor=self.request.user)

    def get_object(self) -> Block:
        return selectors.block_get(actor=self.request.user, pk=self.kwargs["pk"])

    def _out(self, block: Block, code: int = status.HTTP_200_OK) -> Response:
        fresh = selectors.block_get(actor=self.request.user, pk=block.pk)
        return Response(BlockSerializer(fresh).data, status=code)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        v = parse_input(BlockCreateSerializer, request.data)
        municipality, technician = _block_refs(request.user, v)
        block = services.block_create(
            actor=request.user,
            technician=technician,
            municipality=municipality,
            date=v["date"],
            part=v["part"],
            capacity=v["capacity"],
            note=v["note"],
        )
        return self._out(block, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        block = self.get_object()
        v = parse_input(BlockUpdateSerializer, request.data)
        version = v.pop("version")
        services.block_update(actor=request.user, block=block, expected_version=version, **v)
        return self._out(block)

    @extend_schema(request=BlockGenerateSerializer, responses={201: BlockSerializer(many=True)})
    @action(detail=False, methods=["post"], pagination_class=None, filterset_class=None)
    def generate(self, request: Request) -> Response:
        """Blocks on every working day of the service-desk calendar between `first` and
        `last`; days already holding a block of the technician are left as they are."""
        v = parse_input(BlockGenerateSerializer, request.data)
        municipality, technician = _block_refs(request.user, v)
        created = services.blocks_generate(
            actor=request.user,
            technician=technician,
            municipality=municipality,
            first=v["first"],
            last=v["last"],
            parts=v["parts"],
            capacity=v["capacity"],
        )
        rows = selectors.block_list(actor=request.user).filter(pk__in=[b.pk for b in created])
        return Response(BlockSerializer(rows, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=BookingVersionSerializer, responses={200: BlockSerializer})
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str | None = None) -> Response:
        """Close the block for booking (refused while it has booked visits)."""
        block = self.get_object()
        v = parse_input(BookingVersionSerializer, request.data)
        services.block_close(actor=request.user, block=block, expected_version=v["version"])
        return self._out(block)


@extend_schema(tags=["bookings"])
@extend_schema_view(
    create=extend_schema(request=BookingCreateSerializer, responses={201: BookingSerializer}),
)
class BookingViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Booking]
):
    """Booked on-site visits: the requester's own, and for staff those of their municipalities.
    Booking puts the ticket on hold until the block starts (unless configured otherwise)."""

    serializer_class = BookingSerializer
    filterset_class = BookingFilter
    ordering_fields = ["created_at", "id"]
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> Any:
        return selectors.booking_list(actor=self.request.user)

    def get_object(self) -> Booking:
        return selectors.booking_get(actor=self.request.user, pk=self.kwargs["pk"])

    def _out(self, booking: Booking, code: int = status.HTTP_200_OK) -> Response:
        fresh = selectors.booking_get(actor=self.request.user, pk=booking.pk)
        return Response(BookingSerializer(fresh).data, status=code)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        actor = request.user
        v = parse_input(BookingCreateSerializer, request.data)
        errors: dict[str, list[Any]] = {}
        ticket = _lookup(
            errors,
            "ticket",
            _("Okänt ärende."),
            lambda: sd_selectors.ticket_get(actor=actor, pk=v["ticket"]),
        )
        block = _lookup(
            errors,
            "block",
            _("Okänt pass."),
            lambda: selectors.block_get(actor=actor, pk=v["block"]),
        )
        if errors:
            raise ValidationFailed(fields=errors)
        booking = services.booking_create(actor=actor, ticket=ticket, block=block, note=v["note"])
        return self._out(booking, status.HTTP_201_CREATED)

    @extend_schema(request=BookingRebookSerializer, responses={200: BookingSerializer})
    @action(detail=True, methods=["post"])
    def rebook(self, request: Request, pk: str | None = None) -> Response:
        """Move the visit to another block of the ticket's municipality."""
        booking = self.get_object()
        v = parse_input(BookingRebookSerializer, request.data)
        errors: dict[str, list[Any]] = {}
        block = _lookup(
            errors,
            "block",
            _("Okänt pass."),
            lambda: selectors.block_get(actor=request.user, pk=v["block"]),
        )
        if errors:
            raise ValidationFailed(fields=errors)
        services.booking_rebook(
            actor=request.user, booking=booking, expected_version=v["version"], block=block
        )
        return self._out(booking)

    @extend_schema(request=BookingCancelSerializer, responses={200: BookingSerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        """Cancel the visit; a ticket it held goes back to work at once."""
        booking = self.get_object()
        v = parse_input(BookingCancelSerializer, request.data)
        services.booking_cancel(
            actor=request.user,
            booking=booking,
            expected_version=v["version"],
            reason=v["reason"],
        )
        return self._out(booking)
