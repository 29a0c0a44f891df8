"""The risk register's API under /api/v1/risks/: each risk with its title, scope, probability,
consequence and score (probability × consequence), residual score, treatment and the latest
workshop's average and spread; register and correct risks."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.filters import OrderingFilter
from rest_framework.request import Request
from rest_framework.response import Response

from itfabrik.accounts.models import User
from itfabrik.catalog.models import Service
from itfabrik.core.api.validation import FilterBackend, parse_input
from itfabrik.core.errors import NotFound, ValidationFailed
from itfabrik.core.registry import current_cooperation
from itfabrik.portfolio.models import Initiative
from itfabrik.risks import selectors, services
from itfabrik.risks.filters import RiskFilter
from itfabrik.risks.models import Risk
from itfabrik.systems.models import System
from itfabrik.tenancy.models import Cooperation, OrgNode

from .serializers import RiskCreateSerializer, RiskSerializer, RiskUpdateSerializer

_LINKS: dict[str, tuple[Any, Any]] = {
    "systems": (System, _("Okänt system.")),
    "services": (Service, _("Okänd tjänst.")),
    "initiatives": (Initiative, _("Okänt initiativ.")),
}


def _links(coop: Cooperation, v: dict[str, Any]) -> dict[str, Any]:
    """The linked systems, services and initiatives named by id in `v` (popped from it), each
    of the cooperation; an unknown id (or another cooperation's) is refused naming the field."""
    found: dict[str, Any] = {}
    errors: dict[str, list[Any]] = {}
    for name, (model, message) in _LINKS.items():
        if name not in v:
            continue
        ids = v.pop(name)
        rows = list(model.objects.filter(cooperation=coop, pk__in=ids))
        if len(rows) != len(set(ids)):
            errors[name] = [message]
        found[name] = rows
    if errors:
        raise ValidationFailed(fields=errors)
    return found


class RiskOrdering(OrderingFilter):
    """`?ordering=` over the list's fields; `workshop_average` (the latest workshop's mean) puts
    unscored risks last in either direction, and every ordering ends on the id."""

    def filter_queryset(self, request: Any, queryset: Any, view: Any) -> Any:
        ordering = self.get_ordering(request, queryset, view)
        if not ordering:
            return queryset
        terms: list[Any] = [
            selectors.SORTS[name][0] if name.lstrip("-") == "workshop_average" else name
            for name in ordering
        ]
        return queryset.order_by(*terms, "pk")

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        params: list[dict[str, Any]] = super().get_schema_operation_parameters(view)
        fields = list(getattr(view, "ordering_fields", None) or [])
        for param in params:
            param["description"] = (
                "Sort order: a field, `-` first for descending; `workshop_average` (the latest "
                "workshop's mean) puts unscored risks last either way."
            )
            param["schema"] = {
                "type": "string",
                "enum": [d + f for f in fields for d in ("", "-")],
            }
        return params


@extend_schema(tags=["risks"])
@extend_schema_view(
    create=extend_schema(request=RiskCreateSerializer, responses={201: RiskSerializer}),
    partial_update=extend_schema(request=RiskUpdateSerializer, responses={200: RiskSerializer}),
)
class RiskViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Risk]):
    """Risks the actor sees, highest score first."""

    serializer_class = RiskSerializer
    filterset_class = RiskFilter
    filter_backends = [FilterBackend, RiskOrdering]
    ordering_fields = [
        "score", "residual_score", "probability", "consequence", "workshop_average", "title",
        "next_review", "id",
    ]  # fmt: skip
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> Any:
        return selectors.risk_list(actor=self.request.user).prefetch_related(
            "systems", "services", "initiatives"
        )

    def get_object(self) -> Risk:
        return selectors.risk_get(actor=self.request.user, pk=self.kwargs["pk"])

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        qs = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(qs)
        rows = list(page) if page is not None else list(qs)
        context = {
            **self.get_serializer_context(),
            "averages": selectors.workshop_average_summary(risk_ids=[r.pk for r in rows]),
        }
        data = RiskSerializer(rows, many=True, context=context).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def _out(self, risk: Risk, code: int = status.HTTP_200_OK) -> Response:
        fresh = selectors.risk_get(actor=self.request.user, pk=risk.pk)
        context = {"averages": selectors.workshop_average_summary(risk_ids=[fresh.pk])}
        return Response(RiskSerializer(fresh, context=context).data, status=code)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._out(self.get_object())

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        coop = current_cooperation(request)
        if coop is None or not selectors.may_view(request.user):
            raise NotFound()
        v = parse_input(RiskCreateSerializer, request.data)
        errors: dict[str, list[Any]] = {}
        scope = OrgNode.objects.filter(pk=v.pop("scope"), cooperation=coop).first()
        if scope is None:
            errors["scope"] = [_("Välj samverkan eller en kommun.")]
        owner_id = v.pop("owner")
        owner = None
        if owner_id is not None:
            owner = User.objects.filter(
                pk=owner_id, is_active=True, assignments__node__cooperation=coop
            ).first()
            if owner is None:
                errors["owner"] = [_("Okänd person.")]
        if errors:
            raise ValidationFailed(fields=errors)
        assert scope is not None
        links = _links(coop, v)
        risk = services.risk_create(
            actor=request.user, cooperation=coop, scope=scope, owner=owner, **links, **v
        )
        return self._out(risk, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        risk = self.get_object()
        v = parse_input(RiskUpdateSerializer, request.data)
        version = v.pop("version")
        links = _links(risk.cooperation, v)
        services.risk_update(actor=request.user, risk=risk, expected_version=version, **links, **v)
        return self._out(risk)
