from rest_framework.routers import DefaultRouter

from .manage import CalendarViewSet, GroupViewSet, MatrixViewSet
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

urlpatterns = router.urls
