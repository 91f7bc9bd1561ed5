"""Enterprise single sign-on, per organization.

* :class:`SsoConnection` — one OpenID Connect or SAML 2.0 identity provider of an organization. The
  service layer keeps a django-allauth ``SocialApp`` in sync with it (present only while the connection
  is enabled); the OIDC client secret is stored here, Fernet-encrypted, and never in the SocialApp row.
* :class:`SsoDomain` — an e-mail domain an organization claims; once verified (DNS TXT or a one-time
  e-mail link) logins with that domain are routed to the organization's identity provider.
* :class:`SsoPolicy` — the organization's "SSO required" and "MFA required" settings.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.tenancy import OrganizationOwned
from apps.organizations.models import Role

KEY_VALIDATOR_MESSAGE = _("Use 1–40 lowercase letters, digits and hyphens.")


class Protocol(models.TextChoices):
    OIDC = "oidc", _("OpenID Connect")
    SAML = "saml", _("SAML 2.0")


class TokenAuthMethod(models.TextChoices):
    AUTO = "", _("Automatic (from the discovery document)")
    POST = "client_secret_post", _("Client secret in the request body (client_secret_post)")
    BASIC = "client_secret_basic", _("HTTP Basic authentication (client_secret_basic)")


class SsoConnection(OrganizationOwned):
    name = models.CharField(_("name"), max_length=40, help_text=_("Shown on the sign-in button, e.g. “Acme Okta”."))
    protocol = models.CharField(_("protocol"), max_length=8, choices=Protocol.choices)
    key = models.SlugField(
        _("key"),
        max_length=40,
        help_text=_("Part of the callback addresses you register at the identity provider. Cannot be changed later."),
    )
    provider_id = models.CharField(max_length=100, unique=True, editable=False)
    is_enabled = models.BooleanField(_("enabled"), default=False)

    # Provisioning and role mapping (both protocols)
    jit_provisioning = models.BooleanField(
        _("create accounts on first sign-in"),
        default=True,
        help_text=_("Just-in-time provisioning: the first sign-in creates the account and the membership."),
    )
    default_role = models.CharField(
        _("default role"),
        max_length=16,
        choices=Role.choices,
        blank=True,
        default=Role.VIEWER,
        help_text=_("Given to everyone who signs in through this connection. Leave empty to admit only mapped groups."),
    )
    groups_claim = models.CharField(
        _("groups claim / attribute"),
        max_length=255,
        blank=True,
        default="groups",
        help_text=_("The OIDC claim or SAML attribute that lists the user's groups."),
    )
    group_role_map = models.JSONField(
        _("group → role mapping"),
        default=list,
        blank=True,
        help_text=_("Re-applied at every sign-in: the member's roles become the default role plus the mapped roles."),
    )

    # OpenID Connect
    oidc_issuer = models.URLField(
        _("issuer"), max_length=500, blank=True, help_text=_("e.g. https://login.example.com/realms/acme")
    )
    oidc_client_id = models.CharField(_("client ID"), max_length=191, blank=True)
    oidc_client_secret = models.TextField(blank=True, editable=False)  # Fernet token, see apps.sso.crypto
    oidc_scopes = models.CharField(_("scopes"), max_length=300, blank=True, default="openid email profile")
    oidc_pkce = models.BooleanField(_("use PKCE"), default=True)
    oidc_token_auth_method = models.CharField(
        _("client authentication"), max_length=32, choices=TokenAuthMethod.choices, blank=True, default=""
    )

    # SAML 2.0
    saml_metadata_url = models.URLField(_("IdP metadata URL"), max_length=500, blank=True)
    saml_metadata_xml = models.TextField(_("IdP metadata XML"), blank=True)
    saml_idp_entity_id = models.CharField(_("IdP entity ID"), max_length=500, blank=True)
    saml_idp_sso_url = models.URLField(_("IdP single sign-on URL"), max_length=500, blank=True)
    saml_idp_slo_url = models.URLField(
        _("IdP single logout URL"),
        max_length=500,
        blank=True,
        help_text=_(
            "The identity provider's single logout endpoint (HTTP-Redirect). When set, signing out of Charter "
            "also signs out of the identity provider, and the identity provider can sign people out of Charter."
        ),
    )
    saml_idp_certificate = models.TextField(_("IdP signing certificate"), blank=True)
    saml_uid_attribute = models.CharField(
        _("user ID attribute"),
        max_length=255,
        blank=True,
        help_text=_("Leave empty to identify users by their NameID (recommended: a persistent NameID)."),
    )
    saml_email_attribute = models.CharField(_("e-mail attribute"), max_length=255, blank=True)
    saml_first_name_attribute = models.CharField(_("first name attribute"), max_length=255, blank=True)
    saml_last_name_attribute = models.CharField(_("last name attribute"), max_length=255, blank=True)
    saml_allow_idp_initiated = models.BooleanField(
        _("allow IdP-initiated sign-in"),
        default=False,
        help_text=_("Accept unsolicited responses (started from the IdP's portal). Off is safer."),
    )

    saml_sign_requests = models.BooleanField(
        _("sign authentication requests"),
        default=False,
        help_text=_(
            "Sign the requests sent to the identity provider with this connection's own key. The certificate "
            "is published in the service-provider metadata; register it at the IdP if it asks for signed requests."
        ),
    )
    # Generated when signing is first turned on (apps.sso.sp_keys); kept when it is turned off again.
    saml_sp_certificate = models.TextField(blank=True, editable=False)  # base64 DER, public
    saml_sp_private_key = models.TextField(blank=True, editable=False)  # Fernet token of the PEM key, see crypto

    social_app = models.OneToOneField(
        "socialaccount.SocialApp", on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    last_tested_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_test_ok = models.BooleanField(null=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("SSO connection")
        verbose_name_plural = _("SSO connections")
        ordering = ("name", "pk")
        constraints = [
            models.UniqueConstraint(fields=["organization", "key"], name="sso_connection_unique_key_per_org"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_oidc(self) -> bool:
        return self.protocol == Protocol.OIDC

    @property
    def is_saml(self) -> bool:
        return self.protocol == Protocol.SAML

    @property
    def has_client_secret(self) -> bool:
        return bool(self.oidc_client_secret)

    @property
    def has_sp_key_pair(self) -> bool:
        return bool(self.saml_sp_certificate and self.saml_sp_private_key)

    @property
    def sp_certificate_fingerprint(self) -> str:
        from apps.sso.sp_keys import certificate_fingerprint

        return certificate_fingerprint(self.saml_sp_certificate)

    def mapped_roles(self, groups: list[str]) -> set[str]:
        wanted = {str(g) for g in groups}
        return {
            str(row.get("role"))
            for row in self.group_role_map or []
            if isinstance(row, dict) and str(row.get("group", "")) in wanted and row.get("role") in Role.values
        }


def _token() -> str:
    return secrets.token_urlsafe(24)


class SsoDomain(OrganizationOwned):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending verification")
        VERIFIED = "verified", _("Verified")

    class Method(models.TextChoices):
        DNS = "dns", _("DNS TXT record")
        EMAIL = "email", _("E-mail link")

    domain = models.CharField(_("domain"), max_length=253)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING, editable=False
    )
    method = models.CharField(_("verified by"), max_length=8, choices=Method.choices, blank=True, editable=False)
    dns_token = models.CharField(max_length=64, default=_token, editable=False)
    email_address = models.EmailField(_("verification address"), blank=True, editable=False)
    email_token_hash = models.CharField(max_length=64, blank=True, editable=False)
    email_token_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    verified_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )

    class Meta:
        verbose_name = _("SSO domain")
        verbose_name_plural = _("SSO domains")
        ordering = ("domain",)
        constraints = [
            models.UniqueConstraint(fields=["organization", "domain"], name="sso_domain_unique_per_org"),
            # Deliberately global: a verified domain routes logins, so only one organization may hold it.
            models.UniqueConstraint(fields=["domain"], condition=Q(status="verified"), name="sso_domain_verified_once"),
        ]

    def __str__(self) -> str:
        return self.domain

    @property
    def is_verified(self) -> bool:
        return self.status == self.Status.VERIFIED

    @property
    def txt_record(self) -> str:
        return f"charter-verification={self.dns_token}"


class SsoPolicy(OrganizationOwned):
    sso_required = models.BooleanField(
        _("require single sign-on"),
        default=False,
        help_text=_("Members must sign in through one of this organization's SSO connections to open its pages."),
    )
    mfa_required = models.BooleanField(
        _("require two-factor authentication for admins and approvers"),
        default=False,
        help_text=_("Applies to admins and approvers who did not sign in through this organization's SSO."),
    )
    break_glass_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("emergency admin"),
        help_text=_(
            "One admin who may still sign in with a password (and two-factor authentication) when SSO is "
            "required — for when the identity provider is down."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("SSO policy")
        verbose_name_plural = _("SSO policies")
        constraints = [
            models.UniqueConstraint(fields=["organization"], name="sso_policy_one_per_org"),
        ]

    def __str__(self) -> str:
        return f"SSO policy ({self.organization_id})"
