"""Connection services: validation, the allauth SocialApp kept in sync, encrypted secrets, the
"Test connection" diagnostics against real (and deliberately broken) loopback servers."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from allauth.socialaccount.models import SocialAccount, SocialApp
from django.core.exceptions import ValidationError
from django_scopes import scopes_disabled

from apps.core.tenancy import org_scope
from apps.sso import services
from apps.sso.crypto import decrypt_secret
from apps.sso.fetch import FetchError, fetch
from apps.sso.models import SsoConnection, SsoPolicy
from tests.factories import UserFactory
from tests.sso.factories import oidc_connection, saml_connection
from tests.sso.helpers import events
from tests.support.saml_idp import SamlIdp, generate_key_pair


class Quirky(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        if self.path == "/big":
            body = b"x" * (3 * 1024 * 1024)
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif self.path == "/big-chunked":
            self.send_response(200)
            self.end_headers()  # no Content-Length: the cap applies while reading
            for _ in range(64):
                self.wfile.write(b"y" * 65536)
        elif self.path == "/slow":
            self.server.release.wait(10)  # type: ignore[attr-defined]
        elif self.path == "/loop":
            self.send_response(302)
            self.send_header("Location", "/loop")
            self.end_headers()
        elif self.path == "/html/.well-known/openid-configuration":
            body = b"<html>login</html>"
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        else:
            self.send_response(404)
            self.end_headers()


@pytest.fixture
def quirky(settings: Any) -> Iterator[str]:
    settings.SSO_FETCH_TIMEOUT = 0.5
    settings.SSO_FETCH_MAX_BYTES = 1024 * 1024
    server = ThreadingHTTPServer(("127.0.0.1", 0), Quirky)
    server.release = threading.Event()  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.release.set()  # type: ignore[attr-defined]
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/big", "larger than"),
        ("/big-chunked", "larger than"),
        ("/slow", "did not answer"),
        ("/loop", "redirects too many times"),
        ("/missing", "HTTP status 404"),
    ],
)
def test_fetch_limits(quirky: str, path: str, message: str) -> None:
    with pytest.raises(FetchError) as exc:
        fetch(quirky + path)
    assert message in str(exc.value)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("file:///etc/passwd", "Only http"),
        ("ftp://127.0.0.1/x", "Only http"),
        ("http://169.254.169.254/latest/meta-data/", "cannot be used"),
        ("http://user:pw@127.0.0.1/", "user name"),
        ("http:///nohost", "no host"),
    ],
)
def test_fetch_refuses_unsafe_urls(url: str, message: str) -> None:
    with pytest.raises(FetchError) as exc:
        fetch(url)
    assert message in str(exc.value)


def test_create_oidc_connection_syncs_social_app_only_when_enabled(org_a: Any) -> None:
    with org_scope(org_a):
        connection = oidc_connection(org_a, key="draft", client_secret="top-secret-1")
        assert connection.provider_id == "org-a-draft"
        assert connection.social_app_id is None  # disabled: allauth cannot use it
        assert decrypt_secret(connection.oidc_client_secret) == "top-secret-1"
        assert "top-secret-1" not in connection.oidc_client_secret
        connection = services.connection_update(
            organization=org_a, actor=UserFactory(), connection=connection, is_enabled=True, oidc_scopes="openid email"
        )
        app = SocialApp.objects.get(pk=connection.social_app_id)
        assert (app.provider, app.provider_id, app.client_id, app.secret) == (
            "openid_connect",
            "org-a-draft",
            connection.oidc_client_id,
            "",
        )
        assert app.settings["scope"] == ["openid", "email"] and app.settings["oauth_pkce_enabled"] is True
        assert app.settings["email_authentication"] is False
        services.connection_update(organization=org_a, actor=UserFactory(), connection=connection, is_enabled=False)
        assert not SocialApp.objects.filter(pk=app.pk).exists()
    changes = events(org_a, "sso.connection.updated")[0].data["changes"]
    assert changes["is_enabled"] == {"old": False, "new": True}
    assert "top-secret" not in str([e.data for e in events(org_a)])


def test_secret_is_kept_when_not_given_and_replaced_when_given(org_a: Any) -> None:
    with org_scope(org_a):
        connection = oidc_connection(org_a, client_secret="first")
        connection = services.connection_update(organization=org_a, actor=None, connection=connection, name="Renamed")
        assert decrypt_secret(connection.oidc_client_secret) == "first"
        connection = services.connection_update(
            organization=org_a, actor=None, connection=connection, client_secret="second"
        )
        assert decrypt_secret(connection.oidc_client_secret) == "second"
    assert events(org_a, "sso.connection.updated")[-1].data["changes"]["client_secret"] == {"old": "***", "new": "***"}


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"oidc_issuer": "", "is_enabled": True}, "oidc_issuer"),
        ({"oidc_client_id": "", "is_enabled": True}, "oidc_client_id"),
        ({"oidc_scopes": "email profile"}, "oidc_scopes"),
        ({"oidc_issuer": "not a url"}, "oidc_issuer"),
        ({"default_role": "owner"}, "default_role"),
        ({"group_role_map": [{"group": "x", "role": "god"}]}, "group_role_map"),
        ({"group_role_map": "admins=admin"}, "group_role_map"),
        ({"saml_metadata_url": "https://x.example/m"}, "saml_metadata_url"),
        ({"key": "Bad Key!"}, "key"),
    ],
)
def test_invalid_connections_are_refused(org_a: Any, fields: dict[str, Any], field: str) -> None:
    with org_scope(org_a), pytest.raises(ValidationError) as exc:
        oidc_connection(org_a, **fields)
    assert field in exc.value.message_dict
    with scopes_disabled():
        assert not SsoConnection.objects.exists()


def test_key_and_protocol_are_immutable_and_keys_unique(org_a: Any) -> None:
    with org_scope(org_a):
        connection = oidc_connection(org_a, key="fixed")
        with pytest.raises(ValidationError):
            oidc_connection(org_a, key="fixed")
        with pytest.raises(ValidationError):
            services.connection_update(organization=org_a, actor=None, connection=connection, key="moved")
        with pytest.raises(ValidationError):
            services.connection_update(organization=org_a, actor=None, connection=connection, protocol="saml")


def test_saml_from_metadata_xml_and_bad_certificates(org_a: Any) -> None:
    idp = SamlIdp()
    try:
        with org_scope(org_a):
            connection = services.connection_create(
                organization=org_a,
                actor=None,
                protocol="saml",
                name="Pasted",
                key="pasted",
                saml_metadata_xml=idp.metadata_xml(),
                is_enabled=True,
            )
            assert connection.saml_idp_entity_id == idp.entity_id
            assert connection.saml_idp_sso_url == idp.sso_url
            assert connection.saml_idp_certificate == idp.keys.cert_base64
            app = SocialApp.objects.get(pk=connection.social_app_id)
            assert app.settings["advanced"]["want_assertion_signed"] is True
            assert app.settings["advanced"]["reject_deprecated_algorithm"] is True
            assert app.settings["advanced"]["reject_idp_initiated_sso"] is True
            assert app.settings["advanced"]["allow_single_label_domains"] is False
            with pytest.raises(ValidationError) as exc:
                saml_connection(
                    org_a, certificate="-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----"
                )
            assert "saml_idp_certificate" in exc.value.message_dict
            with pytest.raises(ValidationError) as exc:
                services.connection_create(
                    organization=org_a,
                    actor=None,
                    protocol="saml",
                    name="Bad",
                    key="bad",
                    saml_metadata_xml="<not-metadata/>",
                )
            assert "saml_metadata_xml" in exc.value.message_dict
            with pytest.raises(ValidationError) as exc:
                services.connection_create(
                    organization=org_a,
                    actor=None,
                    protocol="saml",
                    name="Xxe",
                    key="xxe",
                    saml_metadata_xml='<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
                )
            assert "saml_metadata_xml" in exc.value.message_dict
            pem = generate_key_pair().cert_pem.decode()
            manual = saml_connection(org_a, certificate=pem)
            assert "BEGIN" not in manual.saml_idp_certificate
    finally:
        idp.stop()


def test_delete_removes_identities_and_the_app(org_a: Any) -> None:
    user = UserFactory()
    with org_scope(org_a):
        connection = oidc_connection(org_a, is_enabled=True)
        SocialAccount.objects.create(user=user, provider=connection.provider_id, uid="someone")
        app_id = connection.social_app_id
        services.connection_delete(organization=org_a, actor=None, connection=connection)
    assert not SocialAccount.objects.filter(provider=connection.provider_id).exists()
    assert not SocialApp.objects.filter(pk=app_id).exists()
    assert events(org_a, "sso.connection.deleted")[0].data["identities_removed"] == 1


def test_required_sso_keeps_the_last_enabled_connection(org_a: Any, members_a: Any) -> None:
    admin = members_a["admin"]
    with org_scope(org_a):
        connection = oidc_connection(org_a, is_enabled=True)
        with pytest.raises(ValidationError):
            services.policy_update(organization=org_a, actor=admin, sso_required=True, mfa_required=False)
        with pytest.raises(ValidationError):
            services.policy_update(
                organization=org_a,
                actor=admin,
                sso_required=True,
                mfa_required=False,
                break_glass_user=members_a["viewer"],
            )
        services.policy_update(
            organization=org_a, actor=admin, sso_required=True, mfa_required=True, break_glass_user=admin
        )
        assert SsoPolicy.objects.get().sso_required
        with pytest.raises(ValidationError):
            services.connection_update(organization=org_a, actor=admin, connection=connection, is_enabled=False)
        with pytest.raises(ValidationError):
            services.connection_delete(organization=org_a, actor=admin, connection=connection)


# -- "Test connection" ------------------------------------------------------------------------------
def test_diagnostics_for_a_good_oidc_provider(org_a: Any, oidc_provider: Any) -> None:
    with org_scope(org_a):
        connection = oidc_connection(org_a, oidc_issuer=oidc_provider.issuer, oidc_scopes="openid email groups")
        report = services.connection_test(organization=org_a, actor=None, connection=connection)
        connection.refresh_from_db()
    assert report.ok, report.findings
    assert connection.last_test_ok is True and connection.last_tested_at
    assert any("signing key" in f.message for f in report.findings)
    assert events(org_a, "sso.connection.tested")[0].data["ok"] is True


def test_diagnostics_explain_problems(org_a: Any, oidc_provider: Any, quirky: str) -> None:
    with org_scope(org_a):
        wrong_issuer = oidc_connection(
            org_a,
            oidc_issuer=oidc_provider.issuer + "/",
            oidc_scopes="openid unheard-of",
            oidc_token_auth_method="client_secret_basic",
        )
        report = services.connection_test(organization=org_a, actor=None, connection=wrong_issuer)
        assert report.ok  # a trailing slash is tolerated
        assert any("unheard-of" in f.message for f in report.findings if f.level == "warning")
        moved = oidc_connection(org_a, oidc_issuer=quirky + "/html")
        report = services.connection_test(organization=org_a, actor=None, connection=moved)
        assert not report.ok and "JSON" in report.findings[-1].message
        down = oidc_connection(org_a, oidc_issuer="http://127.0.0.1:1")
        report = services.connection_test(organization=org_a, actor=None, connection=down)
        assert not report.ok and "Could not connect" in report.findings[0].message


def test_diagnostics_for_saml(org_a: Any, saml_idp: SamlIdp) -> None:
    with org_scope(org_a):
        connection = services.connection_create(
            organization=org_a,
            actor=None,
            protocol="saml",
            name="Meta",
            key="meta",
            saml_metadata_url=saml_idp.metadata_url,
        )
        report = services.connection_test(organization=org_a, actor=None, connection=connection)
        assert report.ok, report.findings
        assert any("valid until" in f.message for f in report.findings)
        services.connection_update(organization=org_a, actor=None, connection=connection, saml_allow_idp_initiated=True)
        connection.refresh_from_db()
        report = services.connection_test(organization=org_a, actor=None, connection=connection)
        assert any("IdP-initiated" in f.message for f in report.findings if f.level == "warning")


def test_saml_metadata_url_that_fails_is_a_field_error(org_a: Any, quirky: str) -> None:
    with org_scope(org_a), pytest.raises(ValidationError) as exc:
        services.connection_create(
            organization=org_a,
            actor=None,
            protocol="saml",
            name="Gone",
            key="gone",
            saml_metadata_url=quirky + "/missing",
        )
    assert "404" in exc.value.message_dict["saml_metadata_url"][0]
