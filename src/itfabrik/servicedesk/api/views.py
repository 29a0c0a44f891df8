from __future__ import annotations

from typing import Any

from django.http.response import HttpResponseBase
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from itfabrik.catalog import selectors as catalog_selectors
from itfabrik.core.actors import Actor
from itfabrik.core.api.validation import parse_input
from itfabrik.core.errors import NotFound, ValidationFailed
from itfabrik.core.selectors import get_or_not_found
from itfabrik.knowledge import selectors as knowledge_selectors
from itfabrik.servicedesk import selectors, services
from itfabrik.servicedesk.filters import PolicyFilter, TicketFilter, VipFilter
from itfabrik.servicedesk.models import Ticket, TicketAttachment
from itfabrik.tenancy import selectors as tenancy_selectors

from .manage import managed_cooperation, managed_person, require_manager
from .manage_serializers import (
    AttachmentSerializer,
    AttachmentUploadSerializer,
    PolicyCreateSerializer,
)
from .serializers import (
    EntryCreateSerializer,
    EntrySerializer,
    KnownErrorPublishSerializer,
    Nis2MarkSerializer,
    Nis2ReportSerializer,
    PolicySerializer,
    PolicyUpdateSerializer,
    ProblemRecordSerializer,
    TicketAssignSerializer,
    TicketCreateSerializer,
    TicketLinkSerializer,
    TicketSerializer,
    TicketTransitionSerializer,
    TicketUpdateSerializer,
    VipCreateSerializer,
    VipSerializer,
)

UNKNOWN_REQUESTER = _("Okänd anmälare.")
UNKNOWN_SERVICE = _("Okänd tjänst.")
UNKNOWN_UNIT = _("Okänd enhet.")


