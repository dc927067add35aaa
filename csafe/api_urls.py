"""Version 1 of the API. Each app contributes its viewsets here."""

from rest_framework.routers import DefaultRouter

from cases.api import YoungPersonViewSet

router = DefaultRouter()
router.register("young-people", YoungPersonViewSet, basename="young-person")

urlpatterns = router.urls
