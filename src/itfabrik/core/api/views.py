from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from itfabrik.core import audit_display, selectors
from itfabrik.core.filters import AuditFilter

from .serializers import AuditEntrySerializer


@extend_schema(tags=["audit"])
class AuditEntryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The audit trail: who changed what, when, before and after. Scoped like everything else."""

    serializer_class = AuditEntrySerializer
    filterset_class = AuditFilter
    ordering_fields = ["occurred_at", "id"]
    ordering = ["-occurred_at", "-id"]

    def get_queryset(self) -> Any:
        return selectors.audit_list(actor=self.request.user)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        # One batched lookup of related names for the whole page, not one per entry.
        rows = audit_display.attach(page or [])
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)
