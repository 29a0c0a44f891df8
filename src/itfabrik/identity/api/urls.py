from django.urls import path
from rest_framework.routers import DefaultRouter

from .views import AccountViewSet, GrantViewSet, PersonViewSet, ViolationTicketView, ViolationView

router = DefaultRouter()
router.include_root_view = False
router.register("identity/persons", PersonViewSet, basename="identity-person")
router.register("identity/accounts", AccountViewSet, basename="identity-account")
router.register("identity/grants", GrantViewSet, basename="identity-grant")

urlpatterns = [
    path("identity/violations/", ViolationView.as_view(), name="identity-violations"),
    path(
        "identity/violations/ticket/",
        ViolationTicketView.as_view(),
        name="identity-violation-ticket",
    ),
    *router.urls,
]
