from rest_framework.routers import SimpleRouter

from apps.audit.api.views import AuditEventViewSet

router = SimpleRouter()
router.register("audit-events", AuditEventViewSet, basename="auditevent")

app_name = "audit-api"
urlpatterns = router.urls
