"""Login and failed-login audit events (authentication is infrastructure, so Django's auth signals
are the right hook here; business changes are audited by services)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver
from django_scopes import scopes_disabled

from apps.audit.services import audit_record


def _orgs_of(user: Any) -> list[Any]:
    from apps.organizations.models import Membership

    with scopes_disabled():
        return [m.organization for m in Membership.objects.filter(user=user).select_related("organization")]


@receiver(user_logged_in)
def audit_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    method = "sso" if kwargs.get("sociallogin") else "password"
    for org in _orgs_of(user):
        audit_record(organization=org, actor=user, action="auth.login", target=user, data={"method": method})


@receiver(user_login_failed)
def audit_login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    email = str(credentials.get("email") or credentials.get("username") or "")[:254].lower()
    user = get_user_model().objects.filter(email__iexact=email).first() if email else None
    orgs = _orgs_of(user) if user is not None else []
    for org in orgs or [None]:
        audit_record(
            organization=org, actor=None, action="auth.login_failed", target_label=email, data={"email": email}
        )
