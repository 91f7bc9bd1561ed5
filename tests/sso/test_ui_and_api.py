"""An admin sets up OIDC and SAML from the UI alone, then people sign in through each; and the API."""

from __future__ import annotations

import re
from typing import Any

from django.core import mail
from django.urls import reverse
from django_scopes import scopes_disabled

from apps.core.tenancy import org_scope
from apps.sso.crypto import decrypt_secret
from apps.sso.models import SsoConnection, SsoDomain
from tests.sso.conftest import OidcSetup, SamlSetup
from tests.sso.factories import oidc_connection
from tests.sso.helpers import browser, confirm_token, membership, session_user


def verify_domain_by_email(admin_client: Any, org: Any, name: str, capture: Any) -> None:
    response = admin_client.post(reverse("sso:domains", kwargs={"org_slug": org.slug}), {"domain": name})
    assert response.status_code == 302, response.content[:500]
    detail = response["Location"]
    page = admin_client.get(detail)
    assert "charter-verification=" in page.content.decode()
    pk = int(detail.rstrip("/").rsplit("/", 1)[1])
    with capture(execute=True):
        response = admin_client.post(
            reverse("sso:domain_send_email", kwargs={"org_slug": org.slug, "pk": pk}), {"local_part": "postmaster"}
        )
    assert response.status_code == 302
    token = confirm_token(mail.outbox[-1])
    assert browser().post(reverse("sso_public:domain_confirm", kwargs={"token": token})).status_code == 200


