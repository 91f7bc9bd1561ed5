# TEMPORARY (development only, while other apps' URL modules do not import): remove before hand-off.
from django.urls import include, path
from django.views.i18n import set_language

from apps.organizations import views as org_views

org_patterns = [
    path("", org_views.OrganizationDashboardView.as_view(), name="org_dashboard"),
    path("settings/", org_views.OrganizationSettingsView.as_view(), name="org_settings"),
    path("members/", org_views.MemberListView.as_view(), name="org_members"),
    path("sso/", include("apps.sso.urls")),
]
api_patterns = [path("", include("apps.sso.api.urls"))]
urlpatterns = [
    path("", org_views.HomeView.as_view(), name="home"),
    path("accounts/", include("allauth.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("o/", org_views.OrganizationListView.as_view(), name="org_list"),
    path("o/new/", org_views.OrganizationCreateView.as_view(), name="org_create"),
    path("o/<slug:org_slug>/", include(org_patterns)),
    path("api/v1/orgs/<slug:org_slug>/", include(api_patterns)),
    path("sso/", include("apps.sso.public_urls")),
]
