"""SAML hardening against the real pysaml2 IdP on loopback: transient NameIDs are not identity keys, the
AuthnRequest asks for a persistent NameID, and a connection can sign its AuthnRequests with its own key
pair (checked by pysaml2 with the certificate from our SP metadata). The private key never leaves."""

from __future__ import annotations

import base64
import datetime as dt
import json
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from allauth.socialaccount.models import SocialAccount, SocialApp
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled
from lxml import etree
from saml2.response import IncorrectlySigned
from saml2.saml import NAMEID_FORMAT_PERSISTENT, NAMEID_FORMAT_TRANSIENT

from apps.core.tenancy import org_scope
from apps.organizations.models import Organization
from apps.sso import services
from apps.sso.crypto import decrypt_secret
from apps.sso.models import SsoConnection
from tests.factories import UserFactory
from tests.sso.conftest import SamlSetup, make_saml_connection
from tests.sso.helpers import browser, events, last_failure, session_user
from tests.support.saml_idp import SamlIdp, SamlUser, generate_key_pair, running_idp

User = get_user_model()

MD = "urn:oasis:names:tc:SAML:2.0:metadata"
DS = "http://www.w3.org/2000/09/xmldsig#"
NAMEID_UNSPECIFIED = "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"
ATTR_EMPLOYEE_ID = "urn:oid:2.16.840.1.113730.3.1.3"  # employeeNumber


def _sp_metadata(connection: SsoConnection) -> etree._Element:
    response = browser().get(reverse("sso_public:saml_metadata", kwargs={"provider_id": connection.provider_id}))
    assert response.status_code == 200
    return etree.fromstring(response.content)


def _login_as(setup: SamlSetup, client: Client, user: SamlUser) -> Any:
    redirect = setup.start(client, user.email)
    return setup.post_to_acs(client, setup.idp.login(redirect, user))


def _authn_request(setup: SamlSetup, client: Client, email: str) -> Any:
    query = parse_qs(urlsplit(setup.start(client, email)).query)
    return setup.idp.authn_request(query["SAMLRequest"][0])


def _update(setup: SamlSetup, **fields: Any) -> SsoConnection:
    with org_scope(setup.organization):
        connection = services.connection_update(
            organization=setup.organization, actor=UserFactory(), connection=setup.connection, **fields
        )
    # The IdP trusts the SP as its metadata now says (NameID format, signing certificate).
    setup.idp.add_service_provider(
        browser()
        .get(reverse("sso_public:saml_metadata", kwargs={"provider_id": connection.provider_id}))
        .content.decode()
    )
    setup.connection = connection
    return connection


# -- transient NameIDs ----------------------------------------------------------------------------
def test_a_transient_name_id_login_is_refused_and_audited(client: Client, saml_a: SamlSetup) -> None:
    user = SamlUser(
        name_id="_tr4nsient-7f3a",
        email="tina@a-saml.test",
        groups=["Charter Admins"],
        name_id_format=NAMEID_FORMAT_TRANSIENT,
    )
    response = _login_as(saml_a, client, user)
    assert response.status_code == 403, response.content[:500]
    assert "transient" in response.content.decode()
    assert session_user(client) is None
    assert not User.objects.filter(email="tina@a-saml.test").exists()
    assert not SocialAccount.objects.filter(uid="_tr4nsient-7f3a").exists()
    failure = last_failure(saml_a.organization)
    assert failure["reason"] == "saml_transient_name_id"
    assert failure["uid"] == "_tr4nsient-7f3a" and NAMEID_FORMAT_TRANSIENT in failure["detail"]
    assert failure["provider_id"] == saml_a.connection.provider_id

    # The same person with a persistent NameID gets in: only the NameID format made the difference.
    again = browser()
    ok = _login_as(saml_a, again, SamlUser(name_id="tina-p", email="tina@a-saml.test", groups=["Charter Admins"]))
    assert ok.status_code == 302, ok.content[:500]
    assert session_user(again).email == "tina@a-saml.test"


def test_the_refusal_is_translated(client: Client, saml_a: SamlSetup) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    user = SamlUser(name_id="_tr-ru", email="rita@a-saml.test", name_id_format=NAMEID_FORMAT_TRANSIENT)
    response = _login_as(saml_a, client, user)
    assert response.status_code == 403
    page = response.content.decode()
    assert "transient" in page and "NameID" in page
    assert "постоянный" in page  # the Russian sentence, not the English one
    assert "changes at every sign-in" not in page


