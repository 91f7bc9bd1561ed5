from django.urls import path
from rest_framework.routers import SimpleRouter

from apps.sso.api.views import SsoConnectionViewSet, SsoDomainViewSet, SsoPolicyView

router = SimpleRouter()
router.register("sso/connections", SsoConnectionViewSet, basename="connection")
router.register("sso/domains", SsoDomainViewSet, basename="domain")

app_name = "sso-api"
urlpatterns = [
    path("sso/policy/", SsoPolicyView.as_view(), name="policy"),
    *router.urls,
]
