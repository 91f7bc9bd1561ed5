"""The organization's sign-in policy (SSO required, MFA for admins and approvers) and allauth's TOTP."""

from __future__ import annotations

import time
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    SECRET_SESSION_KEY,
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.test import Client, RequestFactory
from django.urls import reverse

from apps.core.tenancy import org_scope
from apps.organizations.models import Membership
from apps.sso import services
from apps.sso.policy import check_org_login_policy, org_login_policy_response, password_login_response
from tests.sso.conftest import OidcSetup
from tests.sso.helpers import browser, events, session_user


def current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def policy_for(client: Client, org: Any, user: Any, path: str = "/o/org-a/") -> Any:
    request = RequestFactory().get(path)
    request.user = user
    request.session = client.session
    with org_scope(org):
        membership = Membership.objects.get(user=user)
    return check_org_login_policy(request, org, membership)


def password_client(user: Any) -> Client:
    client = browser()
    assert client.login(email=user.email, password="correct-horse-battery")
    return client


@pytest.fixture
def sso_required_a(oidc_a: OidcSetup, members_a: Any) -> OidcSetup:
    with org_scope(oidc_a.organization):
        services.policy_update(
            organization=oidc_a.organization,
            actor=members_a["admin"],
            sso_required=True,
            mfa_required=False,
            break_glass_user=members_a["admin"],
        )
    return oidc_a


def test_no_policy_means_no_check(org_a: Any, members_a: Any) -> None:
    viewer = members_a["viewer"]
    assert policy_for(password_client(viewer), org_a, viewer) is None


def test_sso_required_refuses_a_password_session(sso_required_a: OidcSetup, members_a: Any) -> None:
    viewer = members_a["viewer"]
    violation = policy_for(password_client(viewer), sso_required_a.organization, viewer, "/o/org-a/members/?q=1")
    assert violation is not None and violation.code == "sso_required"
    assert violation.redirect_url.startswith(reverse("sso:signin", kwargs={"org_slug": "org-a"}))
    assert "next=%2Fo%2Forg-a%2Fmembers%2F%3Fq%3D1" in violation.redirect_url


def test_sso_required_accepts_a_session_through_the_orgs_idp(client: Client, sso_required_a: OidcSetup) -> None:
    sso_required_a.login(client, sub="sid", email="sid@a-corp.test")
    user = session_user(client)
    assert policy_for(client, sso_required_a.organization, user) is None


def test_sso_through_another_organizations_idp_does_not_count(
    sso_required_a: OidcSetup, oidc_b: OidcSetup, members_a: Any
) -> None:
    """A member of A and B who came in through B's IdP must still pass A's IdP to enter A."""
    client = browser()
    oidc_b.login(client, sub="tia", email="tia@b-corp.test")
    tia = session_user(client)
    with org_scope(sso_required_a.organization):
        m = Membership(organization=sso_required_a.organization, user=tia)
        m.set_roles(["viewer"])
        m.save()
    violation = policy_for(client, sso_required_a.organization, tia)
    assert violation is not None and violation.code == "sso_required"


def test_emergency_admin_needs_totp_and_each_session_is_audited(sso_required_a: OidcSetup, members_a: Any) -> None:
    admin = members_a["admin"]
    client = password_client(admin)
    violation = policy_for(client, sso_required_a.organization, admin)
    assert violation is not None and violation.code == "mfa_required"
    assert violation.redirect_url.startswith(reverse("mfa_activate_totp"))
    TOTP.activate(admin, generate_totp_secret())
    request = RequestFactory().get("/o/org-a/")
    request.user = admin
    request.session = client.session
    with org_scope(sso_required_a.organization):
        membership = Membership.objects.get(user=admin)
    for _ in range(2):
        assert check_org_login_policy(request, sso_required_a.organization, membership) is None
    assert len(events(sso_required_a.organization, "sso.break_glass.used")) == 1


