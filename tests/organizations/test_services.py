from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_scopes import scopes_disabled

from apps.audit.models import AuditEvent
from apps.core.tenancy import org_scope
from apps.organizations.models import Invitation, Membership
from apps.organizations.services import (
    invitation_accept,
    invitation_create,
    invitation_revoke,
    membership_remove,
    membership_update_roles,
    organization_create,
)
from tests.factories import UserFactory


def actions(org: Any) -> list[str]:
    with scopes_disabled():
        return list(AuditEvent.objects.filter(organization=org).order_by("seq").values_list("action", flat=True))


def test_creator_becomes_admin_and_it_is_audited(db: Any) -> None:
    user = UserFactory()
    org = organization_create(actor=user, name="Acme", slug="acme")
    with org_scope(org):
        m = Membership.objects.get(user=user)
    assert m.roles == ["admin"]
    assert actions(org) == ["organization.created", "membership.created"]


@pytest.mark.parametrize("slug", ["", "with space", "-dash", "dash-", "a" * 51, "new", "api", "ü"])
def test_bad_slugs_are_refused(db: Any, slug: str) -> None:
    with pytest.raises(ValidationError) as exc:
        organization_create(actor=UserFactory(), name="X", slug=slug)
    assert "slug" in exc.value.message_dict


def test_duplicate_slug_is_a_field_error(db: Any) -> None:
    organization_create(actor=UserFactory(), name="A", slug="same")
    with pytest.raises(ValidationError) as exc:
        organization_create(actor=UserFactory(), name="B", slug="same")
    assert "slug" in exc.value.message_dict


def test_last_admin_can_be_neither_demoted_nor_removed(org_a: Any, members_a: Any) -> None:
    with org_scope(org_a):
        admin = Membership.objects.get(user=members_a["admin"])
        with pytest.raises(ValidationError, match="at least one admin"):
            membership_update_roles(organization=org_a, actor=members_a["admin"], membership=admin, roles=["viewer"])
        with pytest.raises(ValidationError, match="at least one admin"):
            membership_remove(organization=org_a, actor=members_a["admin"], membership=admin)
        # with a second admin, the first can step down
        other = Membership.objects.get(user=members_a["contributor"])
        membership_update_roles(
            organization=org_a, actor=members_a["admin"], membership=other, roles=["admin", "contributor"]
        )
        membership_update_roles(organization=org_a, actor=members_a["admin"], membership=admin, roles=["viewer"])
        admin.refresh_from_db()
        assert admin.roles == ["viewer"]
    assert actions(org_a).count("membership.roles_changed") == 2


@pytest.mark.parametrize("roles", [[], ["superuser"], "admin", None])
def test_bad_roles_are_refused(org_a: Any, members_a: Any, roles: Any) -> None:
    with org_scope(org_a):
        m = Membership.objects.get(user=members_a["viewer"])
        with pytest.raises(ValidationError):
            membership_update_roles(organization=org_a, actor=members_a["admin"], membership=m, roles=roles)
        m.refresh_from_db()
        assert m.roles == ["viewer"]


def test_invitation_round_trip(org_a: Any, members_a: Any, django_capture_on_commit_callbacks: Any) -> None:
    with org_scope(org_a), django_capture_on_commit_callbacks(execute=True):
        inv = invitation_create(organization=org_a, actor=members_a["admin"], email="New@X.test", roles=["approver"])
    assert inv.email == "new@x.test"
    assert len(mail.outbox) == 1 and inv.token in mail.outbox[0].body
    newcomer = UserFactory(email="new@x.test")
    membership = invitation_accept(token=inv.token, user=newcomer)
    assert membership.roles == ["approver"]
    assert "membership.joined" in actions(org_a)
    # single use
    with pytest.raises(ValidationError, match="already been used"):
        invitation_accept(token=inv.token, user=newcomer)


def test_expired_revoked_wrong_user_and_unknown_invitations(org_a: Any, members_a: Any) -> None:
    with org_scope(org_a):
        inv = invitation_create(organization=org_a, actor=members_a["admin"], email="late@x.test", roles=["viewer"])
        Invitation.objects.filter(pk=inv.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    late = UserFactory(email="late@x.test")
    with pytest.raises(ValidationError, match="expired"):
        invitation_accept(token=inv.token, user=late)
    with org_scope(org_a):
        inv2 = invitation_create(organization=org_a, actor=members_a["admin"], email="other@x.test", roles=["viewer"])
    with pytest.raises(ValidationError, match="was sent to"):
        invitation_accept(token=inv2.token, user=late)
    with org_scope(org_a):
        invitation_revoke(organization=org_a, actor=members_a["admin"], invitation=inv2)
    with pytest.raises(ValidationError, match="revoked"):
        invitation_accept(token=inv2.token, user=UserFactory(email="other@x.test"))
    with pytest.raises(ValidationError, match="not valid"):
        invitation_accept(token="nope", user=late)
    with org_scope(org_a):
        assert not Membership.objects.filter(user=late).exists()


def test_duplicate_and_member_invitations_are_refused(org_a: Any, members_a: Any) -> None:
    with org_scope(org_a):
        invitation_create(organization=org_a, actor=members_a["admin"], email="dup@x.test", roles=["viewer"])
        with pytest.raises(ValidationError, match="pending invitation"):
            invitation_create(organization=org_a, actor=members_a["admin"], email="DUP@x.test", roles=["viewer"])
        with pytest.raises(ValidationError, match="already a member"):
            invitation_create(
                organization=org_a, actor=members_a["admin"], email=members_a["viewer"].email, roles=["viewer"]
            )
        with pytest.raises(ValidationError):
            invitation_create(organization=org_a, actor=members_a["admin"], email="not-an-email", roles=["viewer"])
