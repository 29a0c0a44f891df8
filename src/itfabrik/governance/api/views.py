"""The governance API under /api/v1/governance/: forums and decisions (read). A decision the
actor may not see is a 404."""

from __future__ import annotations

from typing import Any

from django.db.models import BooleanField as DbBool
from django.db.models import Case, Prefetch, Value, When
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets

from itfabrik.governance import selectors
from itfabrik.governance.choices import MeetingStatus
from itfabrik.governance.filters import DecisionFilter
from itfabrik.governance.models import Decision, Forum, GovernedLink

from .serializers import DecisionSerializer, ForumSerializer


def _decorated(qs: Any) -> Any:
    return (
        qs.select_related("corrects")
        .prefetch_related(
            Prefetch(
                "links",
                queryset=GovernedLink.objects.select_related("content_type").order_by(
                    "kind", "label"
                ),
            )
        )
        .annotate(
            is_final=Case(
                When(meeting__status=MeetingStatus.APPROVED, then=Value(True)),
                default=Value(False),
                output_field=DbBool(),
            )
        )
    )


@extend_schema(tags=["governance"])
class DecisionViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Decision]
):
    """Decisions of the forums the actor sees, newest first; `forum`, `scope` and `status`
    narrow the list. `is_final`: the meeting's minutes are approved, the decision never changes.
    `links`: what the decision governs (price lists, allocation keys, service levels, …)."""

    serializer_class = DecisionSerializer
    filterset_class = DecisionFilter
    ordering_fields = ["decided_on", "id"]

    def get_queryset(self) -> Any:
        return _decorated(selectors.decision_list(actor=self.request.user))

    def get_object(self) -> Decision:
        decision = selectors.decision_get(actor=self.request.user, pk=self.kwargs["pk"])
        return (
            _decorated(Decision.objects.filter(pk=decision.pk))
            .select_related("forum", "municipality", "meeting")
            .get()
        )


@extend_schema(tags=["governance"])
class ForumViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Forum]
):
    """The forums of the governance model the actor sees."""

    serializer_class = ForumSerializer

    def get_queryset(self) -> Any:
        return selectors.forum_list(actor=self.request.user)

    def get_object(self) -> Forum:
        return selectors.forum_get(actor=self.request.user, pk=self.kwargs["pk"])
