from __future__ import annotations

from typing import Any

from apps.organizations.models import Organization
from apps.sso import services
from apps.sso.models import SsoConnection, SsoDomain
from tests.factories import UserFactory

_counter = {"n": 0}


def _next() -> int:
    _counter["n"] += 1
    return _counter["n"]


def oidc_connection(organization: Organization, *, actor: Any = None, **fields: Any) -> SsoConnection:
    """An OIDC connection made through the service (call inside org_scope)."""
    n = _next()
    data: dict[str, Any] = {
        "name": f"OIDC {n}",
        "key": f"oidc-{n}",
        "oidc_issuer": "http://127.0.0.1:9",
        "oidc_client_id": f"client-{n}",
        "client_secret": "s3cret-value",
        "is_enabled": False,
    }
    data.update(fields)
    return services.connection_create(organization=organization, actor=actor or UserFactory(), protocol="oidc", **data)


def saml_connection(organization: Organization, *, actor: Any = None, certificate: str, **fields: Any) -> SsoConnection:
    n = _next()
    data: dict[str, Any] = {
        "name": f"SAML {n}",
        "key": f"saml-{n}",
        "saml_idp_entity_id": "https://idp.example.com/metadata",
        "saml_idp_sso_url": "https://idp.example.com/sso",
        "saml_idp_certificate": certificate,
        "is_enabled": False,
    }
    data.update(fields)
    return services.connection_create(organization=organization, actor=actor or UserFactory(), protocol="saml", **data)


def verified_domain(organization: Organization, domain: str) -> SsoDomain:
    """A domain marked verified directly (the verification flows have their own tests)."""
    from django.utils import timezone

    obj = SsoDomain.objects.create(organization=organization, domain=domain)
    obj.status = SsoDomain.Status.VERIFIED
    obj.method = SsoDomain.Method.EMAIL
    obj.verified_at = timezone.now()
    obj.save()
    return obj
