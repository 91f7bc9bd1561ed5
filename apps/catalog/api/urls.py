from rest_framework.routers import SimpleRouter

from apps.catalog.api import views

app_name = "catalog-api"

router = SimpleRouter()
router.register("catalog/models", views.CatalogEntryViewSet, basename="entry")
router.register("catalog/change-events", views.CatalogChangeEventViewSet, basename="change-event")
router.register("catalog/refresh-runs", views.RefreshRunViewSet, basename="refresh-run")
urlpatterns = router.urls
