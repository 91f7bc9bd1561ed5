"""Keeping django-allauth's ``SocialApp`` rows in step with :class:`SsoConnection`.

A connection has a SocialApp only while it is enabled: allauth's login, callback and ACS views answer 404
for a disabled connection. The row carries no secret: the OIDC client secret and the SAML SP private key
(for signed AuthnRequests) are decrypted and put on the in-memory app by
:class:`apps.sso.adapters.SsoSocialAccountAdapter` when allauth loads it. Settings that depend on the
deployment rather than on the connection (single-label host names in tests) are added there too, and a
SAML app's settings are recomputed from the connection there.
"""

from __future__ import annotations

from typing import Any

from allauth.socialaccount.models import SocialApp
from django.conf import settings
from django.urls import reverse
from onelogin.saml2.constants import OneLogin_Saml2_Constants

from apps.sso.models import Protocol, SsoConnection

# Attribute names tried when the admin names none (Entra ID / ADFS claim URIs, LDAP OIDs, Okta-style names).
DEFAULT_SAML_ATTRIBUTES: dict[str, list[str]] = {
    "email": [
        "urn:oid:0.9.2342.19200300.100.1.3",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
        "email",
        "mail",
    ],
    "first_name": [
        "urn:oid:2.5.4.42",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname",
        "firstName",
        "givenName",
    ],
    "last_name": [
        "urn:oid:2.5.4.4",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname",
        "lastName",
        "sn",
    ],
}

SAML_NAMEID_PERSISTENT = OneLogin_Saml2_Constants.NAMEID_PERSISTENT
SAML_NAMEID_TRANSIENT = OneLogin_Saml2_Constants.NAMEID_TRANSIENT

ALLAUTH_PROVIDER = {Protocol.OIDC: "openid_connect", Protocol.SAML: "saml"}


def site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def oidc_redirect_uri(provider_id: str) -> str:
    return site_url(reverse("openid_connect_callback", kwargs={"provider_id": provider_id}))


def saml_acs_url(provider_id: str) -> str:
    return site_url(reverse("saml_acs", kwargs={"organization_slug": provider_id}))


def saml_sls_url(provider_id: str) -> str:
    """Our single logout service (allauth's SLS view, HTTP-Redirect binding)."""
    return site_url(reverse("saml_sls", kwargs={"organization_slug": provider_id}))


def saml_sp_entity_id(provider_id: str) -> str:
    """Stable across host names: our own metadata URL under SITE_URL."""
    return site_url(reverse("sso_public:saml_metadata", kwargs={"provider_id": provider_id}))


def endpoints(connection: SsoConnection) -> dict[str, str]:
    """What the admin registers at the identity provider."""
    if connection.is_oidc:
        return {"redirect_uri": oidc_redirect_uri(connection.provider_id)}
    return {
        "sp_entity_id": saml_sp_entity_id(connection.provider_id),
        "acs_url": saml_acs_url(connection.provider_id),
        "sls_url": saml_sls_url(connection.provider_id),
        "metadata_url": saml_sp_entity_id(connection.provider_id),
    }


def _attribute(name: str, default: list[str]) -> list[str]:
    return [name] if name else list(default)


