"""The portfolio API under /api/v1/portfolio/: initiatives with their milestones and the
benefits the caller may see (read), and benefits (list; report the realised value)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from itfabrik.core.api.validation import parse_input
from itfabrik.core.errors import NotFound
from itfabrik.portfolio import selectors, services
from itfabrik.portfolio.filters import BenefitFilter, InitiativeFilter
from itfabrik.portfolio.models import Benefit, Initiative

from .serializers import BenefitReportSerializer, BenefitSerializer, InitiativeSerializer

extend_schema_field(BenefitSerializer(many=True))(InitiativeSerializer.get_benefits)


@extend_schema(tags=["portfolio"])
class InitiativeViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Initiative]
):
    """Initiatives of the digitalisation portfolio, highest priority first, each with its
    milestones and its benefits (planned and realised per month and municipality). Someone who
    sees the portfolio only in their municipality gets that municipality's initiatives and
    benefits, and those for the whole cooperation."""

    serializer_class = InitiativeSerializer
    filterset_class = InitiativeFilter
    ordering_fields = ["priority_score", "code", "start", "id"]

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return Initiative.objects.none()
        if not selectors.may_view(self.request.user):
            raise NotFound()
        return selectors.initiative_with_benefits_list(actor=self.request.user)

    def get_object(self) -> Initiative:
        initiative = selectors.initiative_get(actor=self.request.user, pk=self.kwargs["pk"])
        return self.get_queryset().get(pk=initiative.pk)


@extend_schema(tags=["portfolio"])
@extend_schema_view(
    partial_update=extend_schema(
        request=BenefitReportSerializer, responses={200: BenefitSerializer}
    ),
)
class BenefitViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Benefit]
):
    """Benefits per month and municipality. PATCH reports the realised value (the benefit's
    owner, or who reports benefits in its municipality)."""

    serializer_class = BenefitSerializer
    filterset_class = BenefitFilter
    ordering_fields = ["period", "id"]
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self) -> Any:
        return selectors.benefit_list(actor=self.request.user)

    def get_object(self) -> Benefit:
        return selectors.benefit_get(actor=self.request.user, pk=self.kwargs["pk"])

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        benefit = self.get_object()
        v = parse_input(BenefitReportSerializer, request.data)
        services.benefit_report(
            actor=request.user,
            benefit=benefit,
            expected_version=v["version"],
            realised=v["realised"],
            comment=v["comment"],
        )
        return Response(BenefitSerializer(self.get_object()).data)
