from rest_framework.routers import DefaultRouter

from .views import (
    OrderViewSet,
    PackageViewSet,
    PriceListViewSet,
    ServiceAreaViewSet,
    ServiceViewSet,
    SubscriptionViewSet,
)

router = DefaultRouter()
router.include_root_view = False
router.register("catalog/areas", ServiceAreaViewSet, basename="catalog-area")
router.register("catalog/services", ServiceViewSet, basename="catalog-service")
router.register("catalog/packages", PackageViewSet, basename="catalog-package")
router.register("catalog/price-lists", PriceListViewSet, basename="catalog-price-list")
router.register("catalog/orders", OrderViewSet, basename="catalog-order")
router.register("catalog/subscriptions", SubscriptionViewSet, basename="catalog-subscription")

urlpatterns = router.urls
