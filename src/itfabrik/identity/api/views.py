"""The identity API under /api/v1/identity/: persons (list, detail, hire), accounts (list,
detail, correct, disable), grants, and the policy violations (with the remedy as a ticket).

The personal identity number is never a query parameter or in a path; it is only accepted in
a request body and only shown in clear to roles that need it."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from itfabrik.core.api.pagination import Pagination
from itfabrik.core.api.serializers import NOT_FOUND
from itfabrik.core.api.validation import parse_input
from itfabrik.core.errors import NotFound, ValidationFailed
from itfabrik.core.selectors import get_or_not_found
from itfabrik.identity import selectors, services
from itfabrik.identity.choices import ViolationKind
from itfabrik.identity.filters import AccountFilter, GrantFilter, PersonFilter
from itfabrik.identity.models import Account, Grant, Person
from itfabrik.tenancy import selectors as tenancy_selectors

from .serializers import (
    AccountSerializer,
    AccountUpdateSerializer,
    GrantDecisionSerializer,
    GrantRequestSerializer,
    GrantSerializer,
    HireSerializer,
    PersonSerializer,
    TicketRefSerializer,
    ViolationSerializer,
    ViolationTicketSerializer,
)


@extend_schema(tags=["identity"])
@extend_schema_view(create=extend_schema(request=HireSerializer, responses={201: PersonSerializer}))
class PersonViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Person]
):
    """The municipalities' staff: persons with their current employments. POST hires a new
    person (joiner): employment, standard account, address, the role's entitlements."""

    serializer_class = PersonSerializer
    filterset_class = PersonFilter
    ordering_fields = ["last_name", "id"]
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> Any:
        return selectors.person_list(actor=self.request.user)

    def get_object(self) -> Person:
        return get_or_not_found(selectors.person_list(actor=self.request.user), self.kwargs["pk"])

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        v = parse_input(HireSerializer, request.data)
        try:
            unit = tenancy_selectors.node_get(actor=request.user, pk=v["unit"])
        except NotFound:
            raise ValidationFailed(fields={"unit": [_("Okänd enhet.")]}) from None
        role = None
        if v["business_role"] is not None:
            try:
                role = get_or_not_found(
                    selectors.business_role_list(actor=request.user), v["business_role"]
                )
            except NotFound:
                raise ValidationFailed(fields={"business_role": [_("Okänd roll.")]}) from None
        with transaction.atomic():
            person = services.person_create(
                actor=request.user,
                home=unit,
                first_name=v["first_name"],
                last_name=v["last_name"],
                personal_number=v["personal_number"],
            )
            services.employment_create(
                actor=request.user,
                person=person,
                unit=unit,
                title=v["title"],
                start=v["start"],
                end=v["end"],
                business_role=role,
            )
        fresh = get_or_not_found(selectors.person_list(actor=request.user), person.pk)
        return Response(
            PersonSerializer(fresh, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


@extend_schema(tags=["identity"])
@extend_schema_view(
    partial_update=extend_schema(
        request=AccountUpdateSerializer, responses={200: AccountSerializer}
    )
)
class AccountViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Account]
):
    """Accounts: standard (one per person, an address per municipality of employment),
    privileged, external (sponsor, expiry) and service accounts (owner)."""

    serializer_class = AccountSerializer
    filterset_class = AccountFilter
    ordering_fields = ["username", "id"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> Any:
        return selectors.account_list(actor=self.request.user)

    def get_object(self) -> Account:
        return selectors.account_get(actor=self.request.user, pk=self.kwargs["pk"])

    def _out(self, account: Account) -> Response:
        fresh = get_or_not_found(selectors.account_list(actor=self.request.user), account.pk)
        return Response(AccountSerializer(fresh).data)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        account = self.get_object()
        v = parse_input(AccountUpdateSerializer, request.data)
        version = v.pop("version")
        account = services.account_update(
            actor=request.user, account=account, expected_version=version, **v
        )
        return self._out(account)

    @extend_schema(request=None, responses={200: AccountSerializer})
    @action(detail=True, methods=["post"], filterset_class=None, pagination_class=None)
    def disable(self, request: Request, pk: Any = None) -> Response:
        """Disable the account and revoke its entitlements (licences go back to the pool)."""
        account = self.get_object()
        account = services.account_disable(actor=request.user, account=account)
        return self._out(account)


@extend_schema(tags=["identity"])
@extend_schema_view(
    create=extend_schema(request=GrantRequestSerializer, responses={201: GrantSerializer})
)
class GrantViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Grant]
):
    """Entitlements granted to accounts, through a role or directly. POST requests a direct
    grant (pending, with an end date); `approve` and `reject` are the approver's decision."""

    serializer_class = GrantSerializer
    filterset_class = GrantFilter
    ordering_fields = ["created_at", "id"]
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> Any:
        return selectors.grant_list(actor=self.request.user)

    def get_object(self) -> Grant:
        return selectors.grant_get(actor=self.request.user, pk=self.kwargs["pk"])

    def _out(self, grant: Grant, code: int = status.HTTP_200_OK) -> Response:
        fresh = selectors.grant_get(actor=self.request.user, pk=grant.pk)
        return Response(GrantSerializer(fresh).data, status=code)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        v = parse_input(GrantRequestSerializer, request.data)
        errors: dict[str, list[Any]] = {}
        account = entitlement = None
        try:
            account = selectors.account_get(actor=request.user, pk=v["account"])
        except NotFound:
            errors["account"] = [_("Okänt konto.")]
        try:
            entitlement = get_or_not_found(
                selectors.entitlement_list(actor=request.user), v["entitlement"]
            )
        except NotFound:
            errors["entitlement"] = [_("Välj en behörighet.")]
        if errors:
            raise ValidationFailed(fields=errors)
        assert account is not None
        grant = services.grant_request(
            actor=request.user,
            account=account,
            entitlement=entitlement,
            valid_until=v["valid_until"],
            reason=v["reason"],
        )
        return self._out(grant, status.HTTP_201_CREATED)

    @extend_schema(request=GrantDecisionSerializer, responses={200: GrantSerializer})
    @action(detail=True, methods=["post"], filterset_class=None, pagination_class=None)
    def approve(self, request: Request, pk: Any = None) -> Response:
        grant = self.get_object()
        v = parse_input(GrantDecisionSerializer, request.data)
        return self._out(
            services.grant_approve(actor=request.user, grant=grant, expected_version=v["version"])
        )

    @extend_schema(request=GrantDecisionSerializer, responses={200: GrantSerializer})
    @action(detail=True, methods=["post"], filterset_class=None, pagination_class=None)
    def reject(self, request: Request, pk: Any = None) -> Response:
        grant = self.get_object()
        v = parse_input(GrantDecisionSerializer, request.data)
        return self._out(
            services.grant_reject(actor=request.user, grant=grant, expected_version=v["version"])
        )


