from rest_framework.routers import SimpleRouter

from apps.datasources.api.views import DataAssessmentViewSet, DataSourceViewSet

router = SimpleRouter()
router.register("data-sources", DataSourceViewSet, basename="datasource")
router.register("data-assessments", DataAssessmentViewSet, basename="assessment")

app_name = "datasources-api"
urlpatterns = router.urls
