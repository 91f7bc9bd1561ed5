"""The "Test connection" button: fetch the identity provider's public documents and explain, in plain
words, what would stop a sign-in. Nothing here changes a connection."""

from __future__ import annotations

import ipaddress
import json
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import urlsplit

from django.utils import formats
from django.utils.translation import gettext as _

from apps.sso.crypto import SecretDecryptionError, decrypt_secret
from apps.sso.fetch import FetchError, fetch
from apps.sso.models import SsoConnection
from apps.sso.saml_metadata import IdpMetadata, MetadataError, certificate_info, parse_idp_metadata
from apps.sso.socialapps import SAML_NAMEID_TRANSIENT


@dataclass
class Finding:
    level: str  # "ok" | "warning" | "error"
    message: str


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(f.level == "error" for f in self.findings)

    def add(self, level: str, message: str) -> None:
        self.findings.append(Finding(level, str(message)))

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "findings": [asdict(f) for f in self.findings]}


def _is_loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _check_https(report: Report, url: str, what: str) -> None:
    if urlsplit(url).scheme != "https" and not _is_loopback(url):
        report.add("warning", _("%(what)s does not use HTTPS: %(url)s") % {"what": what, "url": url})


def discovery_url(issuer: str) -> str:
    return issuer if "/.well-known/" in issuer else issuer.rstrip("/") + "/.well-known/openid-configuration"


def _json(body: bytes) -> Any:
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None


def check_oidc(connection: SsoConnection) -> Report:
    report = Report()
    if not connection.oidc_issuer:
        report.add("error", _("The issuer URL is missing."))
        return report
    if not connection.oidc_client_id:
        report.add("error", _("The client ID is missing."))
    if not connection.has_client_secret:
        report.add("warning", _("No client secret is stored; most identity providers require one."))
    url = discovery_url(connection.oidc_issuer)
    try:
        doc = _json(fetch(url, accept="application/json").body)
    except FetchError as exc:
        report.add("error", _("The discovery document could not be fetched: %(error)s") % {"error": exc})
        return report
    if not isinstance(doc, dict):
        report.add("error", _("%(url)s did not return a JSON discovery document.") % {"url": url})
        return report
    report.add("ok", _("Discovery document fetched from %(url)s.") % {"url": url})
    issuer = str(doc.get("issuer") or "")
    if not issuer:
        report.add("error", _("The discovery document has no issuer."))
    elif issuer.rstrip("/") != connection.oidc_issuer.rstrip("/") and "/.well-known/" not in connection.oidc_issuer:
        report.add(
            "error",
            _("The provider calls itself %(found)s, not %(expected)s: tokens would be rejected.")
            % {"found": issuer, "expected": connection.oidc_issuer},
        )
    missing = [
        k for k in ("authorization_endpoint", "token_endpoint", "jwks_uri", "userinfo_endpoint") if not doc.get(k)
    ]
    if missing:
        report.add("error", _("The discovery document lacks: %(keys)s.") % {"keys": ", ".join(missing)})
    for key in ("authorization_endpoint", "token_endpoint"):
        if doc.get(key):
            _check_https(report, str(doc[key]), key)
    if "code" not in (doc.get("response_types_supported") or ["code"]):
        report.add("error", _("The provider does not support the authorization code flow."))
    scopes = (connection.oidc_scopes or "").split()
    if "openid" not in scopes:
        report.add("error", _("The scopes must include “openid”."))
    supported_scopes = doc.get("scopes_supported")
    if isinstance(supported_scopes, list):
        unknown = [s for s in scopes if s not in supported_scopes]
        if unknown:
            report.add(
                "warning", _("The provider does not list these scopes: %(scopes)s.") % {"scopes": ", ".join(unknown)}
            )
    methods = doc.get("code_challenge_methods_supported")
    if connection.oidc_pkce and isinstance(methods, list) and "S256" not in methods:
        report.add("warning", _("PKCE is on, but the provider does not announce S256 support."))
    if connection.oidc_token_auth_method:
        auth_methods = doc.get("token_endpoint_auth_methods_supported") or ["client_secret_basic"]
        if connection.oidc_token_auth_method not in auth_methods:
            report.add(
                "error",
                _("The provider does not accept %(method)s client authentication.")
                % {"method": connection.oidc_token_auth_method},
            )
    if doc.get("jwks_uri"):
        try:
            jwks = _json(fetch(str(doc["jwks_uri"]), accept="application/json").body)
        except FetchError as exc:
            report.add("error", _("The signing keys could not be fetched: %(error)s") % {"error": exc})
        else:
            keys = jwks.get("keys") if isinstance(jwks, dict) else None
            if not keys:
                report.add("error", _("The provider publishes no signing keys."))
            else:
                report.add("ok", _("%(count)s signing key(s) published.") % {"count": len(keys)})
    _check_https(report, connection.oidc_issuer, _("The issuer"))
    return report


