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