def test_a_transient_name_id_is_fine_when_a_uid_attribute_is_the_key(client: Client, saml_a: SamlSetup) -> None:
    _update(saml_a, saml_uid_attribute=ATTR_EMPLOYEE_ID)
    first = SamlUser(
        name_id="_t-one",
        email="uma@a-saml.test",
        name_id_format=NAMEID_FORMAT_TRANSIENT,
        extra={ATTR_EMPLOYEE_ID: ["E-4711"]},
    )
    response = _login_as(saml_a, client, first)
    assert response.status_code == 302, response.content[:500]
    user = session_user(client)
    assert user.email == "uma@a-saml.test"
    # A transient NameID is new at every sign-in; the attribute keeps it one identity.
    second = SamlUser(**{**first.__dict__, "name_id": "_t-two"})
    again = browser()
    assert _login_as(saml_a, again, second).status_code == 302
    assert session_user(again) == user
    accounts = SocialAccount.objects.filter(provider=saml_a.connection.provider_id, user=user)
    assert [a.uid for a in accounts] == ["E-4711"]


def test_a_missing_uid_attribute_does_not_fall_back_to_a_transient_name_id(client: Client, saml_a: SamlSetup) -> None:
    """allauth uses the NameID when the uid attribute is absent: a transient one must still be refused."""
    _update(saml_a, saml_uid_attribute=ATTR_EMPLOYEE_ID)
    user = SamlUser(name_id="_t-three", email="ulf@a-saml.test", name_id_format=NAMEID_FORMAT_TRANSIENT)
    response = _login_as(saml_a, client, user)
    assert response.status_code == 403
    assert session_user(client) is None
    assert last_failure(saml_a.organization)["reason"] == "saml_transient_name_id"


def test_the_authn_request_and_metadata_ask_for_a_persistent_name_id(client: Client, saml_a: SamlSetup) -> None:
    request = _authn_request(saml_a, client, "x@a-saml.test")
    assert request.name_id_policy.format == NAMEID_FORMAT_PERSISTENT
    formats = [e.text for e in _sp_metadata(saml_a.connection).iter(f"{{{MD}}}NameIDFormat")]
    assert formats == [NAMEID_FORMAT_PERSISTENT]
    # With a user ID attribute the NameID is not the key: no format is imposed on the IdP.
    _update(saml_a, saml_uid_attribute=ATTR_EMPLOYEE_ID)
    request = _authn_request(saml_a, browser(), "x@a-saml.test")
    assert request.name_id_policy.format == NAMEID_UNSPECIFIED


def test_diagnostics_warn_about_an_idp_offering_only_transient_name_ids(org_a: Organization) -> None:
    with (
        running_idp(name_id_formats=[NAMEID_FORMAT_TRANSIENT], want_authn_requests_signed=True) as idp,
        org_scope(org_a),
    ):
        connection = services.connection_create(
            organization=org_a, actor=None, protocol="saml", name="Tr", key="tr", saml_metadata_url=idp.metadata_url
        )
        warnings = [
            f.message
            for f in services.connection_test(organization=org_a, actor=None, connection=connection).findings
            if f.level == "warning"
        ]
        assert any("transient" in w for w in warnings), warnings
        assert any("signed authentication requests" in w for w in warnings), warnings
        connection = services.connection_update(
            organization=org_a,
            actor=None,
            connection=connection,
            saml_uid_attribute=ATTR_EMPLOYEE_ID,
            saml_sign_requests=True,
        )
        report = services.connection_test(organization=org_a, actor=None, connection=connection)
        assert report.ok and not [f for f in report.findings if f.level == "warning"], report.findings


def test_diagnostics_are_quiet_for_a_persistent_idp(org_a: Organization, saml_idp: SamlIdp) -> None:
    with org_scope(org_a):
        connection = services.connection_create(
            organization=org_a, actor=None, protocol="saml", name="P", key="p", saml_metadata_url=saml_idp.metadata_url
        )
        report = services.connection_test(organization=org_a, actor=None, connection=connection)
    assert report.ok and not [f for f in report.findings if f.level == "warning"], report.findings


# -- signed AuthnRequests -------------------------------------------------------------------------
@pytest.fixture
def strict_idp() -> Any:
    """An IdP that refuses AuthnRequests not signed with a key from the SP's metadata."""
    with running_idp(want_authn_requests_signed=True) as idp:
        yield idp


def _signing_certificate(metadata: etree._Element) -> str:
    descriptors = metadata.findall(f"{{{MD}}}SPSSODescriptor/{{{MD}}}KeyDescriptor")
    assert [d.get("use") for d in descriptors] == ["signing"]
    return "".join((descriptors[0].findtext(f".//{{{DS}}}X509Certificate") or "").split())


