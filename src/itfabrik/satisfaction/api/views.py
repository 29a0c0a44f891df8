from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from itfabrik.core.api.serializers import ErrorSerializer
from itfabrik.core.api.validation import parse_input
from itfabrik.core.errors import NotFound

from .. import selectors, services
from ..choices import RatingChannel
from ..filters import RatingFilter
from ..models import Rating
from ..selectors import Period
from .serializers import (
    RatingCreateSerializer,
    RatingSerializer,
    ReportQuerySerializer,
    ReportSerializer,
)


@extend_schema(tags=["satisfaction"])
@extend_schema_view(
    create=extend_schema(
        request=RatingCreateSerializer,
        responses={201: RatingSerializer, 200: RatingSerializer},
    ),
)
class RatingViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Rating]
):
    """Satisfaction ratings. Listing is for the service desk's staff (their cooperation's
    tickets, with comments). Anyone rates a resolved ticket they reported: POST answers 201 with
    the new rating, or 200 with the answer already given (nothing changed); another person's
    ticket is 404."""

    serializer_class = RatingSerializer
    filterset_class = RatingFilter
    ordering_fields = ["rated_at", "score", "id"]
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> Any:
        return selectors.rating_list(actor=self.request.user)

    def get_object(self) -> Rating:
        return selectors.rating_get(actor=self.request.user, pk=self.kwargs["pk"])

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        v = parse_input(RatingCreateSerializer, request.data)
        ticket = selectors.my_ticket_get(actor=request.user, pk=v["ticket"])
        rating, created = services.rating_submit(
            actor=request.user,
            ticket=ticket,
            score=v["score"],
            comment=v.get("comment", ""),
            channel=RatingChannel.API,
        )
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(RatingSerializer(rating).data, status=code)


@extend_schema(
    tags=["satisfaction"],
    parameters=[ReportQuerySerializer],
    responses={
        200: ReportSerializer,
        400: OpenApiResponse(ErrorSerializer, description="Ogiltigt filter / invalid filter"),
        404: OpenApiResponse(
            ErrorSerializer, description="Får inte se rapporten / may not see the report"
        ),
    },
)
class ReportView(APIView):
    """Response rate (rated / resolved, per cent) and average score of the tickets resolved in
    the period, per municipality, group, service or month: the actor's scope only (a
    municipality's IT contact or council member sees that municipality)."""

    def get(self, request: Request) -> Response:
        if not selectors.may_view_reports(request.user):
            raise NotFound()
        v = parse_input(ReportQuerySerializer, request.query_params)
        start, end = selectors._default_period()
        period = Period(v.get("start") or start, v.get("end") or end)
        rows = selectors.rating_report(actor=request.user, dimension=v["dimension"], period=period)
        total = selectors.rating_report_summary(rows)
        data = {
            "dimension": v["dimension"],
            "start": period.start,
            "end": period.end,
            "rows": [_row(r) for r in rows],
            "total": _row(total),
        }
        return Response(ReportSerializer(data).data)


def _row(r: selectors.ReportRow) -> dict[str, Any]:
    return {
        "key": None if r.key is None else str(r.key),
        "name": r.label,
        "resolved": r.resolved,
        "rated": r.rated,
        "response_rate": r.response_rate,
        "average": r.average,
        "low": r.low,
    }
