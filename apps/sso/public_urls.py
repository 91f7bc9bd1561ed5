"""SSO routes outside any organization: include in config/urls.py as
``path("sso/", include("apps.sso.public_urls"))``."""

from django.urls import path

from apps.sso import views

app_name = "sso_public"
urlpatterns = [
    path("login/", views.DiscoveryView.as_view(), name="discover"),
    path("start/", views.StartView.as_view(), name="start"),
    path("saml/<str:provider_id>/metadata/", views.SamlMetadataView.as_view(), name="saml_metadata"),
    path("domains/confirm/<str:token>/", views.DomainConfirmView.as_view(), name="domain_confirm"),
]
