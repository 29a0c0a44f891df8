from __future__ import annotations

from typing import Any

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from itfabrik.core import audit_display, selectors
from itfabrik.core.api.filters import DateTimeFilter, IdFilter
from itfabrik.core.models import AuditAction, AuditEntry

from .serializers import AuditEntrySerializer


class AuditFilter(django_filters.FilterSet):
    object_type = django_filters.CharFilter()
    object_id = django_filters.CharFilter()
    actor = IdFilter(field_name="actor_id")
    action = django_filters.ChoiceFilter(choices=AuditAction.choices)
    q = django_filters.CharFilter(method="filter_q", label="Sök")
    since = DateTimeFilter(field_name="occurred_at", lookup_expr="gte")
    until = DateTimeFilter(field_name="occurred_at", lookup_expr="lt")

    class Meta:
        model = AuditEntry
        fields: list[str] = []

    def filter_q(self, queryset: Any, name: str, value: str) -> Any:
        from django.db.models import Q

        return queryset.filter(Q(object_repr__icontains=value) | Q(actor_repr__icontains=value))


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
