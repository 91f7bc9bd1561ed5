from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django_scopes import scopes_disabled

from apps.audit.models import AuditEvent
from apps.organizations.models import Membership


def session_user(client: Any) -> Any:
    user_id = client.session.get("_auth_user_id")
    return get_user_model().objects.get(pk=user_id) if user_id else None


def membership(org: Any, user: Any) -> Membership | None:
    with scopes_disabled():
        return Membership.objects.filter(organization=org, user=user).first()


def events(org: Any, action: str | None = None) -> list[AuditEvent]:
    with scopes_disabled():
        qs = AuditEvent.objects.filter(organization=org).order_by("seq")
        if action:
            qs = qs.filter(action=action)
        return list(qs)


def actions(org: Any) -> list[str]:
    return [e.action for e in events(org)]


def last_failure(org: Any) -> dict[str, Any]:
    failures = events(org, "sso.login.failed")
    assert failures, "no sso.login.failed event"
    return failures[-1].data


def browser() -> Any:
    """A test client that sends a Host header, as browsers do (python3-saml reads it)."""
    from django.test import Client

    return Client(HTTP_HOST="testserver")


def confirm_token(message: Any) -> str:
    """The one-time token in a domain-verification e-mail."""
    import re

    match = re.search(r"/sso/domains/confirm/(\S+)/", str(message.body))
    assert match, message.body
    return match.group(1)
