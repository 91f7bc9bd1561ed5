"""The login page's e-mail step."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from apps.core.tenancy import org_scope
from apps.sso import services
from tests.sso.conftest import OidcSetup, make_oidc_connection
from tests.sso.helpers import browser


def test_unknown_domain_goes_to_the_password_form(db: Any) -> None:
    response = browser().post(reverse("sso_public:discover"), {"email": "pat@nowhere.test", "next": "/o/x/"})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login") + "?email=pat%40nowhere.test&next=%2Fo%2Fx%2F"


def test_a_pending_domain_does_not_route(org_a: Any, members_a: Any, oidc_provider: Any) -> None:
    make_oidc_connection(org_a, oidc_provider, key="pend", domain=None)
    with org_scope(org_a):
        services.domain_add(organization=org_a, actor=members_a["admin"], domain="pending.test")
    response = browser().post(reverse("sso_public:discover"), {"email": "pat@pending.test"})
    assert response["Location"].startswith(reverse("account_login"))


def test_external_next_is_dropped_at_discovery(db: Any) -> None:
    response = browser().post(reverse("sso_public:discover"), {"email": "a@b.test", "next": "https://evil.example/"})
    assert "evil" not in response["Location"]


def test_several_connections_offer_a_choice(oidc_a: OidcSetup, oidc_provider: Any) -> None:
    make_oidc_connection(oidc_a.organization, oidc_provider, key="second", domain=None, name="Backup IdP")
    response = browser().post(reverse("sso_public:discover"), {"email": "amy@a-corp.test"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Backup IdP" in body and "IdP okta" in body
    client = browser()
    started = client.post(reverse("sso_public:start"), {"connection": "org-a-second", "next": "/o/org-a/"})
    assert started.status_code == 302 and started["Location"].startswith(oidc_provider.issuer)


def test_start_refuses_unknown_or_disabled_connections(oidc_a: OidcSetup) -> None:
    assert browser().post(reverse("sso_public:start"), {"connection": "nope"}).status_code == 404
    assert browser().get(reverse("sso_public:start")).status_code == 405


def test_invalid_email_is_a_form_error(db: Any) -> None:
    response = browser().post(reverse("sso_public:discover"), {"email": "not-an-email"})
    assert response.status_code == 400 and "email" in response.content.decode().lower()
    assert browser().get(reverse("sso_public:discover")).status_code == 200


def test_the_login_page_include_renders(db: Any) -> None:
    request = RequestFactory().get("/accounts/login/?next=/o/org-a/&email=x@y.test")
    html = render_to_string("sso/login_discovery.html", {"request": request}, request=request)
    assert reverse("sso_public:discover") in html
    assert 'value="/o/org-a/"' in html and 'value="x@y.test"' in html


def test_generic_provider_lists_do_not_reveal_organizations_idps(oidc_a: OidcSetup, rf: Any) -> None:
    from allauth.socialaccount.adapter import get_adapter

    request = rf.get("/accounts/login/")
    assert not any(p.id == "openid_connect" for p in get_adapter(request).list_providers(request))
    assert get_adapter(request).get_provider(request, provider=oidc_a.connection.provider_id).app.provider_id == (
        oidc_a.connection.provider_id
    )
    page = browser().get(reverse("account_login")).content.decode()
    assert oidc_a.connection.name not in page and oidc_a.connection.provider_id not in page
