from rest_framework.routers import DefaultRouter

from .views import InformationAssetViewSet, SystemViewSet

router = DefaultRouter()
router.include_root_view = False
router.register(
    "systems/information-assets", InformationAssetViewSet, basename="system-information-asset"
)
router.register("systems", SystemViewSet, basename="system")

urlpatterns = router.urls
