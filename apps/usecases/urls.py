from django.urls import path

from apps.usecases import views

app_name = "usecases"
urlpatterns = [
    path("", views.UseCaseListView.as_view(), name="list"),
    path("new/", views.UseCaseCreateView.as_view(), name="create"),
    path("<int:pk>/", views.UseCaseDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.UseCaseEditView.as_view(), name="edit"),
    path("<int:pk>/phase/", views.UseCasePhaseView.as_view(), name="phase"),
    path("<int:pk>/delete/", views.UseCaseDeleteView.as_view(), name="delete"),
]
