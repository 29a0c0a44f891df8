from django.urls import path
from rest_framework.routers import DefaultRouter

from .views import InvoiceViewSet, PoolViewSet, RunViewSet, SimulationView, UsageViewSet

router = DefaultRouter()
router.include_root_view = False
router.register("billing/invoices", InvoiceViewSet, basename="billing-invoice")
router.register("billing/runs", RunViewSet, basename="billing-run")
router.register("billing/usage", UsageViewSet, basename="billing-usage")
router.register("billing/pools", PoolViewSet, basename="billing-pool")

urlpatterns = [
    path("billing/simulations/", SimulationView.as_view(), name="billing-simulation"),
    *router.urls,
]
