"""SAML single logout with a real pysaml2 IdP on loopback (tests/support/saml_idp.py, ``single_logout=True``):
the IdP's SingleLogoutService from its metadata, IdP-initiated logout at our SLS endpoint (signed, naming
the session's NameID and SessionIndex), SP-initiated logout (local session first, then the browser goes to
the IdP with a LogoutRequest that pysaml2 parses), the IdP's LogoutResponse, and connections without
single logout."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.test import Client
from django.urls import reverse
from lxml import etree
from saml2.saml import NAMEID_FORMAT_PERSISTENT
from saml2.samlp import STATUS_RESPONDER, STATUS_SUCCESS
from saml2.xmldsig import SIG_RSA_SHA1

from apps.core.tenancy import org_scope
from apps.organizations.models import Organization
from apps.sso import services
from apps.sso.models import SsoConnection
from apps.sso.saml_metadata import parse_idp_metadata
from apps.sso.socialapps import app_settings_for, saml_sp_entity_id
from tests.sso.conftest import SamlSetup, make_saml_connection
from tests.sso.helpers import browser, events, session_user
from tests.support.saml_idp import SamlIdp, SamlUser

MD = "urn:oasis:names:tc:SAML:2.0:metadata"
REDIRECT = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
ORG_PAGE = "/o/org-a/"


@pytest.fixture(scope="module")
def slo_idp() -> Iterator[SamlIdp]:
    idp = SamlIdp(single_logout=True).start()
    try:
        yield idp
    finally:
        idp.stop()


@pytest.fixture(scope="module")
def strict_slo_idp() -> Iterator[SamlIdp]:
    """Also refuses requests (AuthnRequest and LogoutRequest) whose signature does not verify with the SP
    metadata's certificate."""
    idp = SamlIdp(single_logout=True, want_authn_requests_signed=True).start()
    try:
        yield idp
    finally:
        idp.stop()


@pytest.fixture
def saml_slo(org_a: Organization, slo_idp: SamlIdp) -> SamlSetup:
    connection = make_saml_connection(org_a, slo_idp, key="slo", domain="slo-saml.test")
    return SamlSetup(connection, slo_idp, org_a)


def _path(url: str) -> str:
    parts = urlsplit(url)
    assert parts.netloc == "testserver", url
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def _sign_in(setup: SamlSetup, client: Client, name_id: str) -> Any:
    response = setup.login(client, name_id=name_id, email=f"{name_id}@{_domain(setup)}")
    assert response.status_code == 302, response.content[:1000]
    user = session_user(client)
    assert user is not None
    assert client.get(ORG_PAGE).status_code == 200
    return user


def _domain(setup: SamlSetup) -> str:
    return {"slo": "slo-saml.test", "adfs": "a-saml.test", "signed": "signed-slo.test"}[setup.connection.key]


def _sp_entity_id(setup: SamlSetup) -> str:
    return saml_sp_entity_id(setup.connection.provider_id)


def _logged_out(client: Client) -> bool:
    response = client.get(ORG_PAGE)
    return response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def _logout_events(org: Organization) -> list[Any]:
    return events(org, "sso.logout")


# -- (g) the IdP's single logout URL -----------------------------------------------------------------
def test_the_idp_single_logout_url_is_read_from_the_metadata(
    saml_slo: SamlSetup, saml_idp: SamlIdp, org_a: Organization
) -> None:
    connection = saml_slo.connection
    assert connection.saml_idp_slo_url == saml_slo.idp.slo_url
    assert app_settings_for(connection)["idp"]["slo_url"] == saml_slo.idp.slo_url
    assert parse_idp_metadata(saml_slo.idp.metadata_xml()).slo_url == saml_slo.idp.slo_url
    # An IdP without a SingleLogoutService: nothing, and allauth gets no slo_url.
    assert parse_idp_metadata(saml_idp.metadata_xml()).slo_url == ""
    with org_scope(org_a):
        plain = services.connection_create(
            organization=org_a,
            actor=None,
            protocol="saml",
            name="Pasted",
            key="pasted",
            saml_metadata_xml=saml_idp.metadata_xml(),
        )
    assert plain.saml_idp_slo_url == ""
    assert "slo_url" not in app_settings_for(plain)["idp"]


