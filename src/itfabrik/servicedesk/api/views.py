from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from itfabrik.catalog import selectors as catalog_selectors
from itfabrik.core.api.validation import parse_input
from itfabrik.core.errors import NotFound, ValidationFailed
from itfabrik.core.selectors import get_or_not_found
from itfabrik.servicedesk import selectors, services
from itfabrik.servicedesk.filters import TicketFilter
from itfabrik.servicedesk.models import Ticket
from itfabrik.tenancy import selectors as tenancy_selectors

from .serializers import (
    EntryCreateSerializer,
    EntrySerializer,
    TicketAssignSerializer,
    TicketCreateSerializer,
    TicketLinkSerializer,
    TicketSerializer,
    TicketTransitionSerializer,
    TicketUpdateSerializer,
)

UNKNOWN_REQUESTER = _("Okänd anmälare.")
UNKNOWN_SERVICE = _("Okänd tjänst.")
UNKNOWN_UNIT = _("Okänd enhet.")


def resolve_requester(actor: Any, value: Any) -> Any:
    """The requester by id or username: anyone the agent serves; for others only themselves."""
    if selectors.is_agent(actor):
        return selectors.requester_get(actor=actor, value=value)
    text = str(value).strip()
    if text in (str(actor.pk), actor.get_username()):
        return actor
    raise NotFound()


def _lookup(errors: dict[str, list[Any]], field: str, message: Any, fetch: Any) -> Any:
    try:
        return fetch()
    except NotFound:
        errors[field] = [message]
        return None


@extend_schema(tags=["servicedesk"])
@extend_schema_view(
    create=extend_schema(request=TicketCreateSerializer, responses={201: TicketSerializer}),
    partial_update=extend_schema(request=TicketUpdateSerializer, responses={200: TicketSerializer}),
)
class TicketViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Ticket]
):
    """Service-desk tickets the actor may see: staff see their cooperation's, orderers their
    units', everyone else the tickets they reported. Due times are ISO 8601 with offset."""

    serializer_class = TicketSerializer
    filterset_class = TicketFilter
    ordering_fields = ["reported_at", "resolution_due", "priority", "id"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> Any:
        return selectors.ticket_list(actor=self.request.user)

    def get_object(self) -> Ticket:
        return selectors.ticket_get(actor=self.request.user, pk=self.kwargs["pk"])

    def _out(self, ticket: Ticket, code: int = status.HTTP_200_OK) -> Response:
        fresh = selectors.ticket_get(actor=self.request.user, pk=ticket.pk)
        return Response(TicketSerializer(fresh).data, status=code)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        actor = request.user
        v = parse_input(TicketCreateSerializer, request.data)
        errors: dict[str, list[Any]] = {}
        requester = _lookup(
            errors, "requester", UNKNOWN_REQUESTER, lambda: resolve_requester(actor, v["requester"])
        )
        service = None
        if v.get("service") is not None:
            service = _lookup(
                errors,
                "service",
                UNKNOWN_SERVICE,
                lambda: catalog_selectors.service_get(actor=actor, pk=v["service"]),
            )
        unit = None
        if v.get("unit") is not None:
            unit = _lookup(
                errors,
                "unit",
                UNKNOWN_UNIT,
                lambda: tenancy_selectors.node_get(actor=actor, pk=v["unit"]),
            )
        if errors:
            raise ValidationFailed(fields=errors)
        ticket = services.ticket_create(
            actor=actor,
            requester=requester,
            title=v["title"],
            description=v.get("description", ""),
            impact=v["impact"],
            urgency=v["urgency"],
            type=v.get("type", "incident"),
            channel=v.get("channel"),
            service=service,
            unit=unit,
            reported_at=v.get("reported_at"),
        )
        return self._out(ticket, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        ticket = self.get_object()
        v = parse_input(TicketUpdateSerializer, request.data)
        version = v.pop("version")
        if "service" in v and v["service"] is not None:
            errors: dict[str, list[Any]] = {}
            v["service"] = _lookup(
                errors,
                "service",
                UNKNOWN_SERVICE,
                lambda: catalog_selectors.service_get(actor=request.user, pk=v["service"]),
            )
            if errors:
                raise ValidationFailed(fields=errors)
        services.ticket_update(actor=request.user, ticket=ticket, expected_version=version, **v)
        return self._out(ticket)

    @extend_schema(request=TicketTransitionSerializer, responses={200: TicketSerializer})
    @action(detail=True, methods=["post"])
    def transition(self, request: Request, pk: str | None = None) -> Response:
        """Change the status (waiting pauses the SLA clock, work resumes it)."""
        ticket = self.get_object()
        v = parse_input(TicketTransitionSerializer, request.data)
        services.ticket_transition(
            actor=request.user, ticket=ticket, expected_version=v["version"], status=v["status"]
        )
        return self._out(ticket)

    @extend_schema(request=TicketAssignSerializer, responses={200: TicketSerializer})
    @action(detail=True, methods=["post"])
    def assign(self, request: Request, pk: str | None = None) -> Response:
        ticket = self.get_object()
        actor = request.user
        v = parse_input(TicketAssignSerializer, request.data)
        errors: dict[str, list[Any]] = {}
        group = None
        if v.get("group") is not None:
            group = _lookup(
                errors,
                "group",
                _("Okänd grupp."),
                lambda: selectors.group_get(actor=actor, pk=v["group"]),
            )
        assignee = None
        if v.get("assignee") is not None:
            assignee = _lookup(
                errors,
                "assignee",
                _("Okänd handläggare."),
                lambda: get_or_not_found(selectors.assignable_users(actor=actor), v["assignee"]),
            )
        if errors:
            raise ValidationFailed(fields=errors)
        services.ticket_assign(
            actor=actor,
            ticket=ticket,
            expected_version=v["version"],
            group=group,
            assignee=assignee,
        )
        return self._out(ticket)

    @extend_schema(methods=["GET"], request=None, responses={200: EntrySerializer(many=True)})
    @extend_schema(
        methods=["POST"], request=EntryCreateSerializer, responses={201: EntrySerializer}
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None, filterset_class=None)
    def entries(self, request: Request, pk: str | None = None) -> Response:
        """Replies (and, for staff, internal notes), oldest first; POST adds one."""
        ticket = self.get_object()
        if request.method == "POST":
            v = parse_input(EntryCreateSerializer, request.data)
            entry = services.entry_add(
                actor=request.user, ticket=ticket, kind=v["kind"], body=v["body"]
            )
            return Response(EntrySerializer(entry).data, status=status.HTTP_201_CREATED)
        rows = selectors.entries(actor=request.user, ticket=ticket)
        return Response(EntrySerializer(rows, many=True).data)

    @extend_schema(request=TicketLinkSerializer, responses={200: TicketSerializer})
    @action(detail=True, methods=["post"])
    def link(self, request: Request, pk: str | None = None) -> Response:
        """Mark another ticket as related (both ways)."""
        ticket = self.get_object()
        v = parse_input(TicketLinkSerializer, request.data)
        errors: dict[str, list[Any]] = {}
        other = _lookup(
            errors,
            "other",
            _("Okänt ärende."),
            lambda: selectors.ticket_get(actor=request.user, pk=v["other"]),
        )
        if errors:
            raise ValidationFailed(fields=errors)
        services.ticket_link(actor=request.user, ticket=ticket, other=other)
        return self._out(ticket)
