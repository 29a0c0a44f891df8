"""The service desk's configuration API, for those who hold `servicedesk.manage` (the
cooperation admin, team leads), like the settings pages: assignment groups and their members,
business calendars and their extra days, the priority matrix, escalation and routing rules (SLA
policies and the VIP list are in views.py).
Anyone else gets 404, exactly as for something that does not exist. Edits carry the `version`
read (409 when someone saved in between); nothing is deleted, groups and calendars are retired
with `is_active: false`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from itfabrik.core.actors import Actor
from itfabrik.core.api.serializers import NOT_FOUND
from itfabrik.core.api.validation import FilterBackend, parse_input
from itfabrik.core.errors import NotFound, ValidationFailed
from itfabrik.servicedesk import rules, selectors, services
from itfabrik.servicedesk.choices import Level
from itfabrik.servicedesk.filters import (
    CalendarDayFilter,
    CalendarFilter,
    EscalationRuleFilter,
    GroupFilter,
)
from itfabrik.servicedesk.models import AssignmentGroup, BusinessCalendar, PriorityRule

from .manage_serializers import (
    CalendarCreateSerializer,
    CalendarDaySerializer,
    CalendarDaySetSerializer,
    CalendarSerializer,
    CalendarUpdateSerializer,
    EscalationRuleCreateSerializer,
    EscalationRuleSerializer,
    EscalationRuleUpdateSerializer,
    GroupCreateSerializer,
    GroupSerializer,
    GroupUpdateSerializer,
    MatrixCellSerializer,
    MatrixCellUpdateSerializer,
    MatrixQuerySerializer,
    MemberAddSerializer,
    MemberSerializer,
    RoutingQuerySerializer,
    RoutingSaveSerializer,
    RoutingSerializer,
)

UNKNOWN_PERSON = _("Okänd person.")


def managed_cooperation(actor: Actor, pk: int | None) -> Any:
    """The cooperation named (else the first the actor manages); managing none: 404, an
    unknown or unmanaged one: 400 naming the field."""
    coops = selectors.managed_cooperation_list(actor=actor)
    if not coops:
        raise NotFound()
    if pk is None:
        return coops[0]
    for coop in coops:
        if coop.pk == pk:
            return coop
    raise ValidationFailed(fields={"cooperation": [_("Okänd samverkan.")]})


def require_manager(actor: Actor) -> None:
    """A list for someone who configures nothing answers 404, as the settings pages do."""
    if not selectors.managed_cooperation_list(actor=actor):
        raise NotFound()


def managed_person(actor: Actor, field: str, value: Any) -> Any:
    """A person of the managed cooperations by id or username; else 400 naming the field."""
    people = selectors.manageable_user_list(actor=actor)
    text = str(value).strip()
    found = (
        people.filter(pk=int(text)).first()
        if text.isdecimal() and len(text) < 19
        else people.filter(username=text).first()
    )
    if found is None:
        raise ValidationFailed(fields={field: [UNKNOWN_PERSON]})
    return found


# --- groups -------------------------------------------------------------------------------------


@extend_schema(tags=["servicedesk"])
@extend_schema_view(
    create=extend_schema(request=GroupCreateSerializer, responses={201: GroupSerializer}),
    partial_update=extend_schema(request=GroupUpdateSerializer, responses={200: GroupSerializer}),
)
class GroupViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Any]):
    """Assignment groups of the cooperations the actor manages. Retire a group with
    `is_active: false`; groups are never deleted."""

    serializer_class = GroupSerializer
    filterset_class = GroupFilter
    ordering_fields = ["name", "kind", "member_count", "id"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self) -> Any:
        return selectors.managed_group_list(actor=self.request.user).order_by("name", "pk")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        require_manager(request.user)
        return super().list(request, *args, **kwargs)

    def get_object(self) -> AssignmentGroup:
        return selectors.manage_group_get(actor=self.request.user, pk=self.kwargs["pk"])

    def _out(self, group: AssignmentGroup, code: int = status.HTTP_200_OK) -> Response:
        fresh = selectors.manage_group_get(actor=self.request.user, pk=group.pk)
        return Response(GroupSerializer(fresh).data, status=code)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        actor = request.user
        require_manager(actor)
        v = parse_input(GroupCreateSerializer, request.data)
        coop = managed_cooperation(actor, v.get("cooperation"))
        lead = managed_person(actor, "lead", v["lead"]) if v.get("lead") is not None else None
        group = services.group_create(
            actor=actor,
            cooperation=coop,
            name=v["name"],
            kind=v["kind"],
            lead=lead,
            email=v.get("email", ""),
        )
        return self._out(group, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        group = self.get_object()
        v = parse_input(GroupUpdateSerializer, request.data)
        version = v.pop("version")
        if v.get("lead") is not None:
            v["lead"] = managed_person(request.user, "lead", v["lead"])
        services.group_update(actor=request.user, group=group, expected_version=version, **v)
        return self._out(group)

    @extend_schema(
        methods=["GET"],
        request=None,
        responses={200: MemberSerializer(many=True)},
        filters=False,
    )
    @extend_schema(
        methods=["POST"],
        request=MemberAddSerializer,
        responses={201: MemberSerializer, 200: MemberSerializer},
    )
    @action(detail=True, methods=["get", "post"], filter_backends=[])
    def members(self, request: Request, pk: str | None = None) -> Response:
        """The group's active members by name; POST adds one (200 when already a member)."""
        group = self.get_object()
        if request.method == "POST":
            v = parse_input(MemberAddSerializer, request.data)
            user = managed_person(request.user, "user", v["user"])
            added = services.group_add_members(actor=request.user, group=group, users=[user])
            code = status.HTTP_201_CREATED if added else status.HTTP_200_OK
            return Response(MemberSerializer(user).data, status=code)
        rows = selectors.group_member_list(actor=request.user, group=group)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(MemberSerializer(page, many=True).data)

    @extend_schema(
        request=None,
        responses={204: None},
        parameters=[OpenApiParameter("user_id", int, OpenApiParameter.PATH)],
    )
    @action(
        detail=True,
        methods=["delete"],
        url_path=r"members/(?P<user_id>[0-9]{1,18})",
        filter_backends=[],
    )
    def member_remove(self, request: Request, pk: str | None = None, user_id: str = "") -> Response:
        """Take a person out of the group (404 when not a member)."""
        group = self.get_object()
        member = group.memberships.filter(user_id=int(user_id)).select_related("user").first()
        if member is None:
            raise NotFound()
        services.group_remove_member(actor=request.user, group=group, user=member.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- calendars ----------------------------------------------------------------------------------


@extend_schema(tags=["servicedesk"])
@extend_schema_view(
    create=extend_schema(request=CalendarCreateSerializer, responses={201: CalendarSerializer}),
    partial_update=extend_schema(
        request=CalendarUpdateSerializer, responses={200: CalendarSerializer}
    ),
)
class CalendarViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Any]
):
    """Business calendars (opening hours) of the cooperations the actor manages, with their
    extra closed and shortened days. Due times already stored are not moved by a change; a
    policy's recomputation (or each ticket's next change) uses it."""

    serializer_class = CalendarSerializer
    filterset_class = CalendarFilter
    ordering_fields = ["name", "id"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self) -> Any:
        return selectors.managed_calendar_list(actor=self.request.user).order_by("name", "pk")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        require_manager(request.user)
        return super().list(request, *args, **kwargs)

    def get_object(self) -> BusinessCalendar:
        return selectors.manage_calendar_get(actor=self.request.user, pk=self.kwargs["pk"])

    def _out(self, calendar: BusinessCalendar, code: int = status.HTTP_200_OK) -> Response:
        fresh = selectors.manage_calendar_get(actor=self.request.user, pk=calendar.pk)
        return Response(CalendarSerializer(fresh).data, status=code)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        actor = request.user
        require_manager(actor)
        v = parse_input(CalendarCreateSerializer, request.data)
        coop = managed_cooperation(actor, v.get("cooperation"))
        calendar = services.calendar_create(
            actor=actor,
            cooperation=coop,
            name=v["name"],
            week=v["week"],
            swedish_holidays=v["swedish_holidays"],
            eves=v["eves"],
        )
        return self._out(calendar, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        calendar = self.get_object()
        v = parse_input(CalendarUpdateSerializer, request.data)
        version = v.pop("version")
        services.calendar_update(
            actor=request.user, calendar=calendar, expected_version=version, **v
        )
        return self._out(calendar)

    @extend_schema(
        methods=["GET"],
        request=None,
        responses={200: CalendarDaySerializer(many=True)},
        parameters=[
            OpenApiParameter("since", OpenApiTypes.DATE, description="From this date."),
            OpenApiParameter("until", OpenApiTypes.DATE, description="To this date."),
            OpenApiParameter(
                "closed", bool, description="Closed days (true) or shortened days (false)."
            ),
        ],
    )
    @extend_schema(
        methods=["POST"],
        request=CalendarDaySetSerializer,
        responses={201: CalendarDaySerializer},
    )
    # The days' FilterSet is applied in the action: the view's own backends are the calendars'.
    @action(
        detail=True,
        methods=["get", "post"],
        filter_backends=[],
        filterset_class=CalendarDayFilter,
    )
    def days(self, request: Request, pk: str | None = None) -> Response:
        """The calendar's extra days by date: closed (no hours) or shortened. POST sets one
        (replacing what the date had) and bumps the calendar's version."""
        calendar = self.get_object()
        if request.method == "POST":
            v = parse_input(CalendarDaySetSerializer, request.data)
            day = services.calendar_set_day(
                actor=request.user,
                calendar=calendar,
                date=v["date"],
                hours=v["hours"],
                note=v["note"],
            )
            return Response(CalendarDaySerializer(day).data, status=status.HTTP_201_CREATED)
        rows = FilterBackend().filter_queryset(
            request, selectors.calendar_day_list(actor=request.user, calendar=calendar), self
        )
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(CalendarDaySerializer(page, many=True).data)

    @extend_schema(
        request=None,
        responses={204: None},
        parameters=[OpenApiParameter("date", OpenApiTypes.DATE, OpenApiParameter.PATH)],
    )
    @action(
        detail=True,
        methods=["delete"],
        url_path=r"days/(?P<date>[0-9]{4}-[0-9]{2}-[0-9]{2})",
        filter_backends=[],
    )
    def day_remove(self, request: Request, pk: str | None = None, date: str = "") -> Response:
        """Remove an extra day (the week's hours apply again); 404 when the date has none."""
        calendar = self.get_object()
        try:
            day = dt.date.fromisoformat(date)
        except ValueError:
            raise NotFound() from None
        services.calendar_clear_day(actor=request.user, calendar=calendar, date=day)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- the priority matrix ------------------------------------------------------------------------

CELL_PATTERN = "(?:high|medium|low)-(?:high|medium|low)"
CELLS = [f"{i}-{u}" for i in Level.values for u in Level.values]


def _cells(cooperation_id: int) -> list[dict[str, Any]]:
    """The nine cells, impact then urgency from high to low (one query)."""
    rows = {
        (r.impact, r.urgency): r for r in PriorityRule.objects.filter(cooperation_id=cooperation_id)
    }
    out = []
    for impact in Level.values:
        for urgency in Level.values:
            row = rows.get((impact, urgency))
            out.append(
                {
                    "cell": f"{impact}-{urgency}",
                    "cooperation": cooperation_id,
                    "impact": impact,
                    "urgency": urgency,
                    "priority": row.priority if row else rules.priority_for(impact, urgency),
                    "is_default": row is None,
                    "version": row.version if row else 0,
                }
            )
    return out


@extend_schema(tags=["servicedesk"])
class MatrixViewSet(viewsets.ViewSet):
    """The priority matrix (impact × urgency → priority) of a cooperation the actor manages:
    always nine cells, not paginated. A change applies to tickets registered from then on."""

    lookup_field = "cell"
    lookup_value_regex = CELL_PATTERN
    http_method_names = ["get", "patch", "head", "options"]

    @extend_schema(
        parameters=[MatrixQuerySerializer], responses={200: MatrixCellSerializer(many=True)}
    )
    def list(self, request: Request) -> Response:
        actor = request.user
        require_manager(actor)
        v = parse_input(MatrixQuerySerializer, request.query_params)
        coop = managed_cooperation(actor, v.get("cooperation"))
        return Response(MatrixCellSerializer(_cells(coop.pk), many=True).data)

    @extend_schema(
        request=MatrixCellUpdateSerializer,
        responses={200: MatrixCellSerializer},
        parameters=[OpenApiParameter("cell", str, OpenApiParameter.PATH, enum=CELLS)],
    )
    def partial_update(self, request: Request, cell: str = "") -> Response:
        """Set one cell; `version` is the cell's version you read (0 for a default cell)."""
        actor = request.user
        require_manager(actor)
        impact, _sep, urgency = cell.partition("-")
        if impact not in Level.values or urgency not in Level.values:
            raise NotFound()
        v = parse_input(MatrixCellUpdateSerializer, request.data)
        coop = managed_cooperation(actor, v.get("cooperation"))
        services.matrix_cell_set(
            actor=actor,
            cooperation=coop,
            impact=impact,
            urgency=urgency,
            priority=v["priority"],
            expected_version=v["version"],
        )
        found = next(c for c in _cells(coop.pk) if c["cell"] == cell)
        return Response(MatrixCellSerializer(found).data)


# --- escalation rules ---------------------------------------------------------------------------


def _group_of(actor: Actor, coop: Any, field: str, pk: int | None) -> Any:
    """An assignment group of the cooperation (None for None); else 400 naming the field."""
    if pk is None:
        return None
    found = selectors.managed_group_list(actor=actor).filter(pk=pk, cooperation=coop).first()
    if found is None:
        raise ValidationFailed(fields={field: [_("Okänd grupp.")]})
    return found


@extend_schema(tags=["servicedesk"])
@extend_schema_view(
    create=extend_schema(
        request=EscalationRuleCreateSerializer, responses={201: EscalationRuleSerializer}
    ),
    partial_update=extend_schema(
        request=EscalationRuleUpdateSerializer, responses={200: EscalationRuleSerializer}
    ),
)
class EscalationRuleViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Any]
):
    """Escalation rules of the cooperations the actor manages: on an SLA warning or breach of a
    ticket of the given priorities and groups (empty: all), notify, raise the priority one step
    or reassign. End a rule with `is_active: false`; rules are never deleted."""

    serializer_class = EscalationRuleSerializer
    filterset_class = EscalationRuleFilter
    ordering_fields = ["name", "trigger", "id"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> Any:
        return selectors.managed_escalation_rule_list(actor=self.request.user).order_by(
            "name", "pk"
        )

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        require_manager(request.user)
        return super().list(request, *args, **kwargs)

    def get_object(self) -> Any:
        return selectors.managed_escalation_rule_get(actor=self.request.user, pk=self.kwargs["pk"])

    def _out(self, rule: Any, code: int = status.HTTP_200_OK) -> Response:
        fresh = selectors.managed_escalation_rule_get(actor=self.request.user, pk=rule.pk)
        return Response(EscalationRuleSerializer(fresh).data, status=code)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        actor = request.user
        require_manager(actor)
        v = parse_input(EscalationRuleCreateSerializer, request.data)
        coop = managed_cooperation(actor, v.pop("cooperation", None))
        v["reassign_to"] = _group_of(actor, coop, "reassign_to", v["reassign_to"])
        rule = services.escalation_rule_create(actor=actor, cooperation=coop, **v)
        return self._out(rule, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        rule = self.get_object()
        v = parse_input(EscalationRuleUpdateSerializer, request.data)
        version = v.pop("version")
        if "reassign_to" in v:
            v["reassign_to"] = _group_of(
                request.user, rule.cooperation, "reassign_to", v["reassign_to"]
            )
        services.escalation_rule_update(
            actor=request.user, rule=rule, expected_version=version, **v
        )
        return self._out(rule)


# --- routing rules ------------------------------------------------------------------------------


def _routing(coop: Any) -> dict[str, Any]:
    current = selectors.routing_settings_get(cooperation_id=coop.pk)
    if current is None:
        return {
            "cooperation": coop.pk,
            "learning_url": "",
            "training_keywords": [],
            "training_service_ids": [],
            "training_reply": "",
            "replace_incidents": None,
            "replace_days": 90,
            "version": 0,
        }
    return {
        "cooperation": coop.pk,
        "learning_url": current.learning_url,
        "training_keywords": list(current.training_keywords),
        "training_service_ids": list(current.training_service_ids),
        "training_reply": current.training_reply,
        "replace_incidents": current.replace_incidents,
        "replace_days": current.replace_days,
        "version": current.version,
    }


@extend_schema(tags=["servicedesk"])
class RoutingView(APIView):
    """A cooperation's routing rules: training questions (a keyword in the title or one of the
    services: marked and answered with the learning platform's address) and replace, don't
    repair (a device with N incidents in M days). One per cooperation; PUT saves them all."""

    # 404: the actor manages no cooperation (the page answers the same).
    @extend_schema(
        parameters=[RoutingQuerySerializer], responses={200: RoutingSerializer, 404: NOT_FOUND}
    )
    def get(self, request: Request) -> Response:
        require_manager(request.user)
        v = parse_input(RoutingQuerySerializer, request.query_params)
        coop = managed_cooperation(request.user, v.get("cooperation"))
        return Response(RoutingSerializer(_routing(coop)).data)

    @extend_schema(
        request=RoutingSaveSerializer, responses={200: RoutingSerializer, 404: NOT_FOUND}
    )
    def put(self, request: Request) -> Response:
        """Save the rules; `version` is the one you read (0 before the first save)."""
        require_manager(request.user)
        v = parse_input(RoutingSaveSerializer, request.data)
        coop = managed_cooperation(request.user, v.pop("cooperation", None))
        version = v.pop("version")
        services.routing_settings_save(
            actor=request.user, cooperation=coop, expected_version=version, **v
        )
        return Response(RoutingSerializer(_routing(coop)).data)