def test_the_single_logout_url_can_be_entered_by_hand(org_a: Organization, slo_idp: SamlIdp, members_a: Any) -> None:
    metadata = parse_idp_metadata(slo_idp.metadata_xml())
    client = browser()
    client.force_login(members_a["admin"])
    response = client.post(
        reverse("sso:connection_create", kwargs={"org_slug": org_a.slug}) + "?protocol=saml",
        {
            "protocol": "saml",
            "name": "By hand",
            "key": "byhand",
            "saml_idp_entity_id": metadata.entity_id,
            "saml_idp_sso_url": metadata.sso_url,
            "saml_idp_slo_url": "https://idp.example/saml/slo",
            "saml_idp_certificate": metadata.certificate,
            "default_role": "viewer",
            "groups_claim": "groups",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    with org_scope(org_a):
        connection = SsoConnection.objects.get(organization=org_a, key="byhand")
    assert connection.saml_idp_slo_url == "https://idp.example/saml/slo"
    assert app_settings_for(connection)["idp"]["slo_url"] == "https://idp.example/saml/slo"
    created = events(org_a, "sso.connection.created")[-1].data
    assert created["saml_idp_slo_url"] == "https://idp.example/saml/slo"


# -- (f) our SP metadata --------------------------------------------------------------------------
def test_the_sp_metadata_lists_the_single_logout_service(saml_slo: SamlSetup) -> None:
    response = browser().get(
        reverse("sso_public:saml_metadata", kwargs={"provider_id": saml_slo.connection.provider_id})
    )
    root = etree.fromstring(response.content)
    services_ = [(e.get("Binding"), e.get("Location")) for e in root.iter(f"{{{MD}}}SingleLogoutService")]
    sls = "http://testserver" + reverse("saml_sls", kwargs={"organization_slug": saml_slo.connection.provider_id})
    assert services_ == [(REDIRECT, sls)]
    assert saml_slo.idp.sp_single_logout_url(_sp_entity_id(saml_slo)) == sls


# -- (a) IdP-initiated logout -----------------------------------------------------------------------
def test_idp_initiated_logout_ends_the_session_and_is_audited(client: Client, saml_slo: SamlSetup) -> None:
    idp = saml_slo.idp
    user = _sign_in(saml_slo, client, "slo-1")
    request_id, url = idp.logout_request_url(
        sp_entity_id=_sp_entity_id(saml_slo), name_id="slo-1", session_indexes=[idp.session_indexes["slo-1"]]
    )
    response = client.get(_path(url))
    assert response.status_code == 302, response.content[:1000]
    assert response["Location"].startswith(idp.slo_url + "?")
    logout_response = idp.parse_logout_response(response["Location"]).response
    assert logout_response.in_response_to == request_id
    assert logout_response.status.status_code.value == STATUS_SUCCESS
    assert session_user(client) is None
    assert _logged_out(client)
    (event,) = _logout_events(saml_slo.organization)
    assert event.actor_id == user.pk
    assert event.data == {"initiated_by": "idp", "connection": saml_slo.connection.provider_id}
    # The browser delivers the LogoutResponse to the IdP, which accepts it.
    received = len(idp.logout_responses_received)
    assert requests.get(response["Location"], timeout=5, allow_redirects=False).status_code == 200
    assert len(idp.logout_responses_received) == received + 1


def test_a_logout_request_without_session_index_ends_every_session_of_the_name_id(
    client: Client, saml_slo: SamlSetup
) -> None:
    _sign_in(saml_slo, client, "slo-2")
    _request_id, url = saml_slo.idp.logout_request_url(sp_entity_id=_sp_entity_id(saml_slo), name_id="slo-2")
    assert client.get(_path(url)).status_code == 302
    assert _logged_out(client)


# -- (b) LogoutRequests that must not end the session --------------------------------------------------
@pytest.mark.parametrize(
    ("variant", "status"),
    [
        ("foreign_key", 400),  # signed, but not by the IdP's key: python3-saml refuses it
        ("unsigned", 400),  # refused because we require signed LogoutRequests (wantMessagesSigned at the SLS)
        ("sha1", 400),  # signed by the IdP's key, with RSA-SHA1 (rejectDeprecatedAlgorithm)
        ("other_name_id", 302),  # valid, but for another principal: answered, this session stays
        ("other_session_index", 302),  # valid, same principal, another of its sessions
        ("other_format", 302),  # same value, but another kind of NameID
    ],
)
def test_logout_requests_not_for_this_session_leave_it_alone(
    client: Client, saml_slo: SamlSetup, variant: str, status: int
) -> None:
    idp = saml_slo.idp
    _sign_in(saml_slo, client, "slo-3")
    kwargs: dict[str, Any] = {
        "sp_entity_id": _sp_entity_id(saml_slo),
        "name_id": "slo-3",
        "session_indexes": [idp.session_indexes["slo-3"]],
    }
    if variant == "foreign_key":
        kwargs["signed_by"] = "foreign"
    elif variant == "unsigned":
        kwargs["signed_by"] = ""
    elif variant == "sha1":
        kwargs["sigalg"] = SIG_RSA_SHA1
    elif variant == "other_name_id":
        kwargs["name_id"] = "slo-someone-else"
    elif variant == "other_session_index":
        kwargs["session_indexes"] = ["id-another-session"]
    else:
        kwargs["name_id_format"] = "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"
    request_id, url = idp.logout_request_url(**kwargs)
    response = client.get(_path(url))
    assert response.status_code == status, response.content[:1000]
    if status == 302:
        # The IdP still gets its answer: that principal/session has no session here.
        answer = idp.parse_logout_response(response["Location"]).response
        assert answer.in_response_to == request_id
    else:
        assert "could not be verified" in response.content.decode()
    assert session_user(client) is not None
    assert client.get(ORG_PAGE).status_code == 200
    assert _logout_events(saml_slo.organization) == []


def test_a_logout_request_does_not_end_a_session_that_came_another_way(
    client: Client, saml_slo: SamlSetup, members_a: Any
) -> None:
    client.force_login(members_a["viewer"])
    _request_id, url = saml_slo.idp.logout_request_url(sp_entity_id=_sp_entity_id(saml_slo), name_id="slo-4")
    assert client.get(_path(url)).status_code == 302
    assert session_user(client) == members_a["viewer"]
    assert _logout_events(saml_slo.organization) == []


# -- (c) SP-initiated logout and (d) the IdP's LogoutResponse ------------------------------------------
def test_sp_initiated_logout_ends_the_session_then_goes_to_the_idp(client: Client, saml_slo: SamlSetup) -> None:
    idp = saml_slo.idp
    user = _sign_in(saml_slo, client, "slo-5")
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(idp.slo_url + "?"), location
    # The local session is gone before the IdP has answered.
    assert session_user(client) is None
    assert _logged_out(client)
    request = idp.parse_logout_request(location)
    assert request.issuer.text == _sp_entity_id(saml_slo)
    assert request.destination == idp.slo_url
    assert request.name_id.text == "slo-5"
    assert request.name_id.format == NAMEID_FORMAT_PERSISTENT
    assert [s.text for s in request.session_index] == [idp.session_indexes["slo-5"]]
    (event,) = _logout_events(saml_slo.organization)
    assert event.actor_id == user.pk
    assert event.data == {"initiated_by": "sp", "connection": saml_slo.connection.provider_id}

    # (d) The browser follows the redirect to the IdP, which answers at our SLS: the normal post-logout page.
    at_idp = requests.get(location, timeout=5, allow_redirects=False)
    assert at_idp.status_code == 302, at_idp.text
    back = client.get(_path(at_idp.headers["Location"]))
    assert back.status_code == 302, back.content[:1000]
    assert back["Location"] == reverse("account_login")
    assert session_user(client) is None


def test_a_logout_response_must_answer_this_browsers_request(client: Client, saml_slo: SamlSetup) -> None:
    idp = saml_slo.idp
    _sign_in(saml_slo, client, "slo-6")
    first = client.post(reverse("account_logout"))["Location"]
    other = browser()
    _sign_in(saml_slo, other, "slo-7")
    other.post(reverse("account_logout"))
    # The answer to the first browser's LogoutRequest, delivered to the other browser.
    response = other.get(_path(idp.logout_response_url(first)))
    assert response.status_code == 400
    assert "did not confirm" in response.content.decode()
    # Delivered where it belongs, it is accepted.
    assert client.get(_path(idp.logout_response_url(first)))["Location"] == reverse("account_login")


@pytest.mark.parametrize(("status", "signed_by"), [(STATUS_RESPONDER, "idp"), (STATUS_SUCCESS, "foreign")])
def test_a_failed_or_forged_logout_response_is_reported(
    client: Client, saml_slo: SamlSetup, status: str, signed_by: str
) -> None:
    _sign_in(saml_slo, client, "slo-8")
    request_url = client.post(reverse("account_logout"))["Location"]
    response = client.get(_path(saml_slo.idp.logout_response_url(request_url, status=status, signed_by=signed_by)))
    assert response.status_code == 400
    assert "did not confirm" in response.content.decode()
    assert session_user(client) is None


def test_sp_initiated_logout_is_signed_when_the_connection_signs_requests(
    client: Client, org_a: Organization, strict_slo_idp: SamlIdp
) -> None:
    connection = make_saml_connection(
        org_a, strict_slo_idp, key="signed", domain="signed-slo.test", saml_sign_requests=True
    )
    setup = SamlSetup(connection, strict_slo_idp, org_a)
    _sign_in(setup, client, "slo-9")
    location = client.post(reverse("account_logout"))["Location"]
    query = parse_qs(urlsplit(location).query)
    assert query["SigAlg"] == ["http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"]
    # pysaml2 verifies the signature with the certificate from our SP metadata (and refuses it otherwise).
    assert strict_slo_idp.parse_logout_request(location).name_id.text == "slo-9"
    assert "RelayState" in query
    tampered = location.replace("RelayState=", "RelayState=%2Fevil")
    with pytest.raises(Exception, match="not signed correctly"):
        strict_slo_idp.parse_logout_request(tampered)
    # Our answer to an IdP-initiated logout is signed too, and the IdP's response comes back fine.
    assert client.get(_path(strict_slo_idp.logout_response_url(location)))["Location"] == reverse("account_login")
    other = browser()
    _sign_in(setup, other, "slo-10")
    _request_id, url = strict_slo_idp.logout_request_url(
        sp_entity_id=saml_sp_entity_id(connection.provider_id), name_id="slo-10"
    )
    answer = other.get(_path(url))
    assert answer.status_code == 302
    assert "Signature" in parse_qs(urlsplit(answer["Location"]).query)
    assert session_user(other) is None


# -- (e) without a single logout URL, and password sessions --------------------------------------------
def test_without_a_single_logout_url_logout_stays_local(client: Client, saml_a: SamlSetup) -> None:
    assert saml_a.connection.saml_idp_slo_url == ""
    _sign_in(saml_a, client, "local-1")
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login")
    assert session_user(client) is None
    assert _logout_events(saml_a.organization) == []
    # And its SLS endpoint does not exist.
    sls = reverse("saml_sls", kwargs={"organization_slug": saml_a.connection.provider_id})
    assert browser().get(sls + "?SAMLRequest=x").status_code == 404


def test_a_password_sessions_logout_is_unchanged(client: Client, saml_slo: SamlSetup, members_a: Any) -> None:
    assert client.login(email=members_a["viewer"].email, password="correct-horse-battery")
    assert session_user(client) == members_a["viewer"]
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login")
    assert session_user(client) is None
    assert _logout_events(saml_slo.organization) == []


def test_the_endpoints_page_shows_the_single_logout_service(
    client: Client, saml_slo: SamlSetup, members_a: Any
) -> None:
    client.force_login(members_a["admin"])
    page = client.get(
        reverse("sso:connection_detail", kwargs={"org_slug": "org-a", "pk": saml_slo.connection.pk})
    ).content.decode()
    assert f"/accounts/saml/{saml_slo.connection.provider_id}/sls/" in page
    assert saml_slo.idp.slo_url in page


def test_saml_user_defaults_are_kept() -> None:
    """The IdP helper's defaults did not change: no single logout unless asked for."""
    idp = SamlIdp()
    try:
        assert "SingleLogoutService" not in idp.metadata_xml()
        assert SamlUser(name_id="x").name_id_format == NAMEID_FORMAT_PERSISTENT
    finally:
        idp.stop()
