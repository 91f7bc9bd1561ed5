from rest_framework.routers import SimpleRouter

from apps.registry.api.views import RegisteredModelViewSet

app_name = "registry-api"

router = SimpleRouter()
router.register("registry/models", RegisteredModelViewSet, basename="registered-model")
urlpatterns = router.urls
