"""State changes of organizations, memberships and invitations. Each writes its audit event in the
same transaction and validates with full_clean() before saving."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from apps.audit.services import audit_record, diff, snapshot
from apps.core.tenancy import org_scope
from apps.organizations.models import RESERVED_SLUGS, Invitation, Membership, Organization, Role


def _clean_roles(roles: Any) -> list[str]:
    if not isinstance(roles, (list, tuple, set)) or not roles:
        raise ValidationError({"roles": _("Choose at least one role.")}, code="required")
    unknown = [r for r in roles if r not in Role.values]
    if unknown:
        raise ValidationError(
            {"roles": _("Unknown role(s): %(roles)s.") % {"roles": ", ".join(map(str, unknown))}}, code="invalid"
        )
    return [r for r in Role.values if r in roles]


@transaction.atomic
def organization_create(*, actor: Any, name: str, slug: str, description: str = "") -> Organization:
    slug = (slug or "").strip().lower()
    org = Organization(name=(name or "").strip(), slug=slug, description=description or "", created_by=actor)
    if slug in RESERVED_SLUGS:
        raise ValidationError({"slug": _("This address is reserved.")}, code="reserved")
    org.full_clean()
    try:
        with transaction.atomic():
            org.save()
    except IntegrityError as exc:
        raise ValidationError({"slug": _("An organization with this address already exists.")}, code="unique") from exc
    with org_scope(org):
        membership = Membership(organization=org, user=actor)
        membership.set_roles([Role.ADMIN])
        membership.full_clean()
        membership.save()
        audit_record(
            organization=org,
            actor=actor,
            action="organization.created",
            target=org,
            data={"name": org.name, "slug": org.slug},
        )
        audit_record(
            organization=org,
            actor=actor,
            action="membership.created",
            target=membership,
            target_label=actor.email,
            data={"roles": membership.roles},
        )
    return org


@transaction.atomic
def organization_update(*, organization: Organization, actor: Any, name: str, description: str) -> Organization:
    fields = ["name", "description"]
    before = snapshot(organization, fields)
    organization.name = (name or "").strip()
    organization.description = description or ""
    organization.full_clean()
    organization.save(update_fields=fields)
    changes = diff(before, snapshot(organization, fields))
    if changes:
        audit_record(
            organization=organization,
            actor=actor,
            action="organization.updated",
            target=organization,
            data={"changes": changes},
        )
    return organization


def _ensure_admin_remains(organization: Organization, excluding: Membership) -> None:
    others = Membership.objects.filter(organization=organization, is_admin=True).exclude(pk=excluding.pk)
    if not others.exists():
        raise ValidationError(_("An organization must keep at least one admin."), code="last_admin")


@transaction.atomic
def membership_update_roles(
    *, organization: Organization, actor: Any, membership: Membership, roles: Any
) -> Membership:
    clean = _clean_roles(roles)
    membership = Membership.objects.select_for_update().get(pk=membership.pk, organization=organization)
    before = membership.roles
    if Role.ADMIN in before and Role.ADMIN not in clean:
        # lock every admin row so two concurrent demotions can't both pass the check
        list(Membership.objects.select_for_update().filter(organization=organization, is_admin=True))
        _ensure_admin_remains(organization, membership)
    membership.set_roles(clean)
    membership.full_clean()
    membership.save()
    if before != membership.roles:
        audit_record(
            organization=organization,
            actor=actor,
            action="membership.roles_changed",
            target=membership,
            target_label=membership.user.email,
            data={"old": before, "new": membership.roles},
        )
    return membership


@transaction.atomic
def membership_remove(*, organization: Organization, actor: Any, membership: Membership) -> None:
    membership = Membership.objects.select_for_update().get(pk=membership.pk, organization=organization)
    if membership.is_admin:
        list(Membership.objects.select_for_update().filter(organization=organization, is_admin=True))
        _ensure_admin_remains(organization, membership)
    email = membership.user.email
    roles = membership.roles
    audit_record(
        organization=organization,
        actor=actor,
        action="membership.removed",
        target=membership,
        target_label=email,
        data={"roles": roles},
    )
    membership.delete()


@transaction.atomic
def invitation_create(*, organization: Organization, actor: Any, email: str, roles: Any) -> Invitation:
    email = (email or "").strip().lower()
    clean = _clean_roles(roles)
    invitation = Invitation(organization=organization, email=email, roles=clean, invited_by=actor)
    invitation.full_clean()
    if Membership.objects.filter(organization=organization, user__email__iexact=email).exists():
        raise ValidationError({"email": _("This person is already a member.")}, code="already_member")
    if Invitation.objects.filter(
        organization=organization, email__iexact=email, status=Invitation.Status.PENDING, expires_at__gt=timezone.now()
    ).exists():
        raise ValidationError({"email": _("A pending invitation for this address exists.")}, code="duplicate")
    invitation.save()
    audit_record(
        organization=organization,
        actor=actor,
        action="invitation.created",
        target=invitation,
        data={"email": email, "roles": clean},
    )
    from apps.organizations.tasks import send_invitation_email

    org_id, inv_id = organization.pk, invitation.pk
    transaction.on_commit(lambda: send_invitation_email.delay(organization_id=org_id, invitation_id=inv_id))
    return invitation


@transaction.atomic
def invitation_revoke(*, organization: Organization, actor: Any, invitation: Invitation) -> Invitation:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk, organization=organization)
    if invitation.status != Invitation.Status.PENDING:
        raise ValidationError(_("Only a pending invitation can be revoked."), code="not_pending")
    invitation.status = Invitation.Status.REVOKED
    invitation.save(update_fields=["status"])
    audit_record(
        organization=organization,
        actor=actor,
        action="invitation.revoked",
        target=invitation,
        data={"email": invitation.email},
    )
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, user: Any) -> Membership:
    """Single use: the row is locked, must be pending and unexpired, and is marked accepted."""
    with scopes_disabled():
        invitation = Invitation.objects.select_for_update().select_related("organization").filter(token=token).first()
    if invitation is None:
        raise ValidationError(_("This invitation link is not valid."), code="invalid")
    if invitation.status == Invitation.Status.ACCEPTED:
        raise ValidationError(_("This invitation has already been used."), code="used")
    if invitation.status == Invitation.Status.REVOKED:
        raise ValidationError(_("This invitation has been revoked."), code="revoked")
    if invitation.is_expired:
        raise ValidationError(_("This invitation has expired. Ask for a new one."), code="expired")
    if invitation.email.lower() != user.email.lower():
        raise ValidationError(
            _("This invitation was sent to %(email)s; sign in with that address to accept it.")
            % {"email": invitation.email},
            code="wrong_user",
        )
    organization = invitation.organization
    with org_scope(organization):
        membership, created = Membership.objects.get_or_create(organization=organization, user=user)
        before = membership.roles
        membership.set_roles(set(before) | set(invitation.roles))
        membership.save()
        invitation.status = Invitation.Status.ACCEPTED
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["status", "accepted_at", "accepted_by"])
        audit_record(
            organization=organization,
            actor=user,
            action="membership.joined",
            target=membership,
            target_label=user.email,
            data={"roles": membership.roles, "invitation": invitation.pk, "previous_roles": before},
        )
    return membership
