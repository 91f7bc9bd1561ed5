"""allauth's SAML URLs (same addresses and names, mounted by ``allauth.urls`` under ``/accounts/``), with
Charter's single logout service in place of allauth's: it checks that a LogoutRequest is signed and names
the principal of this session before ending it, audits the logout, and checks that a LogoutResponse answers
the request this browser sent (:mod:`apps.sso.saml_logout`)."""

from allauth.socialaccount.providers.saml import views
from django.urls import include, path, re_path

from apps.sso.saml_logout import SamlSingleLogoutView

urlpatterns = [
    re_path(
        r"^saml/(?P<organization_slug>[^/]+)/",
        include(
            [
                path("acs/", views.acs, name="saml_acs"),
                path("acs/finish/", views.finish_acs, name="saml_finish_acs"),
                path("sls/", SamlSingleLogoutView.as_view(), name="saml_sls"),
                path("metadata/", views.metadata, name="saml_metadata"),
                path("login/", views.login, name="saml_login"),
            ]
        ),
    )
]
