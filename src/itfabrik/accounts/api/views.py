from __future__ import annotations

from typing import Any

import django_filters
from django.contrib.auth import authenticate
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from itfabrik.accounts import selectors, services, twofactor
from itfabrik.accounts.choices import Role
from itfabrik.accounts.models import RoleAssignment
from itfabrik.core.api.serializers import ErrorSerializer
from itfabrik.core.errors import NotAuthenticated, ValidationFailed

from .serializers import (
    MeSerializer,
    RoleAssignmentSerializer,
    TokenRequestSerializer,
    TokenResponseSerializer,
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
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        user = authenticate(request._request, username=v["username"], password=v["password"])
        if user is None:
            if getattr(request._request, "axes_locked_out", False):
                from itfabrik.core.errors import Throttled

                raise Throttled()
            raise NotAuthenticated(twofactor.BAD_CREDENTIALS)
        if twofactor.needs_code(user):
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
        rows = list(selectors.my_assignments(actor=request.user))
        me = MeSerializer(request.user, context={"assignments": rows})  # type: ignore[arg-type]
        return Response(me.data)


class AssignmentFilter(django_filters.FilterSet):
    user = django_filters.NumberFilter(field_name="user_id")
    node = django_filters.NumberFilter(field_name="node_id")
    role = django_filters.ChoiceFilter(choices=Role.choices)

    class Meta:
        model = RoleAssignment
        fields: list[str] = []


@extend_schema(tags=["accounts"])
class RoleAssignmentViewSet(mixins.ListModelMixin, viewsets.GenericViewSet[RoleAssignment]):
    serializer_class = RoleAssignmentSerializer
    filterset_class = AssignmentFilter
    ordering_fields = ["role", "id"]

    def get_queryset(self) -> Any:
        return selectors.assignment_list(actor=self.request.user)
