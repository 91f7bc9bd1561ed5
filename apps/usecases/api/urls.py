from rest_framework.routers import SimpleRouter

from apps.usecases.api.views import PhaseTransitionViewSet, UseCaseViewSet

router = SimpleRouter()
router.register("use-cases", UseCaseViewSet, basename="usecase")
router.register("phase-transitions", PhaseTransitionViewSet, basename="phasetransition")

app_name = "usecases-api"
urlpatterns = router.urls
