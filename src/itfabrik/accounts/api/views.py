from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from itfabrik.accounts import selectors, services, twofactor
from itfabrik.accounts.filters import AssignmentFilter, UserFilter
from itfabrik.accounts.models import RoleAssignment, User
from itfabrik.core.actors import Actor
from itfabrik.core.api.serializers import ErrorSerializer
from itfabrik.core.api.validation import parse_input
from itfabrik.core.errors import NotAuthenticated, NotFound, ValidationFailed
from itfabrik.tenancy.selectors import node_get

from .serializers import (
    MeSerializer,
    RoleAssignmentCreateSerializer,
    RoleAssignmentSerializer,
    TokenRequestSerializer,
    TokenResponseSerializer,
    UserCreateSerializer,
    UserSerializer,
    UserUpdateSerializer,
)


class ObtainTokenView(APIView):
    """Exchange username, password (and a TOTP code where required) for an API token."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []

    @extend_schema(
        tags=["auth"],
        request=TokenRequestSerializer,
        responses={
            200: TokenResponseSerializer,
            400: OpenApiResponse(ErrorSerializer),
            401: OpenApiResponse(ErrorSerializer),
            429: OpenApiResponse(ErrorSerializer),
        },
    )
    def post(self, request: Request) -> Response:
        v = parse_input(TokenRequestSerializer, request.data)
        user = authenticate(request._request, username=v["username"], password=v["password"])
        if user is None:
            if getattr(request._request, "axes_locked_out", False):
                from itfabrik.core.errors import Throttled

                raise Throttled()
            raise NotAuthenticated(twofactor.BAD_CREDENTIALS)
        if twofactor.needs_code(user, for_token=True):
            code = (v.get("otp") or "").strip()
            if not code:
                raise ValidationFailed(fields={"otp": [twofactor.CODE_REQUIRED]})
            if twofactor.verify(user, code) is None:
                raise NotAuthenticated(twofactor.BAD_CODE)
        token = services.token_issue(user=user)
        return Response({"token": token.key})


@extend_schema(tags=["auth"])
class MeView(APIView):
    @extend_schema(responses={200: MeSerializer})
    def get(self, request: Request) -> Response:
        rows = list(selectors.own_assignment_list(actor=request.user))
        me = MeSerializer(request.user, context={"assignments": rows})  # type: ignore[arg-type]
        return Response(me.data)


def _visible_or_none(get: Any, actor: Actor, pk: int | None) -> Any:
    if pk is None:
        return None
    try:
        return get(actor=actor, pk=pk)
    except NotFound:
        return None


@extend_schema(tags=["accounts"])
@extend_schema_view(
    create=extend_schema(
        request=RoleAssignmentCreateSerializer, responses={201: RoleAssignmentSerializer}
    ),
    destroy=extend_schema(responses={204: None}),
)
class RoleAssignmentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet[RoleAssignment],
):
    """Role assignments: user × role × organisation node × recursive."""

    serializer_class = RoleAssignmentSerializer
    filterset_class = AssignmentFilter
    ordering_fields = ["role", "id"]
    ordering = ["user__username", "role", "id"]

    def get_queryset(self) -> Any:
        return selectors.assignment_list(actor=self.request.user)

    def get_object(self) -> RoleAssignment:
        return selectors.assignment_get(actor=self.request.user, pk=self.kwargs["pk"])

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        def check(*, user: int | None = None, node: int | None = None, **values: Any) -> None:
            # Every field's message in one answer; a person or node the actor may not see adds
            # none (the grant itself answers 404 for it, and puts it on record).
            services.role_assign_check(
                actor=request.user,
                user=_visible_or_none(selectors.user_get, request.user, user),
                node=_visible_or_none(node_get, request.user, node),
                **values,
            )

        v = parse_input(RoleAssignmentCreateSerializer, request.data, check=check)
        assignment = services.role_assign_by_ids(
            actor=request.user,
            user_id=v["user"],
            node_id=v["node"],
            role=v["role"],
            recursive=v["recursive"],
            valid_from=v["valid_from"],
            valid_until=v["valid_until"],
        )
        return Response(RoleAssignmentSerializer(assignment).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance: RoleAssignment) -> None:
        services.role_revoke(actor=self.request.user, assignment=instance)


@extend_schema(tags=["accounts"])
@extend_schema_view(
    create=extend_schema(request=UserCreateSerializer, responses={201: UserSerializer}),
    partial_update=extend_schema(request=UserUpdateSerializer, responses={200: UserSerializer}),
)
class UserViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[User]):
    """People whose workplace is in the actor's scope."""

    http_method_names = ["get", "post", "patch", "head", "options"]

    serializer_class = UserSerializer
    filterset_class = UserFilter
    ordering_fields = ["username", "id"]
    ordering = ["username"]

    def get_queryset(self) -> Any:
        return selectors.user_list(actor=self.request.user)

    def get_object(self) -> User:
        return selectors.user_get(actor=self.request.user, pk=self.kwargs["pk"])

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        def check(*, home_unit: int | None = None, **values: Any) -> None:
            unit = node_get(actor=request.user, pk=home_unit) if home_unit is not None else None
            services.user_create_check(actor=request.user, home_unit=unit, **values)

        v = parse_input(UserCreateSerializer, request.data, check=check)
        home_unit = node_get(actor=request.user, pk=v.pop("home_unit"))
        person = services.user_create(
            actor=request.user, home_unit=home_unit, password=v.pop("password") or None, **v
        )
        return Response(UserSerializer(person).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Correct name, e-mail or workplace; `is_active: false` deactivates the account."""
        person = self.get_object()
        v = parse_input(UserUpdateSerializer, request.data)
        if "home_unit" in v:
            v["home_unit"] = node_get(actor=request.user, pk=v["home_unit"])
        updated = services.user_update(actor=request.user, user=person, **v)
        return Response(UserSerializer(updated).data)
