from django.urls import path

from . import views

app_name = "catalog"
urlpatterns = [
    path("", views.CatalogListView.as_view(), name="list"),
    path("<int:pk>/", views.CatalogDetailView.as_view(), name="detail"),
    path("changes/", views.ChangeEventListView.as_view(), name="events"),
    path("refresh/", views.RefreshRunListView.as_view(), name="runs"),
    path("refresh/now/", views.RefreshNowView.as_view(), name="refresh_now"),
    path("refresh/schedule/", views.ScheduleUpdateView.as_view(), name="schedule"),
    path("refresh/<int:pk>/", views.RefreshRunDetailView.as_view(), name="run_detail"),
    path("refresh/<int:pk>/progress/", views.RefreshRunProgressView.as_view(), name="run_progress"),
]
