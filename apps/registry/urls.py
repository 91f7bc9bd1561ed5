from django.urls import path

from apps.registry import views

app_name = "registry"
urlpatterns = [
    path("", views.RegistryListView.as_view(), name="list"),
    path("new/", views.RegistryCreateView.as_view(), name="create"),
    path("<int:pk>/", views.RegistryDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.RegistryEditView.as_view(), name="edit"),
    path("<int:pk>/remove/", views.RegistryDeleteView.as_view(), name="delete"),
]
