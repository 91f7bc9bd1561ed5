"""Reads shared by the SSO pages, the API, the login discovery and the policy checks."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django_scopes import scopes_disabled

from apps.organizations.models import Organization
from apps.sso.domains import email_domain
from apps.sso.models import SsoConnection, SsoDomain, SsoPolicy


def connections(*, organization: Organization) -> QuerySet[SsoConnection]:
    return SsoConnection.objects.filter(organization=organization).order_by("name", "pk")


def domains(*, organization: Organization) -> QuerySet[SsoDomain]:
    return SsoDomain.objects.filter(organization=organization).order_by("domain")


def policy(*, organization: Organization) -> SsoPolicy:
    """The organization's policy (an unsaved default when none was stored)."""
    found = SsoPolicy.objects.filter(organization=organization).select_related("break_glass_user").first()
    return found or SsoPolicy(organization=organization)


def connection_by_provider_id(provider_id: str) -> SsoConnection | None:
    """Which connection an allauth provider id belongs to. Cross-organization by nature: allauth's
    callbacks carry no organization; the connection itself then names it."""
    if not provider_id:
        return None
    with scopes_disabled():
        return SsoConnection.objects.select_related("organization").filter(provider_id=provider_id).first()


def connections_by_provider_ids(provider_ids: list[str]) -> dict[str, SsoConnection]:
    with scopes_disabled():  # see connection_by_provider_id
        rows = SsoConnection.objects.select_related("organization").filter(provider_id__in=provider_ids)
        return {c.provider_id: c for c in rows}


def connections_for_email(email: str) -> tuple[Organization | None, list[SsoConnection]]:
    """The organization that verified the e-mail's domain, and its enabled connections."""
    domain = email_domain(email)
    if not domain:
        return None, []
    with scopes_disabled():  # login discovery: no organization yet, only a verified domain
        verified = (
            SsoDomain.objects.select_related("organization")
            .filter(domain=domain, status=SsoDomain.Status.VERIFIED)
            .first()
        )
        if verified is None:
            return None, []
        found = list(
            SsoConnection.objects.filter(organization=verified.organization, is_enabled=True)
            .exclude(social_app=None)
            .order_by("name", "pk")
        )
    return verified.organization, found


def enabled_provider_ids(*, organization: Organization) -> set[str]:
    return set(
        SsoConnection.objects.filter(organization=organization, is_enabled=True).values_list("provider_id", flat=True)
    )


def enabled_connections(*, organization: Organization) -> list[SsoConnection]:
    return list(SsoConnection.objects.filter(organization=organization, is_enabled=True).exclude(social_app=None))


def user_identities(*, user: Any) -> QuerySet[Any]:
    from allauth.socialaccount.models import SocialAccount

    return SocialAccount.objects.filter(user=user)
