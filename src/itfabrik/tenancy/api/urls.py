from rest_framework.routers import DefaultRouter

from .views import CooperationViewSet, MembershipViewSet, OrganisationViewSet, PositionViewSet

router = DefaultRouter()
router.include_root_view = False
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("cooperations", CooperationViewSet, basename="cooperation")
router.register("memberships", MembershipViewSet, basename="membership")
router.register("positions", PositionViewSet, basename="position")

urlpatterns = router.urls