def test_signed_authn_requests_are_verified_by_the_idp(
    client: Client, org_a: Organization, strict_idp: SamlIdp
) -> None:
    connection = make_saml_connection(
        org_a, strict_idp, key="signed", domain="signed-saml.test", saml_sign_requests=True
    )
    setup = SamlSetup(connection, strict_idp, org_a)

    # Our metadata publishes the connection's certificate and says the requests are signed.
    metadata = _sp_metadata(connection)
    sp = metadata.find(f"{{{MD}}}SPSSODescriptor")
    assert sp is not None and sp.get("AuthnRequestsSigned") == "true"
    assert _signing_certificate(metadata) == connection.saml_sp_certificate

    # The request carries an RSA-SHA256 signature that pysaml2 verifies with that certificate...
    redirect = setup.start(client, "sig@signed-saml.test")
    query = {k: v[0] for k, v in parse_qs(urlsplit(redirect).query, keep_blank_values=True).items()}
    assert query["SigAlg"] == "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
    signed = {"relay_state": query.get("RelayState"), "sigalg": query["SigAlg"], "signature": query["Signature"]}
    assert strict_idp.authn_request(query["SAMLRequest"], **signed).issuer.text == metadata.get("entityID")
    # ...and only that: unsigned or altered requests are refused by this IdP.
    with pytest.raises(IncorrectlySigned):
        strict_idp.authn_request(query["SAMLRequest"], relay_state=query.get("RelayState"))
    with pytest.raises(IncorrectlySigned):
        strict_idp.authn_request(query["SAMLRequest"], **{**signed, "relay_state": "/o/somewhere-else/"})

    # The whole sign-in works through the strict IdP.
    form = strict_idp.login(redirect, SamlUser(name_id="sig-1", email="sig@signed-saml.test"))
    response = setup.post_to_acs(client, form)
    assert response.status_code == 302, response.content[:500]
    assert session_user(client).email == "sig@signed-saml.test"


def test_without_signing_the_strict_idp_refuses_and_the_key_pair_is_kept(
    org_a: Organization, strict_idp: SamlIdp
) -> None:
    connection = make_saml_connection(
        org_a, strict_idp, key="signed", domain="signed-saml.test", saml_sign_requests=True
    )
    setup = SamlSetup(connection, strict_idp, org_a)
    certificate = connection.saml_sp_certificate
    _update(setup, saml_sign_requests=False)
    metadata = _sp_metadata(setup.connection)
    assert metadata.find(f"{{{MD}}}SPSSODescriptor").get("AuthnRequestsSigned") == "false"  # type: ignore[union-attr]
    assert metadata.find(f".//{{{MD}}}KeyDescriptor") is None
    redirect = setup.start(browser(), "nosig@signed-saml.test")
    assert "Signature=" not in redirect
    with pytest.raises(requests.HTTPError):
        strict_idp.login(redirect, SamlUser(name_id="nosig", email="nosig@signed-saml.test"))
    # Turning signing on again reuses the certificate the IdP already knows.
    connection = _update(setup, saml_sign_requests=True)
    assert connection.saml_sp_certificate == certificate
    client = browser()
    response = setup.login(client, name_id="sig2", email="sig2@signed-saml.test")
    assert response.status_code == 302, response.content[:500]
    assert session_user(client).email == "sig2@signed-saml.test"


def test_the_sp_certificate_is_generated_once_as_specified(org_a: Organization) -> None:
    idp_cert = generate_key_pair().cert_base64
    with org_scope(org_a):
        connection = services.connection_create(
            organization=org_a,
            actor=None,
            protocol="saml",
            name="Gen",
            key="gen",
            saml_idp_entity_id="https://idp.example.com/metadata",
            saml_idp_sso_url="https://idp.example.com/sso",
            saml_idp_certificate=idp_cert,
        )
        assert connection.saml_sp_certificate == "" and connection.saml_sp_private_key == ""  # not needed yet
        connection = services.connection_update(
            organization=org_a, actor=None, connection=connection, saml_sign_requests=True
        )
    cert = x509.load_der_x509_certificate(base64.b64decode(connection.saml_sp_certificate))
    assert cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == urlsplit(settings.SITE_URL).hostname
    assert cert.issuer == cert.subject  # self-signed
    public_key = cert.public_key()
    assert isinstance(public_key, rsa.RSAPublicKey) and public_key.key_size == 2048
    lifetime = cert.not_valid_after_utc - cert.not_valid_before_utc
    assert dt.timedelta(days=3649) < lifetime < dt.timedelta(days=3660)
    pem = decrypt_secret(connection.saml_sp_private_key)
    assert pem.startswith("-----BEGIN PRIVATE KEY-----")
    assert "PRIVATE KEY" not in connection.saml_sp_private_key  # stored encrypted
    updated = events(org_a, "sso.connection.updated")[-1].data["changes"]
    assert set(updated) == {"saml_sign_requests", "sp_certificate_sha256"}


