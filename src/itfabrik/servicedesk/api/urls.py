from rest_framework.routers import DefaultRouter

from .views import PolicyViewSet, TicketViewSet, VipViewSet

router = DefaultRouter()
router.include_root_view = False
router.register("tickets", TicketViewSet, basename="ticket")
router.register("servicedesk/vips", VipViewSet, basename="servicedesk-vip")
router.register("servicedesk/policies", PolicyViewSet, basename="servicedesk-policy")

urlpatterns = router.urls
