from django.contrib import admin
from django.http import HttpRequest, JsonResponse
from django.urls import URLPattern, URLResolver, include, path
from django.views.i18n import set_language

from apps.organizations import views as org_views

org_patterns: list[URLPattern | URLResolver] = [
    path("", org_views.OrganizationDashboardView.as_view(), name="org_dashboard"),
    path("settings/", org_views.OrganizationSettingsView.as_view(), name="org_settings"),
    path("members/", org_views.MemberListView.as_view(), name="org_members"),
    path("members/<int:pk>/", org_views.MemberEditView.as_view(), name="org_member_edit"),
    path("members/<int:pk>/remove/", org_views.MemberRemoveView.as_view(), name="org_member_remove"),
    path("invitations/", org_views.InvitationCreateView.as_view(), name="org_invitation_create"),
    path("invitations/<int:pk>/revoke/", org_views.InvitationRevokeView.as_view(), name="org_invitation_revoke"),
    path("tokens/", org_views.ApiTokenListView.as_view(), name="org_tokens"),
    path("tokens/<int:pk>/revoke/", org_views.ApiTokenRevokeView.as_view(), name="org_token_revoke"),
    path("audit/", include("apps.audit.urls")),
    path("use-cases/", include("apps.usecases.urls")),
    path("data/", include("apps.datasources.urls")),
    path("catalog/", include("apps.catalog.urls")),
    path("registry/", include("apps.registry.urls")),
    path("scorecards/", include("apps.scorecards.urls")),
    path("sso/", include("apps.sso.urls")),
]


def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


urlpatterns = [
    path("", org_views.HomeView.as_view(), name="home"),
    path("healthz", healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path("sso/", include("apps.sso.public_urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("o/", org_views.OrganizationListView.as_view(), name="org_list"),
    path("o/new/", org_views.OrganizationCreateView.as_view(), name="org_create"),
    path("o/<slug:org_slug>/", include(org_patterns)),
    path("invitations/<str:token>/", org_views.InvitationAcceptView.as_view(), name="invitation_accept"),
    path("api/", include("config.api_urls")),
]