# -- the private key stays private ----------------------------------------------------------------
def test_the_private_key_is_not_in_the_api_ui_audit_or_social_app(
    org_a: Organization, members_a: Any, api_client_for: Any, client_for: Any
) -> None:
    api = api_client_for(members_a["admin"])
    created = api.post(
        reverse("sso-api:connection-list", kwargs={"org_slug": org_a.slug}),
        {
            "name": "Signed",
            "protocol": "saml",
            "key": "signed-api",
            "saml_idp_entity_id": "https://idp.example.com/metadata",
            "saml_idp_sso_url": "https://idp.example.com/sso",
            "saml_idp_certificate": generate_key_pair().cert_base64,
            "saml_sign_requests": True,
            "is_enabled": True,
        },
        format="json",
    )
    assert created.status_code == 201, created.content[:500]
    body = created.json()
    with scopes_disabled():
        connection = SsoConnection.objects.get(pk=body["id"])
    assert body["saml_sign_requests"] is True
    assert body["saml_sp_certificate"] == connection.saml_sp_certificate != ""
    assert not [k for k in body if "private" in k]
    pem = decrypt_secret(connection.saml_sp_private_key)
    secrets_ = [connection.saml_sp_private_key, *pem.splitlines()[1:-1]]

    detail = reverse("sso-api:connection-detail", kwargs={"org_slug": org_a.slug, "pk": connection.pk})
    list_url = reverse("sso-api:connection-list", kwargs={"org_slug": org_a.slug})
    # A client that tries to set the key is ignored, not obeyed.
    patched = api.patch(detail, {"saml_sp_private_key": "attacker", "saml_sp_certificate": "x"}, format="json")
    assert patched.status_code == 200
    with scopes_disabled():
        assert SsoConnection.objects.get(pk=connection.pk).saml_sp_private_key == connection.saml_sp_private_key
    admin = client_for(members_a["admin"])
    pages = {
        "api create": created.content.decode(),
        "api detail": api.get(detail).content.decode(),
        "api list": api.get(list_url).content.decode(),
        "api patch": patched.content.decode(),
        "ui detail": admin.get(
            reverse("sso:connection_detail", kwargs={"org_slug": org_a.slug, "pk": connection.pk})
        ).content.decode(),
        "ui edit": admin.get(
            reverse("sso:connection_edit", kwargs={"org_slug": org_a.slug, "pk": connection.pk})
        ).content.decode(),
        "sp metadata": browser()
        .get(reverse("sso_public:saml_metadata", kwargs={"provider_id": connection.provider_id}))
        .content.decode(),
        "audit": json.dumps([e.data for e in events(org_a)]),
    }
    with scopes_disabled():
        app = SocialApp.objects.get(pk=SsoConnection.objects.get(pk=connection.pk).social_app_id)
    pages["social app row"] = json.dumps(app.settings) + app.secret + app.key
    assert app.settings["advanced"]["authn_request_signed"] is True
    for where, text in pages.items():
        for secret in secrets_:
            assert secret not in text, f"private key material in {where}"
    assert connection.sp_certificate_fingerprint in pages["ui detail"]
    assert 'name="saml_sign_requests"' in pages["ui edit"]


def test_rotating_the_sp_key_pair_as_documented(org_a: Organization, strict_idp: SamlIdp) -> None:
    """docs/sso.md §5.2: clear the pair, update the connection; also how a lost encryption key is fixed."""
    from cryptography.fernet import Fernet

    connection = make_saml_connection(
        org_a, strict_idp, key="signed", domain="signed-saml.test", saml_sign_requests=True
    )
    old_certificate = connection.saml_sp_certificate
    with scopes_disabled():
        SsoConnection.objects.filter(pk=connection.pk).update(
            saml_sp_private_key=Fernet(Fernet.generate_key()).encrypt(b"lost").decode()
        )
    with org_scope(org_a):
        report = services.connection_test(organization=org_a, actor=None, connection=connection)
    assert not report.ok and any("cannot be decrypted" in f.message for f in report.findings if f.level == "error")

    with scopes_disabled():
        c = SsoConnection.objects.get(provider_id=connection.provider_id)
        SsoConnection.objects.filter(pk=c.pk).update(saml_sp_certificate="", saml_sp_private_key="")
    with org_scope(c.organization):
        rotated = services.connection_update(
            organization=c.organization, actor=None, connection=c, saml_sign_requests=True
        )
    assert rotated.saml_sp_certificate not in ("", old_certificate)
    assert _signing_certificate(_sp_metadata(rotated)) == rotated.saml_sp_certificate
    assert events(org_a, "sso.connection.updated")[-1].data["changes"]["sp_certificate_sha256"]["new"] == (
        rotated.sp_certificate_fingerprint
    )
    setup = SamlSetup(rotated, strict_idp, org_a)
    strict_idp.add_service_provider(
        browser().get(reverse("sso_public:saml_metadata", kwargs={"provider_id": rotated.provider_id})).content.decode()
    )
    client = browser()
    assert setup.login(client, name_id="rot", email="rot@signed-saml.test").status_code == 302
    assert session_user(client).email == "rot@signed-saml.test"