class ViolationView(APIView):
    """Breaches of the identity policy the caller may see, each with `kind`, `person` or
    `account`, and `detail`."""

    pagination_class = Pagination

    @extend_schema(
        tags=["identity"],
        parameters=[
            OpenApiParameter("kind", str, enum=list(ViolationKind.values), required=False),
            OpenApiParameter("page", int, required=False),
        ],
        responses={200: ViolationSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        kind = request.query_params.get("kind") or None
        if kind is not None and kind not in ViolationKind.values:
            raise ValidationFailed(fields={"kind": [_("Okänd typ av avvikelse.")]})
        if not selectors.may_view(request.user):
            return self._page(request, [])
        return self._page(request, selectors.violation_list(actor=request.user, kind=kind))

    def _page(self, request: Request, rows: list[Any]) -> Response:
        paginator = Pagination()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(ViolationSerializer(page, many=True).data)


class ViolationTicketView(APIView):
    """Open the remedy of a current violation as a service-desk ticket."""

    @extend_schema(
        tags=["identity"],
        request=ViolationTicketSerializer,
        responses={201: TicketRefSerializer, 404: NOT_FOUND},
    )
    def post(self, request: Request) -> Response:
        v = parse_input(ViolationTicketSerializer, request.data)
        ticket = services.violation_remedy(
            actor=request.user, kind=v["kind"], account_id=v["account"], person_id=v["person"]
        )
        return Response(
            {"id": ticket.pk, "reference": ticket.reference}, status=status.HTTP_201_CREATED
        )
