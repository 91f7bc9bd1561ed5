from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import ApiToken, hash_token
from apps.audit.services import audit_record
from apps.organizations.models import Membership, Organization


@transaction.atomic
def api_token_create(
    *, organization: Organization, actor: Any, name: str, expires_in_days: int | None = None
) -> tuple[ApiToken, str]:
    """Create a token for ``actor`` in ``organization``. Returns the row and the raw key (shown once)."""
    if not Membership.objects.filter(organization=organization, user=actor).exists():
        raise ValidationError(_("Only members of the organization can hold its tokens."), code="not_member")
    if expires_in_days is not None and not 1 <= expires_in_days <= 3650:
        raise ValidationError({"expires_in_days": _("Choose between 1 and 3650 days.")}, code="invalid")
    raw = ApiToken.generate()
    token = ApiToken(
        organization=organization,
        user=actor,
        name=(name or "").strip(),
        key_prefix=raw[:10],
        key_hash=hash_token(raw),
        expires_at=timezone.now() + timedelta(days=expires_in_days) if expires_in_days else None,
    )
    token.full_clean()
    token.save()
    audit_record(
        organization=organization,
        actor=actor,
        action="api_token.created",
        target=token,
        data={"name": token.name, "expires_at": token.expires_at},
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, organization: Organization, actor: Any, token: ApiToken) -> ApiToken:
    token = ApiToken.objects.select_for_update().get(pk=token.pk, organization=organization)
    if (
        token.user_id != actor.pk
        and not Membership.objects.filter(organization=organization, user=actor, is_admin=True).exists()
    ):
        raise ValidationError(_("You can only revoke your own tokens."), code="forbidden")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            organization=organization,
            actor=actor,
            action="api_token.revoked",
            target=token,
            data={"owner": token.user.email},
        )
    return token