def test_admin_sets_up_oidc_from_the_ui_and_a_user_signs_in(
    org_a: Any, members_a: Any, client_for: Any, oidc_provider: Any, django_capture_on_commit_callbacks: Any
) -> None:
    admin = client_for(members_a["admin"])
    page = admin.get(reverse("sso:connection_create", kwargs={"org_slug": org_a.slug}) + "?protocol=oidc")
    assert page.status_code == 200 and 'name="client_secret"' in page.content.decode()
    # 1. a draft connection, to learn the redirect URI
    response = admin.post(
        reverse("sso:connection_create", kwargs={"org_slug": org_a.slug}),
        {
            "protocol": "oidc",
            "name": "Acme Keycloak",
            "key": "keycloak",
            "oidc_scopes": "openid email profile groups",
            "oidc_pkce": "on",
            "jit_provisioning": "on",
            "default_role": "viewer",
            "groups_claim": "groups",
            "group_role_map_text": "charter-admins = admin\ncharter-approvers = Approver",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    detail = admin.get(response["Location"])
    redirect_uri = re.search(
        r"<code>(http[^<]+/accounts/oidc/org-a-keycloak/login/callback/)</code>", detail.content.decode()
    ).group(1)  # type: ignore[union-attr]
    # 2. register Charter at the IdP (the test IdP sees the test client's host)
    registered = oidc_provider.register_client(
        redirect_uri.replace(redirect_uri.split("/accounts/")[0], "http://testserver")
    )
    with scopes_disabled():
        connection = SsoConnection.objects.get(organization=org_a, key="keycloak")
    # 3. fill in the client and enable
    response = admin.post(
        reverse("sso:connection_edit", kwargs={"org_slug": org_a.slug, "pk": connection.pk}),
        {
            "name": "Acme Keycloak",
            "oidc_issuer": oidc_provider.issuer,
            "oidc_client_id": registered.client_id,
            "client_secret": registered.client_secret,
            "oidc_scopes": "openid email profile groups",
            "oidc_pkce": "on",
            "is_enabled": "on",
            "jit_provisioning": "on",
            "default_role": "viewer",
            "groups_claim": "groups",
            "group_role_map_text": "charter-admins = admin\ncharter-approvers = Approver",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    with scopes_disabled():
        connection.refresh_from_db()
    assert decrypt_secret(connection.oidc_client_secret) == registered.client_secret
    assert connection.group_role_map == [
        {"group": "charter-admins", "role": "admin"},
        {"group": "charter-approvers", "role": "approver"},
    ]
    # 4. the test button
    tested = admin.post(reverse("sso:connection_test", kwargs={"org_slug": org_a.slug, "pk": connection.pk}))
    assert tested.status_code == 200 and "Test passed" in tested.content.decode()
    assert registered.client_secret not in tested.content.decode()
    # 5. the domain
    verify_domain_by_email(admin, org_a, "acme-kc.test", django_capture_on_commit_callbacks)
    # 6. a person signs in from the login page's e-mail step
    user_client = browser()
    setup = OidcSetup(connection, oidc_provider, org_a)
    response = setup.login(user_client, sub="kc-1", email="kim@acme-kc.test", groups=["charter-approvers"])
    assert response.status_code == 302
    kim = session_user(user_client)
    assert membership(org_a, kim).roles == ["approver", "viewer"]  # type: ignore[union-attr]


def test_admin_sets_up_saml_from_the_ui_and_a_user_signs_in(
    org_a: Any, members_a: Any, client_for: Any, saml_idp: Any, django_capture_on_commit_callbacks: Any
) -> None:
    admin = client_for(members_a["admin"])
    response = admin.post(
        reverse("sso:connection_create", kwargs={"org_slug": org_a.slug}),
        {
            "protocol": "saml",
            "name": "Acme ADFS",
            "key": "adfs-ui",
            "saml_metadata_url": saml_idp.metadata_url,
            "is_enabled": "on",
            "jit_provisioning": "on",
            "default_role": "contributor",
            "groups_claim": "http://schemas.xmlsoap.org/claims/Group",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    detail = admin.get(response["Location"]).content.decode()
    metadata_url = re.search(r"<code>(http[^<]+/sso/saml/org-a-adfs-ui/metadata/)</code>", detail).group(1)  # type: ignore[union-attr]
    # the IdP admin loads Charter's metadata
    saml_idp.add_service_provider(browser().get(metadata_url.split("127.0.0.1:8000", 1)[-1]).content.decode())
    verify_domain_by_email(admin, org_a, "acme-adfs.test", django_capture_on_commit_callbacks)
    with scopes_disabled():
        connection = SsoConnection.objects.get(organization=org_a, key="adfs-ui")
    user_client = browser()
    response = SamlSetup(connection, saml_idp, org_a).login(user_client, name_id="adfs-1", email="lee@acme-adfs.test")
    assert response.status_code == 302
    assert membership(org_a, session_user(user_client)).roles == ["contributor"]  # type: ignore[union-attr]


def test_connection_form_errors_are_shown_not_500(org_a: Any, members_a: Any, client_for: Any) -> None:
    admin = client_for(members_a["admin"])
    url = reverse("sso:connection_create", kwargs={"org_slug": org_a.slug})
    response = admin.post(url, {"protocol": "oidc", "name": "X", "key": "k1", "group_role_map_text": "admins => boss"})
    assert response.status_code == 400 and "Line 1: the role must be one of" in response.content.decode()
    response = admin.post(
        url, {"protocol": "oidc", "name": "X", "key": "k1", "is_enabled": "on", "oidc_scopes": "openid"}
    )
    assert response.status_code == 400 and "Required to enable the connection" in response.content.decode()
    response = admin.post(url, {"protocol": "saml", "name": "Y", "key": "k2", "saml_metadata_xml": "<nope>"})
    assert response.status_code == 400 and "not valid SAML metadata" in response.content.decode()
    with scopes_disabled():
        assert not SsoConnection.objects.exists()
    assert admin.get(url).status_code == 200  # the protocol chooser


# -- API ----------------------------------------------------------------------------------------
def test_api_client_secret_is_write_only(org_a: Any, members_a: Any, api_client_for: Any) -> None:
    client = api_client_for(members_a["admin"])
    url = reverse("sso-api:connection-list", kwargs={"org_slug": org_a.slug})
    response = client.post(
        url,
        {
            "name": "Entra",
            "protocol": "oidc",
            "key": "entra",
            "oidc_issuer": "https://login.microsoftonline.com/tenant/v2.0",
            "oidc_client_id": "app-id",
            "client_secret": "s3cr3t-api",
            "saml_metadata_url": "",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert "client_secret" not in body and body["has_client_secret"] is True
    assert body["endpoints"]["redirect_uri"].endswith("/accounts/oidc/org-a-entra/login/callback/")
    assert "s3cr3t-api" not in response.content.decode()
    detail = reverse("sso-api:connection-detail", kwargs={"org_slug": org_a.slug, "pk": body["id"]})
    assert "s3cr3t-api" not in client.get(detail).content.decode()
    assert client.patch(detail, {"name": "Entra ID"}, format="json").status_code == 200
    with scopes_disabled():
        assert decrypt_secret(SsoConnection.objects.get(pk=body["id"]).oidc_client_secret) == "s3cr3t-api"


def test_api_rejects_bad_input_with_field_errors(org_a: Any, members_a: Any, api_client_for: Any) -> None:
    client = api_client_for(members_a["admin"])
    with org_scope(org_a):
        connection = oidc_connection(org_a)
    detail = reverse("sso-api:connection-detail", kwargs={"org_slug": org_a.slug, "pk": connection.pk})
    for body, field in [
        ({"protocol": "saml"}, "protocol"),
        ({"key": "other"}, "key"),
        ({"saml_metadata_url": "https://idp.example/metadata"}, "saml_metadata_url"),
        ({"group_role_map": [{"group": "x", "role": "superuser"}]}, "group_role_map"),
        ({"oidc_scopes": "email"}, "oidc_scopes"),
    ]:
        response = client.patch(detail, body, format="json")
        assert response.status_code == 400, (body, response.content)
        assert field in response.json()["error"]["fields"], response.content


def test_api_test_action(org_a: Any, members_a: Any, api_client_for: Any, oidc_provider: Any) -> None:
    with org_scope(org_a):
        connection = oidc_connection(org_a, oidc_issuer=oidc_provider.issuer)
    url = reverse("sso-api:connection-test", kwargs={"org_slug": org_a.slug, "pk": connection.pk})
    assert api_client_for(members_a["contributor"]).post(url).status_code == 403
    response = api_client_for(members_a["admin"]).post(url)
    assert response.status_code == 200 and response.json()["ok"] is True


def test_api_domain_actions(
    org_a: Any, members_a: Any, api_client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = api_client_for(members_a["admin"])
    created = client.post(
        reverse("sso-api:domain-list", kwargs={"org_slug": org_a.slug}), {"domain": "API.test"}, format="json"
    )
    assert created.status_code == 201 and created.json()["domain"] == "api.test"
    assert created.json()["txt_record"].startswith("charter-verification=")
    pk = created.json()["id"]
    url = reverse("sso-api:domain-send-verification-email", kwargs={"org_slug": org_a.slug, "pk": pk})
    assert client.post(url, {"local_part": "root"}, format="json").status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"local_part": "webmaster"}, format="json").status_code == 202
    assert mail.outbox[-1].to == ["webmaster@api.test"]
    bad = client.post(
        reverse("sso-api:domain-list", kwargs={"org_slug": org_a.slug}), {"domain": "no spaces.test"}, format="json"
    )
    assert bad.status_code == 400 and "domain" in bad.json()["error"]["fields"]
    with scopes_disabled():
        assert SsoDomain.objects.filter(organization=org_a).count() == 1
