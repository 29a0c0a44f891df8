from rest_framework.routers import DefaultRouter

from .views import ChargeMappingViewSet, DeviceViewSet, LeaseViewSet

router = DefaultRouter()
router.include_root_view = False
router.register("assets/leases", LeaseViewSet, basename="asset-lease")
router.register("assets/charging", ChargeMappingViewSet, basename="asset-charging")
router.register("assets", DeviceViewSet, basename="asset")

urlpatterns = router.urls
