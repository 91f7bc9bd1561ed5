from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    """Local accounts. Self sign-up is open only to people holding an invitation or when
    ``ACCOUNT_ALLOW_SIGNUP`` is on (the default for the local run)."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        from django.conf import settings

        return bool(getattr(settings, "ACCOUNT_ALLOW_SIGNUP", True)) or bool(request.session.get("invitation_token"))

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        token = request.session.get("invitation_token")
        if token:
            from django.urls import reverse

            return reverse("invitation_accept", kwargs={"token": token})
        return str(super().get_login_redirect_url(request))

    def pre_login(self, request: HttpRequest, user: Any, **kwargs: Any) -> Any:
        """A person all of whose organizations require SSO can't sign in with a password (their
        organizations' emergency admins excepted); SSO logins pass."""
        from apps.sso.policy import password_login_response

        blocked = password_login_response(request, user, signal_kwargs=kwargs.get("signal_kwargs"))
        if blocked is not None:
            return blocked
        return super().pre_login(request, user, **kwargs)

    def post_login(self, request: HttpRequest, user: Any, **kwargs: Any) -> Any:
        """A SAML sign-in keeps its NameID and SessionIndex in the session, for single logout."""
        from apps.sso.saml_logout import remember_saml_session

        remember_saml_session(request, user, signal_kwargs=kwargs.get("signal_kwargs"))
        return super().post_login(request, user, **kwargs)

    def get_logout_redirect_url(self, request: HttpRequest) -> str:
        """allauth's LogoutView asks before ending the session: a session that came through a SAML connection
        with single logout goes on to the identity provider with a LogoutRequest."""
        from apps.sso.saml_logout import sp_logout_redirect_url

        return sp_logout_redirect_url(request) or str(super().get_logout_redirect_url(request))

    def logout(self, request: HttpRequest) -> None:
        from apps.sso.saml_logout import sp_logout_finished

        user = request.user
        super().logout(request)
        sp_logout_finished(request, user)
