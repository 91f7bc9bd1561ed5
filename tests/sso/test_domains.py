"""Domain verification: DNS TXT (against a loopback DNS server) and the one-time e-mail link."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from apps.core.tenancy import org_scope
from apps.sso import services
from apps.sso.domains import normalize_domain
from apps.sso.models import SsoDomain
from tests.sso.dns_server import TxtServer
from tests.sso.factories import verified_domain
from tests.sso.helpers import actions, browser, confirm_token


@pytest.fixture
def dns_server(settings: Any) -> Iterator[TxtServer]:
    server = TxtServer().start()
    settings.SSO_DNS_NAMESERVERS = [server.address]
    settings.SSO_DNS_TIMEOUT = 3
    try:
        yield server
    finally:
        server.stop()


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        (" Example.COM. ", "example.com"),
        ("user@Sub.Example.org", "sub.example.org"),
        ("bücher.example", "xn--bcher-kva.example"),
    ],
)
def test_normalize_domain(raw: str, clean: str) -> None:
    assert normalize_domain(raw) == clean


@pytest.mark.parametrize(
    "bad", ["", "localhost", "-bad.example", "exa mple.com", "1.2.3.4", "a" * 64 + ".com", "http://x.com/"]
)
def test_normalize_domain_rejects(bad: str) -> None:
    with pytest.raises(ValidationError):
        normalize_domain(bad)


def test_dns_txt_verification(org_a: Any, members_a: Any, dns_server: TxtServer) -> None:
    admin = members_a["admin"]
    with org_scope(org_a):
        domain = services.domain_add(organization=org_a, actor=admin, domain="dns-a.test")
        dns_server.records["dns-a.test"] = ["v=spf1 -all"]
        with pytest.raises(ValidationError) as missing:
            services.domain_verify_dns(organization=org_a, actor=admin, domain=domain)
        assert "No TXT record" in missing.value.messages[0]
        dns_server.records["dns-a.test"].append(domain.txt_record)
        verified = services.domain_verify_dns(organization=org_a, actor=admin, domain=domain)
    assert verified.is_verified and verified.method == "dns"
    assert "sso.domain.verification_failed" in actions(org_a) and "sso.domain.verified" in actions(org_a)


def test_dns_nxdomain_is_explained(org_a: Any, members_a: Any, dns_server: TxtServer) -> None:
    with org_scope(org_a):
        domain = services.domain_add(organization=org_a, actor=members_a["admin"], domain="nowhere.test")
        with pytest.raises(ValidationError) as exc:
            services.domain_verify_dns(organization=org_a, actor=members_a["admin"], domain=domain)
    assert "does not exist" in exc.value.messages[0]


def test_dns_verification_page(org_a: Any, members_a: Any, dns_server: TxtServer, client_for: Any) -> None:
    with org_scope(org_a):
        domain = services.domain_add(organization=org_a, actor=members_a["admin"], domain="page.test")
    client = client_for(members_a["admin"])
    url = reverse("sso:domain_verify_dns", kwargs={"org_slug": org_a.slug, "pk": domain.pk})
    dns_server.records["page.test"] = []
    response = client.post(url)
    assert response.status_code == 400 and "No TXT record" in response.content.decode()
    dns_server.records["page.test"] = [domain.txt_record]
    assert client.post(url).status_code == 302
    with scopes_disabled():
        assert SsoDomain.objects.get(pk=domain.pk).is_verified


def _send_link(client: Client, org: Any, domain: SsoDomain, local_part: str, capture: Any) -> Any:
    with capture(execute=True):
        return client.post(
            reverse("sso:domain_send_email", kwargs={"org_slug": org.slug, "pk": domain.pk}), {"local_part": local_part}
        )


def test_email_verification_flow(
    org_a: Any, members_a: Any, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    admin_client = client_for(members_a["admin"])
    response = admin_client.post(reverse("sso:domains", kwargs={"org_slug": org_a.slug}), {"domain": "Mail-A.test"})
    assert response.status_code == 302
    with scopes_disabled():
        domain = SsoDomain.objects.get(organization=org_a, domain="mail-a.test")

    # only administrative mailboxes of the domain itself
    response = _send_link(admin_client, org_a, domain, "ceo", django_capture_on_commit_callbacks)
    assert response.status_code == 400 and not mail.outbox
    response = _send_link(admin_client, org_a, domain, "hostmaster", django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    # a second link right away is refused (no mail-bombing of someone else's mailbox)
    again = _send_link(admin_client, org_a, domain, "postmaster", django_capture_on_commit_callbacks)
    assert again.status_code == 400 and "less than 5 minutes" in again.content.decode()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["hostmaster@mail-a.test"]
    assert "mail-a.test" in message.subject
    assert "://" in str(message.body)
    confirm_url = reverse("sso_public:domain_confirm", kwargs={"token": confirm_token(message)})

    anonymous = browser()  # the mailbox owner need not have an account
    page = anonymous.get(confirm_url)
    assert page.status_code == 200 and "Organization A" in page.content.decode()
    with scopes_disabled():
        assert not SsoDomain.objects.get(pk=domain.pk).is_verified  # GET alone verifies nothing
    assert anonymous.post(confirm_url).status_code == 200
    with scopes_disabled():
        domain.refresh_from_db()
    assert domain.is_verified and domain.method == "email"
    # one-time
    assert anonymous.post(confirm_url).status_code == 404
    assert "sso.domain.verification_sent" in actions(org_a) and "sso.domain.verified" in actions(org_a)


def test_expired_link_is_refused(
    org_a: Any, members_a: Any, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with org_scope(org_a):
        domain = services.domain_add(organization=org_a, actor=members_a["admin"], domain="late.test")
    _send_link(client_for(members_a["admin"]), org_a, domain, "admin", django_capture_on_commit_callbacks)
    token = confirm_token(mail.outbox[-1])
    with scopes_disabled():
        SsoDomain.objects.filter(pk=domain.pk).update(email_token_expires_at=timezone.now() - timedelta(minutes=1))
    response = browser().post(reverse("sso_public:domain_confirm", kwargs={"token": token}))
    assert response.status_code == 400 and "expired" in response.content.decode()
    with scopes_disabled():
        assert not SsoDomain.objects.get(pk=domain.pk).is_verified


def test_confirming_a_domain_another_org_verified_in_the_meantime_fails(
    org_a: Any, org_b: Any, members_b: Any, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with org_scope(org_b):
        domain = services.domain_add(organization=org_b, actor=members_b["admin"], domain="race.test")
    _send_link(client_for(members_b["admin"]), org_b, domain, "admin", django_capture_on_commit_callbacks)
    token = confirm_token(mail.outbox[-1])
    with org_scope(org_a):
        verified_domain(org_a, "race.test")
    response = browser().post(reverse("sso_public:domain_confirm", kwargs={"token": token}))
    assert response.status_code == 400 and "Another organization" in response.content.decode()
    with scopes_disabled():
        assert not SsoDomain.objects.get(pk=domain.pk).is_verified


def test_unknown_token_is_404(db: Any) -> None:
    assert browser().get(reverse("sso_public:domain_confirm", kwargs={"token": "nope"})).status_code == 404
