"""Fixtures for the SSO tests: the real identity providers on loopback and helpers that play the
browser through a complete sign-in."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from apps.core.tenancy import org_scope
from apps.organizations.models import Organization
from apps.sso import services
from apps.sso.models import SsoConnection
from tests.factories import UserFactory
from tests.sso.factories import verified_domain
from tests.sso.helpers import browser
from tests.sso.oidc_idp import OidcProvider
from tests.support.saml_idp import Fault, SamlIdp, SamlUser


@pytest.fixture(autouse=True)
def sso_settings(settings: Any) -> None:
    settings.SSO_SAML_ALLOW_SINGLE_LABEL_DOMAINS = True  # the test client's host is "testserver"


@pytest.fixture
def client() -> Client:
    """Like pytest-django's ``client``, with a Host header (browsers send one; python3-saml needs it)."""
    return browser()


@pytest.fixture(scope="session")
def oidc_provider() -> Iterator[OidcProvider]:
    provider = OidcProvider.start()
    try:
        yield provider
    finally:
        provider.stop()


@pytest.fixture(scope="session")
def saml_idp() -> Iterator[SamlIdp]:
    idp = SamlIdp().start()
    try:
        yield idp
    finally:
        idp.stop()


def callback_path(url: str) -> str:
    parts = urlsplit(url)
    assert parts.netloc == "testserver", url
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


@dataclass
class OidcSetup:
    connection: SsoConnection
    provider: OidcProvider
    organization: Organization

    def start(self, client: Client, email: str, next_url: str = "") -> str:
        """The e-mail step of the login page; returns the authorization URL at the IdP."""
        response = client.post(reverse("sso_public:discover"), {"email": email, "next": next_url})
        assert response.status_code == 302, response.content[:500]
        location = response["Location"]
        assert location.startswith(self.provider.issuer), location
        return location

    def login(
        self,
        client: Client,
        *,
        sub: str,
        email: str,
        groups: list[str] | None = None,
        claims: dict[str, Any] | None = None,
        faults: dict[str, Any] | None = None,
        next_url: str = "",
        discovery_email: str | None = None,
    ) -> Any:
        authorize_url = self.start(client, discovery_email or email, next_url)
        all_claims = {"email": email, "email_verified": True, "name": f"User {sub}", "groups": groups or []}
        all_claims.update(claims or {})
        callback = self.provider.authorize(authorize_url, sub=sub, claims=all_claims, faults=faults)
        return client.get(callback_path(callback))


def make_oidc_connection(
    organization: Organization, provider: OidcProvider, *, key: str, domain: str | None, **fields: Any
) -> SsoConnection:
    redirect_uri = "http://testserver" + reverse(
        "openid_connect_callback", kwargs={"provider_id": f"{organization.slug}-{key}"}
    )
    client = provider.register_client(redirect_uri)
    data: dict[str, Any] = {
        "name": f"IdP {key}",
        "oidc_issuer": provider.issuer,
        "oidc_client_id": client.client_id,
        "oidc_scopes": "openid email profile groups",
        "is_enabled": True,
        "default_role": "viewer",
    }
    data.update(fields)
    with org_scope(organization):
        if domain:
            verified_domain(organization, domain)
        return services.connection_create(
            organization=organization,
            actor=UserFactory(),
            protocol="oidc",
            key=key,
            client_secret=client.client_secret,
            **data,
        )


@pytest.fixture
def oidc_a(org_a: Organization, oidc_provider: OidcProvider) -> OidcSetup:
    connection = make_oidc_connection(
        org_a,
        oidc_provider,
        key="okta",
        domain="a-corp.test",
        group_role_map=[
            {"group": "charter-admins", "role": "admin"},
            {"group": "charter-approvers", "role": "approver"},
        ],
    )
    return OidcSetup(connection, oidc_provider, org_a)


@pytest.fixture
def oidc_b(org_b: Organization, oidc_provider: OidcProvider) -> OidcSetup:
    connection = make_oidc_connection(
        org_b,
        oidc_provider,
        key="okta",
        domain="b-corp.test",
        group_role_map=[{"group": "charter-admins", "role": "admin"}],
    )
    return OidcSetup(connection, oidc_provider, org_b)


@dataclass
class SamlSetup:
    connection: SsoConnection
    idp: SamlIdp
    organization: Organization

    def start(self, client: Client, email: str, next_url: str = "") -> str:
        response = client.post(reverse("sso_public:discover"), {"email": email, "next": next_url})
        assert response.status_code == 302, response.content[:500]
        location = response["Location"]
        assert location.startswith(self.idp.sso_url), location
        return location

    def post_to_acs(self, client: Client, form: Any) -> Any:
        response = client.post(urlsplit(form.action).path, form.data())
        assert response.status_code == 302, response.content[:500]
        return client.get(response["Location"])

    def login(
        self,
        client: Client,
        *,
        name_id: str,
        email: str,
        groups: list[str] | None = None,
        fault: Fault = Fault.NONE,
        next_url: str = "",
    ) -> Any:
        redirect = self.start(client, email, next_url)
        form = self.idp.login(
            redirect,
            SamlUser(name_id=name_id, email=email, given_name="Sam", surname="Lee", groups=groups or []),
            fault=fault,
        )
        return self.post_to_acs(client, form)


def make_saml_connection(
    organization: Organization, idp: SamlIdp, *, key: str, domain: str | None, **fields: Any
) -> SsoConnection:
    data: dict[str, Any] = {
        "name": f"SAML {key}",
        "saml_metadata_url": idp.metadata_url,
        "is_enabled": True,
        "default_role": "viewer",
        "groups_claim": "http://schemas.xmlsoap.org/claims/Group",
    }
    data.update(fields)
    with org_scope(organization):
        if domain:
            verified_domain(organization, domain)
        connection = services.connection_create(
            organization=organization, actor=UserFactory(), protocol="saml", key=key, **data
        )
    metadata = browser().get(reverse("sso_public:saml_metadata", kwargs={"provider_id": connection.provider_id}))
    assert metadata.status_code == 200
    idp.add_service_provider(metadata.content.decode())
    return connection


@pytest.fixture
def saml_a(org_a: Organization, saml_idp: SamlIdp) -> SamlSetup:
    connection = make_saml_connection(
        org_a,
        saml_idp,
        key="adfs",
        domain="a-saml.test",
        group_role_map=[
            {"group": "Charter Admins", "role": "admin"},
            {"group": "Charter Contributors", "role": "contributor"},
        ],
    )
    return SamlSetup(connection, saml_idp, org_a)