def test_mfa_required_for_admins_and_approvers_without_sso(org_a: Any, members_a: Any) -> None:
    with org_scope(org_a):
        services.policy_update(organization=org_a, actor=members_a["admin"], sso_required=False, mfa_required=True)
    for role in ("admin", "approver"):
        user = members_a[role]
        violation = policy_for(password_client(user), org_a, user)
        assert violation is not None and violation.code == "mfa_required", role
    for role in ("contributor", "auditor", "viewer"):
        user = members_a[role]
        assert policy_for(password_client(user), org_a, user) is None, role
    approver = members_a["approver"]
    TOTP.activate(approver, generate_totp_secret())
    assert policy_for(password_client(approver), org_a, approver) is None


def test_mfa_requirement_does_not_apply_to_sso_sessions(client: Client, oidc_a: OidcSetup, members_a: Any) -> None:
    with org_scope(oidc_a.organization):
        services.policy_update(
            organization=oidc_a.organization, actor=members_a["admin"], sso_required=False, mfa_required=True
        )
    oidc_a.login(client, sub="uma", email="uma@a-corp.test", groups=["charter-approvers"])
    assert policy_for(client, oidc_a.organization, session_user(client)) is None


def test_policy_response_redirects_with_a_message(org_a: Any, members_a: Any) -> None:
    from django.contrib.messages.storage.fallback import FallbackStorage

    with org_scope(org_a):
        services.policy_update(organization=org_a, actor=members_a["admin"], sso_required=False, mfa_required=True)
    approver = members_a["approver"]
    client = password_client(approver)
    request = RequestFactory().get("/o/org-a/", HTTP_HX_REQUEST="true")
    request.user = approver
    request.session = client.session
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    with org_scope(org_a):
        membership = Membership.objects.get(user=approver)
    response = org_login_policy_response(request, org_a, membership)
    assert response is not None and response.status_code == 302
    assert response["HX-Redirect"] == response["Location"]
    assert "two-factor" in str(list(request._messages)[0])  # type: ignore[attr-defined]


def test_password_login_refused_when_every_org_requires_sso(
    sso_required_a: OidcSetup, members_a: Any, org_b: Any
) -> None:
    from django.contrib.sessions.backends.db import SessionStore

    viewer = members_a["viewer"]
    request = RequestFactory().post("/accounts/login/")
    request.session = SessionStore()
    response = password_login_response(request, viewer, signal_kwargs={})
    assert response is not None and response.status_code == 403
    assert "Organization A" in response.content.decode()
    assert events(sso_required_a.organization, "sso.password_login.blocked")
    # the emergency admin may; so may someone who also belongs to an organization without the rule
    assert password_login_response(request, members_a["admin"], signal_kwargs={}) is None
    with org_scope(org_b):
        Membership.objects.create(organization=org_b, user=viewer, is_viewer=True)
    assert password_login_response(request, viewer, signal_kwargs={}) is None
    # SSO sign-ins pass through
    assert password_login_response(request, members_a["contributor"], signal_kwargs={"sociallogin": object()}) is None


def test_local_account_sets_up_totp_and_then_must_use_it(members_a: Any) -> None:
    """allauth's MFA for local accounts, end to end: activate TOTP, sign out, sign in with password + code."""
    user = members_a["contributor"]
    client = browser()
    response = client.post(reverse("account_login"), {"login": user.email, "password": "correct-horse-battery"})
    assert response.status_code == 302 and session_user(client) == user
    assert client.get(reverse("mfa_activate_totp"))["Location"].startswith(reverse("account_reauthenticate"))
    assert client.post(reverse("account_reauthenticate"), {"password": "correct-horse-battery"}).status_code == 302
    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    response = client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()

    fresh = browser()
    response = fresh.post(reverse("account_login"), {"login": user.email, "password": "correct-horse-battery"})
    assert response.status_code == 302 and response["Location"] == reverse("mfa_authenticate")
    assert session_user(fresh) is None  # the password alone is not enough
    response = fresh.post(
        reverse("mfa_authenticate"), {"code": "000000" if current_code(secret) != "000000" else "111111"}
    )
    assert session_user(fresh) is None
    response = fresh.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    assert response.status_code == 302
    assert session_user(fresh) == user
