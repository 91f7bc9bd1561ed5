from rest_framework.routers import SimpleRouter

from apps.sso.api.views import SsoConnectionViewSet, SsoDomainViewSet

router = SimpleRouter()
router.register("sso/connections", SsoConnectionViewSet, basename="connection")
router.register("sso/domains", SsoDomainViewSet, basename="domain")

app_name = "sso-api"
urlpatterns = router.urls
