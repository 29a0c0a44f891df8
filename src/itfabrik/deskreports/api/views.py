"""The same figures as the report pages, as JSON: one endpoint per report, the same filters."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from itfabrik.core import permissions
from itfabrik.core.api.serializers import NOT_FOUND, ErrorSerializer
from itfabrik.core.errors import NotFound

from .. import params, selectors
from ..permissions import VIEW_REPORTS
from .serializers import DeskReportSerializer

BAD_INPUT = OpenApiResponse(ErrorSerializer, description="Ogiltigt filter / invalid filter")

FILTER_PARAMETERS = [
    OpenApiParameter("from", OpenApiTypes.STR, description="Första månaden, ÅÅÅÅ-MM"),
    OpenApiParameter("to", OpenApiTypes.STR, description="Sista månaden, ÅÅÅÅ-MM"),
    OpenApiParameter("municipality", OpenApiTypes.INT, description="Kommunens nod-id"),
    OpenApiParameter("group", OpenApiTypes.INT, description="Handläggargruppens id"),
    OpenApiParameter("priority", OpenApiTypes.STR, enum=["P1", "P2", "P3", "P4", "P5"]),
    OpenApiParameter("service", OpenApiTypes.INT, description="Tjänstens id"),
    OpenApiParameter("channel", OpenApiTypes.STR, enum=["portal", "email", "phone", "walk_in"]),
]


def _payload(request: Request, key: str) -> dict[str, Any]:
    if not permissions.can_anywhere(request.user, VIEW_REPORTS):
        raise NotFound()
    f = params.parse(request.user, request.query_params, params.options(request.user))
    rep = selectors.REPORTS[key](request.user, f)
    return {
        "report": rep.key,
        "title": str(rep.title),
        "definition": str(rep.definition),
        "from": f.first_month,
        "to": f.last_month,
        "filters": f.querystring,
        "tables": [
            {
                "key": t.key,
                "title": str(t.title),
                "columns": [
                    {"key": c.key, "label": str(c.label), "kind": c.kind} for c in t.columns
                ],
                "rows": t.rows,
            }
            for t in rep.tables
        ],
    }


def _view(key: str, doc: str) -> type[APIView]:
    @extend_schema(
        tags=["deskreports"],
        operation_id=f"deskreports_{key}",
        parameters=FILTER_PARAMETERS,
        responses={200: DeskReportSerializer, 400: BAD_INPUT, 404: NOT_FOUND},
    )
    def get(self: APIView, request: Request) -> Response:
        return Response(DeskReportSerializer(_payload(request, key)).data)

    return type(f"{key.title()}ReportView", (APIView,), {"get": get, "__doc__": doc})


SlaReportView = _view("sla", "SLA-uppfyllelse per kommun, prioritet, grupp och månad.")
BacklogReportView = _view("backlog", "Öppna ärenden per grupp och prioritet i åldersintervall.")
FcrReportView = _view("fcr", "Lösta vid första kontakt per månad och kommun.")
VolumeReportView = _view("volume", "Ärenden per månad och kanal.")
DeflectionReportView = _view("deflection", "Avledningsgrad per månad och kommun.")
TrainingReportView = _view("training", "Utbildningsfrågor per månad och kommun.")
SatisfactionReportView = _view(
    "satisfaction",
    "Nöjdhet (svarsfrekvens, medelbetyg, låga betyg) per kommun, grupp, tjänst och månad.",
)
