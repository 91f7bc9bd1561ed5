"""Sign-in through a real SAML 2.0 IdP (pysaml2 on loopback, signing with xmlsec1). Every rejected
response below is what a broken or hostile IdP (or a man in the middle) would really post."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from apps.core.tenancy import org_scope
from apps.sso import services
from tests.factories import UserFactory
from tests.sso.conftest import SamlSetup
from tests.sso.helpers import actions, browser, last_failure, membership, session_user
from tests.support.saml_idp import Fault, PostForm, SamlUser

User = get_user_model()


def test_full_login_provisions_and_maps_groups(client: Client, saml_a: SamlSetup, members_a: Any) -> None:
    response = saml_a.login(
        client, name_id="u-1001", email="sam@a-saml.test", groups=["Charter Contributors"], next_url="/o/org-a/"
    )
    assert response.status_code == 302, response.content[:2000]
    assert response["Location"] == "/o/org-a/"
    user = session_user(client)
    assert user.email == "sam@a-saml.test" and user.full_name == "Sam Lee"
    assert SocialAccount.objects.filter(user=user, provider=saml_a.connection.provider_id, uid="u-1001").exists()
    assert membership(saml_a.organization, user).roles == ["contributor", "viewer"]  # type: ignore[union-attr]

    # re-login: the IdP now says admin
    again = browser()
    saml_a.login(again, name_id="u-1001", email="sam@a-saml.test", groups=["Charter Admins"])
    assert session_user(again) == user
    assert membership(saml_a.organization, user).roles == ["admin", "viewer"]  # type: ignore[union-attr]
    assert "sso.membership.roles_updated" in actions(saml_a.organization)


def test_authn_request_goes_to_the_configured_idp(client: Client, saml_a: SamlSetup) -> None:
    redirect = saml_a.start(client, "x@a-saml.test")
    query = parse_qs(urlsplit(redirect).query)
    assert "SAMLRequest" in query
    request_id, sp_entity_id, acs_url = saml_a.idp.parse_authn_request(query["SAMLRequest"][0])
    assert sp_entity_id.endswith(f"/sso/saml/{saml_a.connection.provider_id}/metadata/")
    assert acs_url == "http://testserver" + reverse(
        "saml_acs", kwargs={"organization_slug": saml_a.connection.provider_id}
    )


@pytest.mark.parametrize(
    ("fault", "reason"),
    [
        (Fault.UNSIGNED, "The Assertion of the Response is not signed"),
        (Fault.RESPONSE_SIGNED_ONLY, "The Assertion of the Response is not signed"),
        (Fault.TAMPERED, "Signature validation failed"),
        (Fault.SHA1, "Deprecated signature algorithm"),
        (Fault.WRONG_AUDIENCE, "is not a valid audience"),
        (Fault.FOREIGN_KEY, "Signature validation failed"),
    ],
)
def test_bad_responses_are_rejected(client: Client, saml_a: SamlSetup, fault: Fault, reason: str) -> None:
    response = saml_a.login(client, name_id="eve-1", email="eve@a-saml.test", groups=["Charter Admins"], fault=fault)
    assert response.status_code == 401, response.content[:500]
    assert session_user(client) is None
    assert not User.objects.filter(email="eve@a-saml.test").exists()
    assert not SocialAccount.objects.filter(uid__startswith="eve-1").exists()
    failure = last_failure(saml_a.organization)
    assert failure["reason"] == "saml_invalid_response"
    assert reason in failure["detail"]


def test_a_response_from_another_idp_is_rejected(client: Client, saml_a: SamlSetup) -> None:
    """Same SP, a second real IdP with its own entity id and key: its (valid) responses are not ours."""
    from tests.support.saml_idp import running_idp

    redirect = saml_a.start(client, "trent@a-saml.test")
    request_id, sp_entity_id, acs_url = saml_a.idp.parse_authn_request(
        parse_qs(urlsplit(redirect).query)["SAMLRequest"][0]
    )
    with running_idp() as other:
        other.add_service_provider(
            browser()
            .get(reverse("sso_public:saml_metadata", kwargs={"provider_id": saml_a.connection.provider_id}))
            .content.decode()
        )
        forged = other.build_response(
            SamlUser(name_id="trent", email="trent@a-saml.test", groups=["Charter Admins"]),
            sp_entity_id=sp_entity_id,
            acs_url=acs_url,
            in_response_to=request_id,
        )
    response = saml_a.post_to_acs(client, PostForm(acs_url, forged, None))
    assert response.status_code == 401
    assert not User.objects.filter(email="trent@a-saml.test").exists()


def test_replayed_response_is_rejected(client: Client, saml_a: SamlSetup) -> None:
    redirect = saml_a.start(client, "una@a-saml.test")
    form = saml_a.idp.login(redirect, SamlUser(name_id="una", email="una@a-saml.test"))
    assert saml_a.post_to_acs(client, form).status_code == 302
    attacker = browser()
    response = saml_a.post_to_acs(attacker, form)
    assert response.status_code in (401, 403)
    assert session_user(attacker) is None


def _idp_initiated(saml_a: SamlSetup, user: SamlUser, relay_state: str | None) -> PostForm:
    metadata = browser().get(reverse("sso_public:saml_metadata", kwargs={"provider_id": saml_a.connection.provider_id}))
    sp_entity_id = saml_a.idp.add_service_provider(metadata.content.decode())
    acs = "http://testserver" + reverse("saml_acs", kwargs={"organization_slug": saml_a.connection.provider_id})
    return saml_a.idp.idp_initiated(user, sp_entity_id=sp_entity_id, acs_url=acs, relay_state=relay_state)


def test_idp_initiated_login_is_rejected_unless_enabled(client: Client, saml_a: SamlSetup) -> None:
    form = _idp_initiated(saml_a, SamlUser(name_id="vic", email="vic@a-saml.test"), "/o/org-a/")
    response = saml_a.post_to_acs(client, form)
    assert response.status_code == 401
    assert session_user(client) is None
    assert last_failure(saml_a.organization)["reason"] == "saml_unsolicited_or_unknown_request"


def test_idp_initiated_login_when_enabled_keeps_relay_state_local(saml_a: SamlSetup) -> None:
    with org_scope(saml_a.organization):
        services.connection_update(
            organization=saml_a.organization,
            actor=UserFactory(),
            connection=saml_a.connection,
            saml_allow_idp_initiated=True,
        )
    client = browser()
    response = saml_a.post_to_acs(
        client, _idp_initiated(saml_a, SamlUser(name_id="walt", email="walt@a-saml.test"), "/o/org-a/sso/")
    )
    assert response.status_code == 302 and response["Location"] == "/o/org-a/sso/"
    assert session_user(client).email == "walt@a-saml.test"
    for target in ("https://evil.example/", "//evil.example/", "http://testserver.evil.example/"):
        client = browser()
        response = saml_a.post_to_acs(
            client, _idp_initiated(saml_a, SamlUser(name_id="walt", email="walt@a-saml.test"), target)
        )
        assert response.status_code == 302
        assert response["Location"] == reverse("home"), target


def test_existing_local_account_is_not_merged(client: Client, saml_a: SamlSetup) -> None:
    local = UserFactory(email="xena@a-saml.test")
    response = saml_a.login(client, name_id="xena-idp", email="xena@a-saml.test", groups=["Charter Admins"])
    assert response.status_code == 403
    assert session_user(client) is None
    assert not SocialAccount.objects.filter(user=local).exists()
    assert membership(saml_a.organization, local) is None
    assert last_failure(saml_a.organization)["reason"] == "email_conflict"


def test_sp_metadata_is_served_for_the_connection(saml_a: SamlSetup) -> None:
    response = browser().get(reverse("sso_public:saml_metadata", kwargs={"provider_id": saml_a.connection.provider_id}))
    body = response.content.decode()
    assert response.status_code == 200 and "EntityDescriptor" in body
    assert saml_a.connection.provider_id in body
    assert browser().get(reverse("sso_public:saml_metadata", kwargs={"provider_id": "nope"})).status_code == 404


def test_a_correctly_signed_response_naming_another_issuer_is_rejected(client: Client, saml_a: SamlSetup) -> None:
    """Same signing key, different Issuer: the entity id check alone must refuse it."""
    from tests.support.saml_idp import running_idp

    redirect = saml_a.start(client, "ursula@a-saml.test")
    query = parse_qs(urlsplit(redirect).query)
    request_id, sp_entity_id, acs_url = saml_a.idp.parse_authn_request(query["SAMLRequest"][0])
    with running_idp(entity_id="https://impostor.example/metadata", keys=saml_a.idp.keys) as impostor:
        impostor.add_service_provider(
            browser()
            .get(reverse("sso_public:saml_metadata", kwargs={"provider_id": saml_a.connection.provider_id}))
            .content.decode()
        )
        forged = impostor.build_response(
            SamlUser(name_id="ursula", email="ursula@a-saml.test"),
            sp_entity_id=sp_entity_id,
            acs_url=acs_url,
            in_response_to=request_id,
        )
    response = saml_a.post_to_acs(client, PostForm(acs_url, forged, None))
    assert response.status_code == 401
    assert not User.objects.filter(email="ursula@a-saml.test").exists()
    assert "issuer" in last_failure(saml_a.organization)["detail"].lower()
