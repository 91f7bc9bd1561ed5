"""Demo content: a verified e-mail domain and a disabled example OIDC connection per organization
(enable it after pointing it at a real identity provider — see docs/sso.md)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from apps.audit.services import audit_record
from apps.sso import services
from apps.sso.models import SsoConnection, SsoDomain


def seed_demo(*, organization: Any, members: dict[str, Any]) -> None:
    if organization is None:
        return
    admin = members.get("admin")
    domain_name = f"{organization.slug}.example"
    if not SsoDomain.objects.filter(organization=organization, domain=domain_name).exists():
        domain = services.domain_add(organization=organization, actor=admin, domain=domain_name)
        # Demo only: reserved .example domains cannot be proven by DNS or e-mail.
        domain.status = SsoDomain.Status.VERIFIED
        domain.method = SsoDomain.Method.DNS
        domain.verified_at = timezone.now()
        domain.save()
        audit_record(
            organization=organization,
            actor=None,
            action="sso.domain.verified",
            target=domain,
            data={"domain": domain_name, "method": "seed"},
        )
    if not SsoConnection.objects.filter(organization=organization, key="keycloak").exists():
        services.connection_create(
            organization=organization,
            actor=admin,
            protocol="oidc",
            name="Example Keycloak",
            key="keycloak",
            oidc_issuer=f"https://login.{organization.slug}.example/realms/{organization.slug}",
            oidc_client_id="charter",
            oidc_scopes="openid email profile",
            is_enabled=False,
            default_role="viewer",
            groups_claim="groups",
            group_role_map=[
                {"group": "charter-admins", "role": "admin"},
                {"group": "charter-approvers", "role": "approver"},
                {"group": "charter-contributors", "role": "contributor"},
            ],
        )
