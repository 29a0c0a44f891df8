from rest_framework.routers import DefaultRouter

from .views import BlockViewSet, BookingViewSet

router = DefaultRouter()
router.include_root_view = False
router.register("bookings/blocks", BlockViewSet, basename="booking-block")
router.register("bookings/bookings", BookingViewSet, basename="booking")

urlpatterns = router.urls
