"""The project wiring SSO relies on (settings, URLs, the OrgMixin / AccountAdapter hooks).

They test the real configuration (see .helper-notes/sso.md), with no overrides: removing a hook makes
them fail."""

from __future__ import annotations

import importlib
import os
from typing import Any

from django.urls import reverse

from apps.core.tenancy import org_scope
from apps.sso import services
from tests.sso.conftest import OidcSetup
from tests.sso.helpers import browser, session_user


def test_settings_name_the_sso_adapter() -> None:
    module = importlib.import_module(os.environ.get("DJANGO_SETTINGS_MODULE", "config.settings.test"))
    assert module.SOCIALACCOUNT_ADAPTER == "apps.sso.adapters.SsoSocialAccountAdapter"


def test_public_sso_urls_are_included() -> None:
    assert reverse("sso_public:discover", urlconf="config.urls") == "/sso/login/"


def test_org_pages_enforce_the_mfa_policy(org_a: Any, members_a: Any) -> None:
    with org_scope(org_a):
        services.policy_update(organization=org_a, actor=members_a["admin"], sso_required=False, mfa_required=True)
    client = browser()
    assert client.login(email=members_a["approver"].email, password="correct-horse-battery")
    response = client.get(reverse("org_dashboard", kwargs={"org_slug": org_a.slug}))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))
    viewer = browser()
    assert viewer.login(email=members_a["viewer"].email, password="correct-horse-battery")
    assert viewer.get(reverse("org_dashboard", kwargs={"org_slug": org_a.slug})).status_code == 200


def test_org_pages_enforce_required_sso(client: Any, oidc_a: OidcSetup, members_a: Any) -> None:
    with org_scope(oidc_a.organization):
        services.policy_update(
            organization=oidc_a.organization,
            actor=members_a["admin"],
            sso_required=True,
            mfa_required=False,
            break_glass_user=members_a["admin"],
        )
    password = browser()
    assert password.login(email=members_a["contributor"].email, password="correct-horse-battery")
    dashboard = reverse("org_dashboard", kwargs={"org_slug": "org-a"})
    response = password.get(dashboard)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("sso:signin", kwargs={"org_slug": "org-a"}))
    assert password.get(response["Location"]).status_code == 200  # the sign-in page itself is reachable
    oidc_a.login(client, sub="vera", email="vera@a-corp.test")
    assert session_user(client) is not None
    assert client.get(dashboard).status_code == 200


def test_password_login_of_a_sso_only_member_is_refused(oidc_a: OidcSetup, members_a: Any) -> None:
    with org_scope(oidc_a.organization):
        services.policy_update(
            organization=oidc_a.organization,
            actor=members_a["admin"],
            sso_required=True,
            mfa_required=False,
            break_glass_user=members_a["admin"],
        )
    client = browser()
    response = client.post(
        reverse("account_login"), {"login": members_a["viewer"].email, "password": "correct-horse-battery"}
    )
    assert response.status_code == 403
    assert session_user(client) is None


def test_login_page_offers_the_sso_email_step(db: Any) -> None:
    page = browser().get(reverse("account_login")).content.decode()
    assert 'id="sso-discovery"' in page


def test_allauth_uses_charters_saml_provider() -> None:
    """apps/sso/saml_provider.py replaces allauth's SAML provider class (it records the NameID format that the
    transient-NameID check needs); it must win the registry and keep allauth's SAML URLs."""
    from allauth.socialaccount.providers import registry

    from apps.sso.saml_provider import CharterSAMLProvider

    registry.load()
    assert registry.get_class("saml") is CharterSAMLProvider
    assert reverse("saml_acs", urlconf="config.urls", kwargs={"organization_slug": "x"}) == "/accounts/saml/x/acs/"
