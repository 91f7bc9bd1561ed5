"""An identity provider of organization A can never grant anything in organization B."""

from __future__ import annotations

from typing import Any

import pytest
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test import Client
from django_scopes import scopes_disabled

from apps.core.tenancy import org_scope
from apps.organizations.models import Membership
from apps.sso import services
from apps.sso.claims import IdentityClaims
from apps.sso.models import SsoDomain
from tests.factories import UserFactory
from tests.sso.conftest import OidcSetup
from tests.sso.factories import verified_domain
from tests.sso.helpers import browser, last_failure, membership, session_user

User = get_user_model()


def test_groups_named_like_another_orgs_mapping_grant_nothing_there(
    client: Client, oidc_a: OidcSetup, oidc_b: OidcSetup
) -> None:
    # B maps "charter-admins" to admin. A's IdP asserts that group: only A's mapping applies.
    oidc_a.login(client, sub="zoe", email="zoe@a-corp.test", groups=["charter-admins"])
    zoe = session_user(client)
    assert membership(oidc_a.organization, zoe) is not None
    assert membership(oidc_b.organization, zoe) is None
    with scopes_disabled():
        assert not Membership.objects.filter(organization=oidc_b.organization, user=zoe).exists()


def test_same_subject_at_two_idps_is_two_identities(oidc_a: OidcSetup, oidc_b: OidcSetup) -> None:
    first, second = browser(), browser()
    oidc_a.login(first, sub="shared-sub", email="amy@a-corp.test")
    oidc_b.login(second, sub="shared-sub", email="amy@b-corp.test")
    a_user, b_user = session_user(first), session_user(second)
    assert a_user != b_user
    assert SocialAccount.objects.filter(uid="shared-sub").count() == 2
    assert membership(oidc_b.organization, a_user) is None
    assert membership(oidc_a.organization, b_user) is None


def test_b_idp_cannot_claim_a_users_email(client: Client, oidc_a: OidcSetup, oidc_b: OidcSetup) -> None:
    oidc_a.login(browser(), sub="ben", email="ben@a-corp.test", groups=["charter-admins"])
    ben = User.objects.get(email="ben@a-corp.test")
    # B's IdP (controlled by B's admins) asserts Ben's address, verified, with B's admin group
    response = oidc_b.login(
        client,
        sub="ben-at-b",
        email="ben@a-corp.test",
        groups=["charter-admins"],
        claims={"email_verified": True},
        discovery_email="anyone@b-corp.test",
    )
    assert response.status_code == 403
    assert session_user(client) is None
    assert membership(oidc_b.organization, ben) is None
    assert not SocialAccount.objects.filter(uid="ben-at-b").exists()
    assert last_failure(oidc_b.organization)["reason"] == "email_domain_not_verified"


def test_b_idp_with_a_users_subject_does_not_reach_the_a_account(oidc_a: OidcSetup, oidc_b: OidcSetup) -> None:
    oidc_a.login(browser(), sub="cleo-sub", email="cleo@a-corp.test")
    cleo = User.objects.get(email="cleo@a-corp.test")
    attacker = browser()
    oidc_b.login(attacker, sub="cleo-sub", email="not-cleo@b-corp.test")
    assert session_user(attacker) != cleo
    assert membership(oidc_b.organization, cleo) is None


def test_the_login_service_refuses_a_connection_of_another_organization(
    org_a: Any, org_b: Any, oidc_b: OidcSetup
) -> None:
    class FakeLogin:
        is_existing = False

    with pytest.raises(PermissionError):
        services.sso_login(
            organization=org_a,
            connection=oidc_b.connection,
            sociallogin=FakeLogin(),
            claims=IdentityClaims(uid="x", email="x@a-corp.test"),
        )


def test_a_domain_verified_by_one_organization_cannot_be_added_by_another(org_a: Any, org_b: Any) -> None:
    with org_scope(org_a):
        verified_domain(org_a, "contested.test")
    with org_scope(org_b), pytest.raises(ValidationError) as exc:
        services.domain_add(organization=org_b, actor=UserFactory(), domain="CONTESTED.test.")
    assert "Another organization" in exc.value.messages[0]
    with scopes_disabled():
        assert not SsoDomain.objects.filter(organization=org_b).exists()