def _check_certificate(report: Report, cert: str) -> None:
    try:
        info = certificate_info(cert)
    except MetadataError as exc:
        report.add("error", str(exc))
        return
    when = formats.date_format(info.not_after, "DATE_FORMAT")
    if info.expired:
        report.add("error", _("The IdP signing certificate expired on %(date)s.") % {"date": when})
    elif info.expires_soon:
        report.add("warning", _("The IdP signing certificate expires on %(date)s.") % {"date": when})
    else:
        report.add("ok", _("The IdP signing certificate is valid until %(date)s.") % {"date": when})
    if info.signature_hash in ("sha1", "md5"):
        report.add(
            "warning",
            _("The IdP certificate itself is signed with %(alg)s; ask for a SHA-256 certificate.")
            % {"alg": info.signature_hash.upper()},
        )


def _check_idp_requirements(report: Report, connection: SsoConnection, metadata: IdpMetadata) -> None:
    formats = metadata.name_id_formats
    if not connection.saml_uid_attribute and formats and all(f == SAML_NAMEID_TRANSIENT for f in formats):
        report.add(
            "warning",
            _(
                "The identity provider offers only transient NameIDs, which change at every sign-in, and no user "
                "ID attribute is set: sign-ins will be refused. Configure a persistent NameID at the identity "
                "provider, or name a user ID attribute."
            ),
        )
    if metadata.wants_signed_requests and not connection.saml_sign_requests:
        report.add(
            "warning",
            _(
                "The identity provider wants signed authentication requests: turn on “Sign authentication "
                "requests” and register the certificate from our metadata at the identity provider."
            ),
        )


def check_saml(connection: SsoConnection) -> Report:
    report = Report()
    metadata = None
    if connection.saml_metadata_url:
        try:
            body = fetch(connection.saml_metadata_url, accept="application/samlmetadata+xml, application/xml").body
            metadata = parse_idp_metadata(body, entity_id=connection.saml_idp_entity_id)
            report.add("ok", _("Metadata fetched from %(url)s.") % {"url": connection.saml_metadata_url})
        except (FetchError, MetadataError) as exc:
            report.add("error", _("The metadata could not be used: %(error)s") % {"error": exc})
    elif connection.saml_metadata_xml:
        try:
            metadata = parse_idp_metadata(connection.saml_metadata_xml, entity_id=connection.saml_idp_entity_id)
        except MetadataError as exc:
            report.add("error", str(exc))
    if metadata is not None:
        _check_idp_requirements(report, connection, metadata)
    if metadata is not None and (
        metadata.sso_url != connection.saml_idp_sso_url or metadata.certificate != connection.saml_idp_certificate
    ):
        report.add("warning", _("The metadata has changed since the connection was saved; save it again to apply."))
    for value, label in (
        (connection.saml_idp_entity_id, _("The IdP entity ID is missing.")),
        (connection.saml_idp_sso_url, _("The IdP single sign-on URL is missing.")),
        (connection.saml_idp_certificate, _("The IdP signing certificate is missing.")),
    ):
        if not value:
            report.add("error", label)
    if connection.saml_idp_sso_url:
        _check_https(report, connection.saml_idp_sso_url, _("The single sign-on URL"))
    if connection.saml_idp_certificate:
        _check_certificate(report, connection.saml_idp_certificate)
    if connection.saml_allow_idp_initiated:
        report.add("warning", _("IdP-initiated sign-in is allowed; it cannot be tied to a request from this site."))
    if connection.saml_sign_requests and connection.has_sp_key_pair:
        try:
            decrypt_secret(connection.saml_sp_private_key)
        except SecretDecryptionError:
            report.add(
                "error",
                _(
                    "The key that signs authentication requests cannot be decrypted with the configured keys "
                    "(SSO_ENCRYPTION_KEY or SECRET_KEY changed): sign-ins fail until a new key pair is generated."
                ),
            )
    return report


def run(connection: SsoConnection) -> Report:
    return check_oidc(connection) if connection.is_oidc else check_saml(connection)
