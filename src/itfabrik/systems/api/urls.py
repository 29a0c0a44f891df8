from rest_framework.routers import DefaultRouter

from .views import SystemViewSet

router = DefaultRouter()
router.include_root_view = False
router.register("systems", SystemViewSet, basename="system")

urlpatterns = router.urls