def resolve_requester(actor: Actor, value: Any) -> Any:
    """The requester by id or username: anyone the agent serves; for others only themselves."""
    if selectors.is_agent(actor):
        return selectors.requester_get(actor=actor, value=value)
    text = str(value).strip()
    if text in (str(actor.pk), str(getattr(actor, "username", ""))):
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
        # The list's joins are what the serializer reads; ticket_get's fifteen (for the ticket
        # page and the writes) cost more to plan than to run.
        fresh = get_or_not_found(self.get_queryset(), ticket.pk)
        return Response(TicketSerializer(fresh).data, status=code)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(TicketSerializer(get_or_not_found(self.get_queryset(), kwargs["pk"])).data)

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
            device_reference=v.get("device_reference", ""),
        )
        if ticket.is_training:  # answered on a fresh copy of the row: read it again
            return self._out(ticket, status.HTTP_201_CREATED)
        # The new ticket holds everything the serializer reads (its relations were given as
        # objects): reading it back would cost a query of seven joins per ticket created.
        return Response(TicketSerializer(ticket).data, status=status.HTTP_201_CREATED)

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

    @extend_schema(request=Nis2MarkSerializer, responses={200: TicketSerializer})
    @action(detail=True, methods=["post"])
    def nis2(self, request: Request, pk: str | None = None) -> Response:
        """Mark an incident significant under NIS2 from the time of awareness (null removes
        the mark); the 24 h, 72 h and one-month deadlines run in calendar time."""
        ticket = self.get_object()
        v = parse_input(Nis2MarkSerializer, request.data)
        services.nis2_mark(
            actor=request.user, ticket=ticket, expected_version=v["version"], aware_at=v["aware_at"]
        )
        return self._out(ticket)

    @extend_schema(request=Nis2ReportSerializer, responses={200: TicketSerializer})
    @action(detail=True, methods=["post"], url_path="nis2-report")
    def nis2_report(self, request: Request, pk: str | None = None) -> Response:
        """Record a NIS2 report as submitted (or not, with null)."""
        ticket = self.get_object()
        v = parse_input(Nis2ReportSerializer, request.data)
        services.nis2_record(
            actor=request.user,
            ticket=ticket,
            expected_version=v["version"],
            step=v["step"],
            at=v["at"],
        )
        return self._out(ticket)

    @extend_schema(request=ProblemRecordSerializer, responses={200: TicketSerializer})
    @action(detail=True, methods=["post"])
    def problem(self, request: Request, pk: str | None = None) -> Response:
        """A problem's root cause and workaround, and whether it is a known error (docs/adr/0039).
        Needs `servicedesk.manage_problems`."""
        ticket = self.get_object()
        v = parse_input(ProblemRecordSerializer, request.data)
        services.problem_record(
            actor=request.user,
            ticket=ticket,
            expected_version=v["version"],
            root_cause=v["root_cause"],
            workaround=v["workaround"],
            is_known_error=v["is_known_error"],
        )
        return self._out(ticket)

    @extend_schema(request=KnownErrorPublishSerializer, responses={200: TicketSerializer})
    @action(detail=True, methods=["post"], url_path="known-error")
    def known_error(self, request: Request, pk: str | None = None) -> Response:
        """Publish the known error to the knowledge base, or publish it again: one article per
        problem, updated (docs/adr/0039). Needs `servicedesk.manage_problems`."""
        ticket = self.get_object()
        v = parse_input(KnownErrorPublishSerializer, request.data)
        errors: dict[str, list[Any]] = {}
        area = None
        if v.get("area") is not None:
            area = _lookup(
                errors,
                "area",
                _("Okänt tjänsteområde."),
                lambda: get_or_not_found(
                    knowledge_selectors.area_choice_list(actor=request.user), v["area"]
                ),
            )
        if errors:
            raise ValidationFailed(fields=errors)
        services.known_error_publish(
            actor=request.user,
            ticket=ticket,
            title=v.get("title", ""),
            summary=v.get("summary", ""),
            audience=v.get("audience", "everyone"),
            area=area,
        )
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
                lambda: get_or_not_found(
                    selectors.assignable_user_list(actor=actor), v["assignee"]
                ),
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
        rows = selectors.entry_list(actor=request.user, ticket=ticket)
        return Response(EntrySerializer(rows, many=True).data)

    @extend_schema(methods=["GET"], request=None, responses={200: AttachmentSerializer(many=True)})
    @extend_schema(
        methods=["POST"],
        request={"multipart/form-data": AttachmentUploadSerializer},
        responses={201: AttachmentSerializer},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        filterset_class=None,
        ordering_fields=["created_at", "name", "size", "id"],
        parser_classes=[MultiPartParser, FormParser],
    )
    def attachments(self, request: Request, pk: str | None = None) -> Response:
        """The ticket's files, oldest first (internal ones for staff only); POST uploads one
        (multipart/form-data). The content decides the type, within the size limit; a refused
        file stores nothing. Download: /servicedesk/attachments/{id}/download/."""
        ticket = self.get_object()
        if request.method == "POST":
            v = parse_input(AttachmentUploadSerializer, request.data)
            attachment = services.attachment_add(
                actor=request.user, ticket=ticket, upload=v["file"], internal=v["internal"]
            )
            return Response(AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)
        rows = self.filter_queryset(selectors.attachment_list(actor=request.user, ticket=ticket))
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(AttachmentSerializer(page, many=True).data)

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


class AttachmentViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet[Any]):
    """A ticket's file, for those who see the ticket (internal files: staff only); 404 for
    anyone else, as for a file that does not exist. List and upload: /tickets/{id}/attachments/."""

    serializer_class = AttachmentSerializer
    filter_backends: list[Any] = []
    pagination_class = None
    http_method_names = ["get", "head", "options"]

    def get_queryset(self) -> Any:
        return TicketAttachment.objects.none()

    def get_object(self) -> Any:
        return selectors.attachment_get(actor=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY,
                description="The file, as a download, with the type found in its content.",
            )
        }
    )
    @action(detail=True, methods=["get"])
    def download(self, request: Request, pk: str | None = None) -> HttpResponseBase:
        """The file itself (Content-Type: the type found in its content, not its name)."""
        from django.core.files.storage import default_storage
        from django.http import FileResponse

        attachment = self.get_object()
        response = FileResponse(
            default_storage.open(attachment.path, "rb"),
            as_attachment=True,
            filename=attachment.name,
            content_type=attachment.content_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response


class VipViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Any]):
    """The VIP list of the cooperations the actor manages (others: 404)."""

    serializer_class = VipSerializer
    filterset_class = VipFilter
    ordering_fields = ["created_at", "user__last_name", "id"]
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> Any:
        return selectors.managed_vip_list(actor=self.request.user).order_by("pk")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        require_manager(request.user)
        return super().list(request, *args, **kwargs)

    def get_object(self) -> Any:
        return selectors.manage_vip_get(actor=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(request=VipCreateSerializer, responses={201: VipSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        require_manager(request.user)
        v = parse_input(VipCreateSerializer, request.data)
        coop = managed_cooperation(request.user, v.get("cooperation"))
        user = managed_person(request.user, "user", v["user"])
        vip = services.vip_add(actor=request.user, cooperation=coop, user=user, reason=v["reason"])
        return Response(VipSerializer(vip).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: VipSerializer})
    @action(detail=True, methods=["post"])
    def remove(self, request: Request, pk: str | None = None) -> Response:
        """Take the person off the list (kept, inactive)."""
        vip = services.vip_remove(actor=request.user, vip=self.get_object())
        return Response(VipSerializer(vip).data)


class PolicyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Any]):
    """SLA policies of the cooperations the actor manages. A change of targets or calendar
    recomputes the policy's open tickets in the worker (the answer names the job). Retire a
    policy with `is_active: false`; policies are never deleted."""

    serializer_class = PolicySerializer
    filterset_class = PolicyFilter
    ordering_fields = ["priority", "name", "response_minutes", "resolution_minutes", "id"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> Any:
        return selectors.managed_policy_list(actor=self.request.user).order_by("priority", "pk")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        require_manager(request.user)
        return super().list(request, *args, **kwargs)

    @extend_schema(request=PolicyCreateSerializer, responses={201: PolicySerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        actor = request.user
        require_manager(actor)
        v = parse_input(PolicyCreateSerializer, request.data)
        coop = managed_cooperation(actor, v.get("cooperation"))
        calendar = (
            selectors.managed_calendar_list(actor=actor)
            .filter(pk=v["calendar"], cooperation=coop, is_active=True)
            .first()
        )
        if calendar is None:
            raise ValidationFailed(fields={"calendar": [_("Okänd kalender.")]})
        policy = services.policy_create(
            actor=actor,
            cooperation=coop,
            name=v["name"],
            priority=v["priority"],
            service_tier=v["service_tier"],
            response_minutes=v["response_minutes"],
            resolution_minutes=v["resolution_minutes"],
            calendar=calendar,
        )
        fresh = selectors.manage_policy_get(actor=actor, pk=policy.pk)
        return Response(PolicySerializer(fresh).data, status=status.HTTP_201_CREATED)

    def get_object(self) -> Any:
        return selectors.manage_policy_get(actor=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(request=PolicyUpdateSerializer, responses={200: PolicySerializer})
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        policy = self.get_object()
        v = parse_input(PolicyUpdateSerializer, request.data)
        version = v.pop("version")
        if "calendar" in v:
            found = (
                selectors.managed_calendar_list(actor=request.user).filter(pk=v["calendar"]).first()
            )
            if found is None:
                raise ValidationFailed(fields={"calendar": [_("Okänd kalender.")]})
            v["calendar"] = found
        updated, job = services.policy_update(
            actor=request.user, policy=policy, expected_version=version, **v
        )
        data = dict(PolicySerializer(updated).data)
        data["recompute_job"] = job.pk if job is not None else None
        return Response(data)
