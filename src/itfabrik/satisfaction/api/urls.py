from django.urls import path
from rest_framework.routers import DefaultRouter

from .views import RatingViewSet, ReportView

router = DefaultRouter()
router.include_root_view = False
router.register("satisfaction/ratings", RatingViewSet, basename="satisfaction-rating")

urlpatterns = [
    path("satisfaction/report/", ReportView.as_view(), name="satisfaction-report"),
    *router.urls,
]
