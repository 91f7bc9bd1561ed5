from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from apps.audit.api import views as audit_api
from apps.organizations.api import views as org_api

org_api_patterns: list[URLPattern | URLResolver] = [
    path("", org_api.OrganizationDetailView.as_view(), name="api_org_detail"),
    path("", include("apps.organizations.api.urls")),
    path("", include("apps.audit.api.urls")),
    path("", include("apps.usecases.api.urls")),
    path("", include("apps.datasources.api.urls")),
    path("", include("apps.catalog.api.urls")),
    path("", include("apps.registry.api.urls")),
    path("", include("apps.scorecards.api.urls")),
    path("", include("apps.sso.api.urls")),
]

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api_schema"), name="api_docs"),
    path("v1/orgs/", org_api.OrganizationListCreateView.as_view(), name="api_org_list"),
    path("v1/orgs/<slug:org_slug>/", include(org_api_patterns)),
    path("v1/me/", org_api.MeView.as_view(), name="api_me"),
]
_ = audit_api
