from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django_scopes import scopes_disabled

from apps.organizations.models import Invitation, Membership, Organization


def membership_for(*, user: Any, org_slug: str) -> tuple[Organization, Membership] | None:
    """The organization named in the URL and the user's membership in it, or None (→ 404)."""
    if not user.is_authenticated or not org_slug:
        return None
    from apps.sso.policy import active_policy_exists  # the organization's SSO/MFA policy, same query

    with scopes_disabled():
        membership = (
            Membership.objects.select_related("organization")
            .annotate(login_policy_active=active_policy_exists())
            .filter(user=user, organization__slug=org_slug)
            .first()
        )
    if membership is None:
        return None
    return membership.organization, membership


def organizations_for_user(*, user: Any) -> QuerySet[Organization]:
    """The organizations a user belongs to (the 'my organizations' list and the switcher)."""
    with scopes_disabled():
        org_ids = list(Membership.objects.filter(user=user).values_list("organization_id", flat=True))
    return Organization.objects.filter(pk__in=org_ids).order_by("name")


def organization_members(*, organization: Organization) -> QuerySet[Membership]:
    return Membership.objects.filter(organization=organization).select_related("user").order_by("user__email")


def organization_invitations(*, organization: Organization) -> QuerySet[Invitation]:
    return Invitation.objects.filter(organization=organization).select_related("invited_by")


def admin_count(*, organization: Organization) -> int:
    return Membership.objects.filter(organization=organization, is_admin=True).count()


def invitation_by_token(*, token: str) -> Invitation | None:
    with scopes_disabled():
        return Invitation.objects.select_related("organization").filter(token=token).first()
