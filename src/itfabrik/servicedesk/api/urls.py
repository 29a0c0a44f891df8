from django.urls import path
from rest_framework.routers import DefaultRouter

from .manage import (
    CalendarViewSet,
    EscalationRuleViewSet,
    GroupViewSet,
    MatrixViewSet,
    RoutingView,
)
from .views import AttachmentViewSet, PolicyViewSet, TicketViewSet, VipViewSet

router = DefaultRouter()
router.include_root_view = False
router.register("tickets", TicketViewSet, basename="ticket")
router.register("servicedesk/vips", VipViewSet, basename="servicedesk-vip")
router.register("servicedesk/policies", PolicyViewSet, basename="servicedesk-policy")
router.register("servicedesk/groups", GroupViewSet, basename="servicedesk-group")
router.register("servicedesk/calendars", CalendarViewSet, basename="servicedesk-calendar")
router.register("servicedesk/priority-matrix", MatrixViewSet, basename="servicedesk-matrix")
router.register("servicedesk/attachments", AttachmentViewSet, basename="servicedesk-attachment")

router.register(
    "servicedesk/escalation-rules", EscalationRuleViewSet, basename="servicedesk-escalation"
)

urlpatterns = [
    path("servicedesk/routing/", RoutingView.as_view(), name="servicedesk-routing"),
    *router.urls,
]
