from django.urls import path
from rest_framework.routers import DefaultRouter

from .views import BaselineView, FiguresViewSet, FollowUpView, ScenarioViewSet, TimelineView

router = DefaultRouter()
router.include_root_view = False
router.register("economy/scenarios", ScenarioViewSet, basename="economy-scenario")
router.register("economy/figures", FiguresViewSet, basename="economy-figures")

urlpatterns = [
    path("economy/baseline/", BaselineView.as_view(), name="economy-baseline"),
    path("economy/timeline/", TimelineView.as_view(), name="economy-timeline"),
    path("economy/followup/", FollowUpView.as_view(), name="economy-followup"),
    *router.urls,
]
