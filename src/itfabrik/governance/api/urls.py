from rest_framework.routers import DefaultRouter

from .views import DecisionViewSet, ForumViewSet

router = DefaultRouter()
router.include_root_view = False
router.register("governance/decisions", DecisionViewSet, basename="governance-decision")
router.register("governance/forums", ForumViewSet, basename="governance-forum")

urlpatterns = router.urls
