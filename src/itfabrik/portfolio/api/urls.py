from rest_framework.routers import DefaultRouter

from .views import BenefitViewSet, InitiativeViewSet

router = DefaultRouter()
router.include_root_view = False
router.register("portfolio/initiatives", InitiativeViewSet, basename="portfolio-initiative")
router.register("portfolio/benefits", BenefitViewSet, basename="portfolio-benefit")

urlpatterns = router.urls
