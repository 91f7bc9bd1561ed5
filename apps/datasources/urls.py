from django.urls import path

from apps.datasources import views

app_name = "datasources"
urlpatterns = [
    path("", views.DataSourceListView.as_view(), name="list"),
    path("new/", views.DataSourceCreateView.as_view(), name="create"),
    path("import/", views.DataSourceImportView.as_view(), name="import"),
    path("import/template.<str:kind>", views.DataSourceTemplateView.as_view(), name="import_template"),
    path("export.<str:kind>", views.DataSourceExportView.as_view(), name="export"),
    path("<int:pk>/", views.DataSourceDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.DataSourceEditView.as_view(), name="edit"),
    path("<int:pk>/delete/", views.DataSourceDeleteView.as_view(), name="delete"),
    path("assess/<int:pk>/", views.AssessmentCreateView.as_view(), name="assessment_create"),
    path("assessments/<int:pk>/", views.AssessmentDetailView.as_view(), name="assessment_detail"),
    path("assessments/<int:pk>/edit/", views.AssessmentEditView.as_view(), name="assessment_edit"),
    path("assessments/<int:pk>/delete/", views.AssessmentDeleteView.as_view(), name="assessment_delete"),
]
