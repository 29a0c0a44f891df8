"""/api/v1/: every app's API in one router."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from itfabrik.accounts.api.views import (
    MeView,
    ObtainTokenView,
    RoleAssignmentViewSet,
    UserViewSet,
)
from itfabrik.core.api.views import AuditEntryViewSet
from itfabrik.tenancy.api.views import (
    CooperationViewSet,
    MembershipViewSet,
    OrganisationViewSet,
    PositionViewSet,
)

router = DefaultRouter()
router.include_root_view = False
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("cooperations", CooperationViewSet, basename="cooperation")
router.register("memberships", MembershipViewSet, basename="membership")
router.register("positions", PositionViewSet, basename="position")
router.register("users", UserViewSet, basename="user")
router.register("role-assignments", RoleAssignmentViewSet, basename="role-assignment")
router.register("audit", AuditEntryViewSet, basename="audit")

urlpatterns = [
    path("auth/token/", ObtainTokenView.as_view(), name="api-token"),
    path("me/", MeView.as_view(), name="api-me"),
    path("", include(router.urls)),
]
