"""django-allauth social-account adapter for per-organization OIDC and SAML connections.

Install with ``SOCIALACCOUNT_ADAPTER = "apps.sso.adapters.SsoSocialAccountAdapter"``.

* ``list_apps`` — only SocialApps backed by an enabled :class:`SsoConnection` are usable for the
  ``openid_connect`` and ``saml`` providers; the decrypted client secret is put on the in-memory app.
* ``pre_social_login`` — runs :func:`apps.sso.services.sso_login` (identity by the IdP's subject, never by
  e-mail; JIT provisioning; membership and roles in the connection's organization only), keeps ``next`` /
  ``RelayState`` to our own paths, and turns a refusal into an error page (nobody is logged in then).
* ``on_authentication_error`` — every failed SSO sign-in is an audit event of the connection's organization.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.providers.base.constants import AuthError
from django.http import HttpRequest
from django.shortcuts import render

from apps.sso import saml_logout, selectors, services
from apps.sso.claims import extract
from apps.sso.crypto import SecretDecryptionError
from apps.sso.socialapps import ALLAUTH_PROVIDER, runtime_settings

MANAGED_PROVIDERS = frozenset(ALLAUTH_PROVIDER.values())


def safe_local_path(url: Any) -> str | None:
    """``url`` if it is a path on this site (``/o/acme/``), else None. No scheme, no host, no ``//``."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    if not url.startswith("/") or url.startswith("//") or any(c in url for c in "\\\r\n\t"):
        return None
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return None
    return url


def refusal_response(request: HttpRequest, message: str, *, status: int = 403) -> Any:
    return render(request, "sso/login_refused.html", {"message": message}, status=status)


class SsoSocialAccountAdapter(DefaultSocialAccountAdapter):
    def list_apps(self, request: HttpRequest, provider: Any = None, client_id: Any = None) -> list[Any]:
        apps = super().list_apps(request, provider=provider, client_id=client_id)
        managed = [a for a in apps if a.provider in MANAGED_PROVIDERS]
        if not managed:
            return apps
        connections = selectors.connections_by_provider_ids([a.provider_id for a in managed if a.provider_id])
        usable = []
        for app in apps:
            if app.provider not in MANAGED_PROVIDERS:
                usable.append(app)
                continue
            connection = connections.get(app.provider_id)
            # Only the SocialApp that the connection's service created, and only while it is enabled.
            if connection is None or not connection.is_enabled or app.pk is None or connection.social_app_id != app.pk:
                continue
            try:
                runtime_settings(app, connection)
            except SecretDecryptionError:
                continue
            usable.append(app)
        return usable

    def list_providers(self, request: HttpRequest) -> list[Any]:
        """allauth's generic provider lists (login page buttons, "connected accounts") must not show the
        organizations' connections: that would list every tenant's IdP to anyone. Sign-ins start from the
        login discovery instead; get_provider / get_app still find the connections."""
        return [p for p in super().list_providers(request) if p.id not in MANAGED_PROVIDERS]

    def is_open_for_signup(self, request: HttpRequest, sociallogin: Any) -> bool:
        if sociallogin.account.provider and selectors.connection_by_provider_id(sociallogin.account.provider):
            # Accounts are provisioned in pre_social_login; reaching allauth's signup means refusal.
            return False
        return super().is_open_for_signup(request, sociallogin)

    def pre_social_login(self, request: HttpRequest, sociallogin: Any) -> None:
        provider_id = sociallogin.account.provider
        connection = selectors.connection_by_provider_id(provider_id)
        if connection is None:
            if sociallogin.provider is not None and sociallogin.provider.id in MANAGED_PROVIDERS:
                raise ImmediateHttpResponse(refusal_response(request, str(services.REFUSALS["connection_disabled"]())))
            return
        state = sociallogin.state
        if "next" in state:
            safe = safe_local_path(state.get("next"))
            if safe is None:
                state.pop("next", None)
            else:
                state["next"] = safe
        process = state.get("process") or "login"
        if process != "login":
            services.login_failed(
                organization=connection.organization,
                connection=connection,
                reason="unsupported_process",
                detail=str(process),
                uid=str(sociallogin.account.uid),
            )
            raise ImmediateHttpResponse(refusal_response(request, str(services.REFUSALS["unsupported_process"]())))
        claims = extract(connection, sociallogin)
        outcome = services.sso_login(
            organization=connection.organization,
            connection=connection,
            sociallogin=sociallogin,
            claims=claims,
            signed_in_user=request.user if request.user.is_authenticated else None,
        )
        if not outcome.ok:
            raise ImmediateHttpResponse(refusal_response(request, outcome.message))
        if connection.is_saml:
            # The NameID and SessionIndex that single logout will name; into the session at post_login.
            state[saml_logout.STATE_KEY] = saml_logout.login_state(sociallogin.provider)

    def on_authentication_error(
        self,
        request: HttpRequest,
        provider: Any,
        error: Any = None,
        exception: Any = None,
        extra_context: Any = None,
    ) -> None:
        app = getattr(provider, "app", None)
        connection = selectors.connection_by_provider_id(getattr(app, "provider_id", "") or "") if app else None
        if connection is not None:
            context = extra_context or {}
            detail = str(context.get("saml_last_error_reason") or "")
            if not detail and exception is not None:
                cause = exception.__cause__ or exception
                detail = f"{type(exception).__name__}: {exception}" + (
                    f" ({type(cause).__name__}: {cause})" if cause is not exception else ""
                )
            reason = str(error or "unknown")
            if context.get("saml_errors"):
                reason = "saml_" + "_".join(str(e) for e in context["saml_errors"])
            elif getattr(getattr(request, "resolver_match", None), "url_name", "") == "saml_finish_acs":
                reason = "saml_unsolicited_or_unknown_request"
            elif "state_id" in context and exception is None:
                reason = "state_mismatch"
            services.login_failed(
                organization=connection.organization, connection=connection, reason=reason, detail=detail
            )
            if error != AuthError.CANCELLED:
                raise ImmediateHttpResponse(
                    render(request, "sso/login_failed.html", {"connection_name": connection.name}, status=401)
                )
        super().on_authentication_error(
            request, provider, error=error, exception=exception, extra_context=extra_context
        )