def app_settings_for(connection: SsoConnection) -> dict[str, Any]:
    common: dict[str, Any] = {
        # Never log anyone in by matching an e-mail address, whatever the global settings say.
        "email_authentication": False,
        "verified_email": False,
    }
    if connection.protocol == Protocol.OIDC:
        data: dict[str, Any] = {
            **common,
            "server_url": connection.oidc_issuer,
            "oauth_pkce_enabled": bool(connection.oidc_pkce),
            "scope": (connection.oidc_scopes or "openid").split(),
            "uid_field": "sub",
            "fetch_userinfo": True,
        }
        if connection.oidc_token_auth_method:
            data["token_auth_method"] = connection.oidc_token_auth_method
        return data
    mapping: dict[str, list[str]] = {
        "email": _attribute(connection.saml_email_attribute, DEFAULT_SAML_ATTRIBUTES["email"]),
        "first_name": _attribute(connection.saml_first_name_attribute, DEFAULT_SAML_ATTRIBUTES["first_name"]),
        "last_name": _attribute(connection.saml_last_name_attribute, DEFAULT_SAML_ATTRIBUTES["last_name"]),
    }
    if connection.saml_uid_attribute:
        mapping["uid"] = [connection.saml_uid_attribute]
    advanced: dict[str, Any] = {
        "strict": True,
        "want_assertion_signed": True,
        "want_message_signed": False,
        "reject_deprecated_algorithm": True,
        "reject_idp_initiated_sso": not connection.saml_allow_idp_initiated,
        "want_attribute_statement": False,
        "want_name_id": True,
        "allow_single_label_domains": False,
    }
    if not connection.saml_uid_attribute:
        # The NameID is the identity key: ask for a persistent one (NameIDPolicy of the AuthnRequest and
        # NameIDFormat of our metadata). With a user ID attribute the NameID does not matter, and asking for
        # a format the IdP is not set up for would make strict IdPs answer InvalidNameIDPolicy.
        advanced["name_id_format"] = SAML_NAMEID_PERSISTENT
    if connection.saml_sign_requests and connection.has_sp_key_pair:
        # The private key is added in memory by runtime_settings, never stored in the SocialApp row.
        advanced.update(
            {
                "authn_request_signed": True,
                # Single logout: our LogoutRequests and our answers to the IdP's are signed with the same key.
                "logout_request_signed": True,
                "logout_response_signed": True,
                "signature_algorithm": OneLogin_Saml2_Constants.RSA_SHA256,
                "digest_algorithm": OneLogin_Saml2_Constants.SHA256,
                "x509cert": connection.saml_sp_certificate,
            }
        )
    idp: dict[str, Any] = {
        "entity_id": connection.saml_idp_entity_id,
        "sso_url": connection.saml_idp_sso_url,
        "x509cert": connection.saml_idp_certificate,
    }
    if connection.saml_idp_slo_url:
        # allauth's SLS view (/accounts/saml/<provider_id>/sls/) and python3-saml's logout() need it.
        idp["slo_url"] = connection.saml_idp_slo_url
    return {
        **common,
        "idp": idp,
        "sp": {"entity_id": saml_sp_entity_id(connection.provider_id)},
        "attribute_mapping": mapping,
        "advanced": advanced,
    }


def is_complete(connection: SsoConnection) -> bool:
    if connection.is_oidc:
        return bool(connection.oidc_issuer and connection.oidc_client_id)
    return bool(connection.saml_idp_entity_id and connection.saml_idp_sso_url and connection.saml_idp_certificate)


def sync_social_app(connection: SsoConnection) -> SocialApp | None:
    """Create, update or delete the connection's SocialApp. Call inside the service's transaction."""
    app = connection.social_app
    if not (connection.is_enabled and is_complete(connection)):
        if app is not None:
            connection.social_app = None
            connection.save(update_fields=["social_app"])
            app.delete()
        return None
    if app is None:
        app = SocialApp()
    app.provider = ALLAUTH_PROVIDER[Protocol(connection.protocol)]
    app.provider_id = connection.provider_id
    app.name = connection.name[:40]
    # allauth's SAML URLs are keyed on client_id; OIDC sends it to the IdP.
    app.client_id = connection.oidc_client_id if connection.is_oidc else connection.provider_id
    app.secret = ""  # see SsoSocialAccountAdapter.list_apps
    app.key = ""
    app.settings = app_settings_for(connection)
    app.full_clean()
    app.save()
    if connection.social_app_id != app.pk:
        connection.social_app = app
        connection.save(update_fields=["social_app"])
    return app


def runtime_settings(app: SocialApp, connection: SsoConnection) -> None:
    """Complete an in-memory SocialApp loaded by allauth: the decrypted OIDC client secret or SAML SP
    private key, deployment flags. Raises SecretDecryptionError when a stored secret cannot be decrypted."""
    from apps.sso.crypto import decrypt_secret

    if connection.is_oidc:
        app.secret = decrypt_secret(connection.oidc_client_secret)
    else:
        # Always the connection's current SAML settings, also for a row written before a setting existed
        # (e.g. the NameID policy), so that no re-save is needed after an upgrade.
        current = app_settings_for(connection)
        advanced = dict(current["advanced"])
        advanced["allow_single_label_domains"] = bool(getattr(settings, "SSO_SAML_ALLOW_SINGLE_LABEL_DOMAINS", False))
        if advanced.get("authn_request_signed"):
            advanced["private_key"] = decrypt_secret(connection.saml_sp_private_key)
        app.settings = {**current, "advanced": advanced}
