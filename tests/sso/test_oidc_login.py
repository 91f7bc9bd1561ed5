"""Sign-in through a real OpenID Connect provider (node oidc-provider on loopback): JIT provisioning,
group → role mapping, and the safety rules, each attacked the way a broken or hostile party would."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

from allauth.socialaccount.models import SocialAccount, SocialApp
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled

from apps.core.tenancy import org_scope
from apps.organizations.models import Membership
from apps.sso import services
from apps.sso.crypto import decrypt_secret
from apps.sso.models import SsoConnection
from tests.factories import UserFactory
from tests.sso.conftest import OidcSetup, callback_path, make_oidc_connection
from tests.sso.helpers import actions, browser, events, last_failure, membership, session_user

User = get_user_model()


def test_first_login_provisions_user_and_membership(client: Client, oidc_a: OidcSetup) -> None:
    response = oidc_a.login(client, sub="alice-sub", email="Alice@A-Corp.test", next_url="/o/org-a/")
    assert response.status_code == 302, response.content[:1000]
    assert response["Location"] == "/o/org-a/"
    user = session_user(client)
    assert user is not None and user.email == "alice@a-corp.test"
    assert user.full_name == "User alice-sub"
    assert not user.has_usable_password()
    assert SocialAccount.objects.filter(user=user, provider=oidc_a.connection.provider_id, uid="alice-sub").exists()
    m = membership(oidc_a.organization, user)
    assert m is not None and m.roles == ["viewer"]
    assert {"sso.user.provisioned", "sso.membership.created", "sso.login.succeeded"} <= set(
        actions(oidc_a.organization)
    )
    # the session records the SSO sign-in (the policy checks rely on it)
    records = client.session["account_authentication_methods"]
    assert records[-1]["method"] == "socialaccount" and records[-1]["provider"] == oidc_a.connection.provider_id


def test_authorization_request_uses_pkce_and_login_hint(client: Client, oidc_a: OidcSetup) -> None:
    query = parse_qs(urlsplit(oidc_a.start(client, "bob@a-corp.test")).query)
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"][0]
    assert query["login_hint"] == ["bob@a-corp.test"]
    assert set(query["scope"][0].split()) == {"openid", "email", "profile", "groups"}


def test_group_mapping_at_first_login_and_reapplied_at_each_login(
    client: Client, oidc_a: OidcSetup, members_a: Any
) -> None:
    oidc_a.login(client, sub="carol", email="carol@a-corp.test", groups=["charter-admins", "staff"])
    user = session_user(client)
    assert membership(oidc_a.organization, user).roles == ["admin", "viewer"]  # type: ignore[union-attr]

    # the IdP moves Carol from admins to approvers: the next sign-in follows
    second = browser()
    response = oidc_a.login(second, sub="carol", email="carol@a-corp.test", groups=["charter-approvers"])
    assert response.status_code == 302
    assert session_user(second) == user
    assert membership(oidc_a.organization, user).roles == ["approver", "viewer"]  # type: ignore[union-attr]
    updated = events(oidc_a.organization, "sso.membership.roles_updated")[-1]
    assert updated.data["changes"]["roles"] == {"old": ["admin", "viewer"], "new": ["approver", "viewer"]}
    assert User.objects.filter(email="carol@a-corp.test").count() == 1


def test_no_group_mapping_leaves_manual_roles_alone(client: Client, org_a: Any, oidc_provider: Any) -> None:
    setup = OidcSetup(
        make_oidc_connection(org_a, oidc_provider, key="plain", domain="plain.test"), oidc_provider, org_a
    )
    setup.login(client, sub="dave", email="dave@plain.test")
    user = session_user(client)
    with org_scope(org_a):
        m = Membership.objects.get(user=user)
        m.set_roles(["contributor"])
        m.save()
    setup.login(browser(), sub="dave", email="dave@plain.test")
    assert membership(org_a, user).roles == ["contributor"]  # type: ignore[union-attr]


def test_losing_every_mapped_group_removes_the_membership(client: Client, org_a: Any, oidc_provider: Any) -> None:
    connection = make_oidc_connection(
        org_a,
        oidc_provider,
        key="strict",
        domain="strict.test",
        default_role="",
        group_role_map=[{"group": "charter-users", "role": "contributor"}],
    )
    setup = OidcSetup(connection, oidc_provider, org_a)
    # without a mapped group nobody gets in, and no account is created
    response = setup.login(client, sub="erin", email="erin@strict.test", groups=["other"])
    assert response.status_code == 403 and session_user(client) is None
    assert not User.objects.filter(email="erin@strict.test").exists()
    assert last_failure(org_a)["reason"] == "no_role"

    setup.login(client, sub="erin", email="erin@strict.test", groups=["charter-users"])
    user = session_user(client)
    assert membership(org_a, user).roles == ["contributor"]  # type: ignore[union-attr]

    other = browser()
    response = setup.login(other, sub="erin", email="erin@strict.test", groups=[])
    assert response.status_code == 403 and session_user(other) is None
    assert membership(org_a, user) is None
    assert "sso.membership.removed" in actions(org_a)


def test_the_last_admin_keeps_admin_when_the_idp_drops_the_group(
    client: Client, org_a: Any, oidc_provider: Any
) -> None:
    connection = make_oidc_connection(
        org_a,
        oidc_provider,
        key="lastadmin",
        domain="lastadmin.test",
        group_role_map=[{"group": "charter-admins", "role": "admin"}],
    )
    setup = OidcSetup(connection, oidc_provider, org_a)
    setup.login(client, sub="frank", email="frank@lastadmin.test", groups=["charter-admins"])
    frank = session_user(client)
    with org_scope(org_a):  # Frank is the only admin of org A
        Membership.objects.exclude(user=frank).filter(is_admin=True).delete()
    setup.login(browser(), sub="frank", email="frank@lastadmin.test", groups=[])
    assert membership(org_a, frank).roles == ["admin", "viewer"]  # type: ignore[union-attr]


def test_idp_user_with_the_email_of_an_existing_local_account_is_not_merged(client: Client, oidc_a: OidcSetup) -> None:
    local = UserFactory(email="grace@a-corp.test")
    response = oidc_a.login(client, sub="attacker", email="grace@a-corp.test", claims={"email_verified": True})
    assert response.status_code == 403
    assert "already exists" in response.content.decode()
    assert session_user(client) is None
    assert not SocialAccount.objects.filter(user=local).exists()
    assert not SocialAccount.objects.filter(uid="attacker").exists()
    assert membership(oidc_a.organization, local) is None
    failure = last_failure(oidc_a.organization)
    assert failure["reason"] == "email_conflict" and failure["uid"] == "attacker"


def test_a_signed_in_local_user_links_the_identity_with_the_same_email(client: Client, oidc_a: OidcSetup) -> None:
    local: Any = UserFactory(email="heidi@a-corp.test")
    assert client.login(email="heidi@a-corp.test", password="correct-horse-battery")
    response = oidc_a.login(client, sub="heidi-sub", email="heidi@a-corp.test")
    assert response.status_code == 302
    assert session_user(client) == local
    assert SocialAccount.objects.get(provider=oidc_a.connection.provider_id, uid="heidi-sub").user == local
    assert "sso.identity.linked" in actions(oidc_a.organization)
    assert local.has_usable_password()


def test_signed_in_as_someone_else_does_not_link(client: Client, oidc_a: OidcSetup) -> None:
    UserFactory(email="ivan@a-corp.test")
    other: Any = UserFactory(email="judy@elsewhere.test")
    client.force_login(other)
    response = oidc_a.login(client, sub="ivan-sub", email="ivan@a-corp.test")
    assert response.status_code == 403
    assert not SocialAccount.objects.filter(uid="ivan-sub").exists()


def test_email_outside_the_organizations_verified_domains_is_not_provisioned(client: Client, oidc_a: OidcSetup) -> None:
    response = oidc_a.login(client, sub="mallory", email="mallory@gmail.test", discovery_email="mallory@a-corp.test")
    assert response.status_code == 403
    assert not User.objects.filter(email="mallory@gmail.test").exists()
    assert last_failure(oidc_a.organization)["reason"] == "email_domain_not_verified"


def test_without_jit_unknown_identities_are_refused(client: Client, org_a: Any, oidc_provider: Any) -> None:
    setup = OidcSetup(
        make_oidc_connection(org_a, oidc_provider, key="nojit", domain="nojit.test", jit_provisioning=False),
        oidc_provider,
        org_a,
    )
    response = setup.login(client, sub="ken", email="ken@nojit.test")
    assert response.status_code == 403
    assert not User.objects.filter(email="ken@nojit.test").exists()
    assert last_failure(org_a)["reason"] == "not_provisioned"


def test_id_token_for_another_audience_is_rejected(client: Client, oidc_a: OidcSetup) -> None:
    response = oidc_a.login(client, sub="liam", email="liam@a-corp.test", faults={"id_token": {"aud": "other-client"}})
    assert response.status_code == 401
    assert "could not be completed" in response.content.decode()
    assert session_user(client) is None
    assert not User.objects.filter(email="liam@a-corp.test").exists()
    failure = last_failure(oidc_a.organization)
    assert "Invalid id_token" in failure["detail"] and "InvalidAudience" in failure["detail"]


def test_id_token_from_another_issuer_is_rejected(client: Client, oidc_a: OidcSetup) -> None:
    response = oidc_a.login(
        client, sub="mia", email="mia@a-corp.test", faults={"id_token": {"iss": "http://127.0.0.1:1/evil"}}
    )
    assert response.status_code == 401
    assert not User.objects.filter(email="mia@a-corp.test").exists()
    assert "InvalidIssuer" in last_failure(oidc_a.organization)["detail"]


def test_expired_id_token_is_rejected(client: Client, oidc_a: OidcSetup) -> None:
    response = oidc_a.login(client, sub="nina", email="nina@a-corp.test", faults={"id_token": {"exp_offset": -3600}})
    assert response.status_code == 401
    assert not User.objects.filter(email="nina@a-corp.test").exists()


def test_next_only_to_our_own_paths(oidc_a: OidcSetup) -> None:
    for i, target in enumerate(
        ["https://evil.example/phish", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"]
    ):
        client = browser()
        response = oidc_a.login(client, sub=f"olga-{i}", email=f"olga{i}@a-corp.test", next_url=target)
        assert response.status_code == 302, target
        assert response["Location"] == reverse("home"), (target, response["Location"])
    client = browser()
    response = oidc_a.login(client, sub="olga-ok", email="olga-ok@a-corp.test", next_url="/o/org-a/sso/?x=1")
    assert response["Location"] == "/o/org-a/sso/?x=1"


def test_pkce_is_really_used(client: Client, org_a: Any, oidc_provider: Any) -> None:
    """The test IdP requires PKCE: a connection with PKCE switched off cannot sign in."""
    setup = OidcSetup(
        make_oidc_connection(org_a, oidc_provider, key="nopkce", domain="nopkce.test", oidc_pkce=False),
        oidc_provider,
        org_a,
    )
    authorize_url = setup.start(client, "pat@nopkce.test")
    assert "code_challenge" not in authorize_url
    callback = oidc_provider.authorize(authorize_url, sub="pat", claims={"email": "pat@nopkce.test"})
    assert "error=invalid_request" in callback
    response = client.get(callback_path(callback))
    assert response.status_code == 401
    assert session_user(client) is None
    assert "sso.login.failed" in actions(org_a)


def test_callback_with_a_state_from_another_connection_is_refused(
    client: Client, oidc_a: OidcSetup, oidc_b: OidcSetup
) -> None:
    """Start at A, let B's IdP answer to B's callback with A's state: no login anywhere."""
    authorize_a = oidc_a.start(client, "quinn@a-corp.test")
    state_a = parse_qs(urlsplit(authorize_a).query)["state"][0]
    authorize_b = browser().post(reverse("sso_public:discover"), {"email": "quinn@b-corp.test"})["Location"]
    forged = authorize_b.replace(parse_qs(urlsplit(authorize_b).query)["state"][0], state_a)
    callback = oidc_b.provider.authorize(forged, sub="quinn", claims={"email": "quinn@b-corp.test"})
    response = client.get(callback_path(callback))
    assert response.status_code == 401
    assert session_user(client) is None
    assert not User.objects.filter(email="quinn@b-corp.test").exists()
    assert last_failure(oidc_b.organization)["reason"] == "state_mismatch"


def test_the_client_secret_is_encrypted_and_not_in_allauths_table(oidc_a: OidcSetup) -> None:
    with scopes_disabled():
        connection = SsoConnection.objects.get(pk=oidc_a.connection.pk)
    app = SocialApp.objects.get(pk=connection.social_app_id)
    assert app.secret == ""
    assert connection.oidc_client_secret and "secret" not in connection.oidc_client_secret
    assert decrypt_secret(connection.oidc_client_secret)  # and the login tests prove it is the right one


def test_a_disabled_connection_cannot_be_used(client: Client, oidc_a: OidcSetup) -> None:
    authorize_url = oidc_a.start(client, "rob@a-corp.test")
    with org_scope(oidc_a.organization):
        services.connection_update(
            organization=oidc_a.organization, actor=UserFactory(), connection=oidc_a.connection, is_enabled=False
        )
    callback = oidc_a.provider.authorize(authorize_url, sub="rob", claims={"email": "rob@a-corp.test"})
    assert client.get(callback_path(callback)).status_code == 404
    assert session_user(client) is None
    # and discovery now falls back to the password form
    response = browser().post(reverse("sso_public:discover"), {"email": "rob@a-corp.test"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
