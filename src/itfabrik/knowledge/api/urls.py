from rest_framework.routers import DefaultRouter

from .views import ArticleViewSet, DeflectionViewSet, FeedbackViewSet

router = DefaultRouter()
router.include_root_view = False
router.register("knowledge/articles", ArticleViewSet, basename="knowledge-article")
router.register("knowledge/feedback", FeedbackViewSet, basename="knowledge-feedback")
router.register("knowledge/deflections", DeflectionViewSet, basename="knowledge-deflection")

urlpatterns = router.urls
