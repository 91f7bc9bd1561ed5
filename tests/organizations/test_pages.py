from __future__ import annotations

from io import StringIO
from typing import Any

from django.core.management import call_command
from django.test import Client
from django_scopes import scopes_disabled

from apps.accounts.models import User
from apps.audit.models import AuditEvent
from apps.core.tenancy import org_scope
from apps.organizations.models import Invitation, Membership, Organization


def test_create_organization_in_the_ui(client_for: Any, members_a: Any) -> None:
    web = client_for(members_a["viewer"])
    r = web.post("/o/new/", {"name": "Web Co", "slug": "web-co", "description": "d"})
    assert r.status_code == 302 and r["Location"] == "/o/web-co/"
    r = web.post("/o/new/", {"name": "Again", "slug": "web-co"})
    assert r.status_code == 200 and "slug" in r.context["form"].errors
    r = web.post("/o/new/", {"name": "Bad", "slug": "Not A Slug"})
    assert r.status_code == 200 and "slug" in r.context["form"].errors
    assert Organization.objects.filter(slug__in=["web-co"]).count() == 1
    assert web.get("/o/").status_code == 200 and b"Web Co" in web.get("/o/").content


def test_org_switcher_lists_only_my_organizations(client_for: Any, members_a: Any, members_b: Any) -> None:
    content = client_for(members_a["viewer"]).get("/o/org-a/").content.decode()
    assert "Organization A" in content and "Organization B" not in content


def test_invitation_by_link(client_for: Any, org_a: Any, members_a: Any) -> None:
    admin = client_for(members_a["admin"])
    r = admin.post(f"/o/{org_a.slug}/invitations/", {"email": "joiner@x.test", "roles": ["contributor"]})
    assert r.status_code == 302
    r = admin.post(f"/o/{org_a.slug}/invitations/", {"email": "bad", "roles": []})
    assert r.status_code == 400 and set(r.context["invite_form"].errors) == {"email", "roles"}
    with scopes_disabled():
        inv = Invitation.objects.get(email="joiner@x.test")
    anon = Client()
    assert anon.get(f"/invitations/{inv.token}/").status_code == 200
    assert anon.get("/invitations/not-a-token/").status_code == 404
    joiner = User.objects.create_user("joiner@x.test", "a-long-password-1")
    web = client_for(joiner)
    r = web.post(f"/invitations/{inv.token}/")
    assert r.status_code == 302 and r["Location"] == f"/o/{org_a.slug}/"
    with org_scope(org_a):
        assert Membership.objects.get(user=joiner).roles == ["contributor"]
    r = web.post(f"/invitations/{inv.token}/")
    assert r.status_code == 400 and "already been used" in r.content.decode()


def test_removing_the_last_admin_in_the_ui_shows_an_error(client_for: Any, org_a: Any, members_a: Any) -> None:
    with scopes_disabled():
        admin = Membership.objects.get(user=members_a["admin"])
    web = client_for(members_a["admin"])
    r = web.post(f"/o/{org_a.slug}/members/{admin.pk}/remove/", follow=True)
    assert "at least one admin" in r.content.decode()
    r = web.post(f"/o/{org_a.slug}/members/{admin.pk}/", {"roles": ["viewer"]})
    assert r.status_code == 200 and "at least one admin" in r.content.decode()
    with scopes_disabled():
        assert Membership.objects.filter(pk=admin.pk, is_admin=True).exists()


def test_login_and_failed_login_are_audited(org_a: Any, members_a: Any) -> None:
    user = members_a["viewer"]
    user.set_password("a-long-password-1")
    user.save()
    web = Client()
    r = web.post("/accounts/login/", {"login": user.email, "password": "wrong-password"})
    assert r.status_code == 200
    r = web.post("/accounts/login/", {"login": user.email, "password": "a-long-password-1"})
    assert r.status_code == 302
    with scopes_disabled():
        seen = list(AuditEvent.objects.filter(organization=org_a).values_list("action", flat=True))
    assert "auth.login_failed" in seen and "auth.login" in seen
    r = Client().post("/accounts/login/", {"login": "nobody@x.test", "password": "whatever-123"})
    with scopes_disabled():
        assert AuditEvent.objects.filter(chain="global", action="auth.login_failed").exists()


def test_language_switch_and_russian_pages(client_for: Any, org_a: Any, members_a: Any) -> None:
    web = client_for(members_a["admin"])
    r = web.post("/i18n/setlang/", {"language": "ru", "next": f"/o/{org_a.slug}/members/"})
    assert r.status_code == 302
    content = web.get(f"/o/{org_a.slug}/members/").content.decode()
    assert 'lang="ru"' in content and "Участники" in content


def test_security_headers_and_request_id(client_for: Any, members_a: Any) -> None:
    r = client_for(members_a["viewer"]).get("/o/org-a/", HTTP_X_REQUEST_ID="abc-123")
    assert "default-src 'self'" in r["Content-Security-Policy"]
    assert r["X-Frame-Options"] == "DENY"
    assert r["X-Request-ID"] == "abc-123"
    r = client_for(None).get("/healthz", HTTP_X_REQUEST_ID="bad id with spaces")
    assert r["X-Request-ID"] != "bad id with spaces"


def test_api_schema_and_docs(client_for: Any, members_a: Any) -> None:
    web = client_for(members_a["viewer"])
    schema = web.get("/api/schema/")
    assert schema.status_code == 200 and b"/api/v1/orgs/{org_slug}/memberships/" in schema.content
    docs = web.get("/api/docs/")
    assert docs.status_code == 200 and b"cdn" not in docs.content.lower()


def test_seed_demo_is_idempotent(db: Any) -> None:
    call_command("seed_demo", stdout=StringIO())
    counts = (Organization.objects.count(), User.objects.count())
    with scopes_disabled():
        events = AuditEvent.objects.count()
    call_command("seed_demo", stdout=StringIO())
    assert (Organization.objects.count(), User.objects.count()) == counts == (2, 11)
    with scopes_disabled():
        assert AuditEvent.objects.count() == events
