from __future__ import annotations

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from django_scopes import scopes_disabled
from rest_framework.test import APIClient

from apps.accounts.models import ApiToken


def token_for(user: Any, org: Any, *extra: str) -> str:
    out = StringIO()
    call_command("create_api_token", "--user", user.email, "--org", org.slug, *extra, stdout=out)
    return out.getvalue().strip()


def test_token_works_in_its_organization_only(org_a: Any, members_a: Any, org_b: Any, members_b: Any) -> None:
    user = members_a["viewer"]
    raw = token_for(user, org_a)
    assert raw.startswith("chr_")
    with scopes_disabled():
        stored = ApiToken.objects.get(user=user)
    assert raw not in (stored.key_hash, stored.key_prefix)  # only the hash is stored
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    assert client.get(f"/api/v1/orgs/{org_a.slug}/memberships/").status_code == 200
    # the same user is a member of B too, but the token belongs to A
    from apps.core.tenancy import org_scope
    from apps.organizations.models import Membership

    with org_scope(org_b):
        Membership.objects.create(organization=org_b, user=user, is_viewer=True)
    assert client.get(f"/api/v1/orgs/{org_b.slug}/memberships/").status_code == 404
    me = client.get("/api/v1/me/").json()
    assert [o["slug"] for o in me["organizations"]] == [org_a.slug]


def test_bad_expired_and_revoked_tokens(org_a: Any, members_a: Any, client_for: Any) -> None:
    url = f"/api/v1/orgs/{org_a.slug}/memberships/"
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token chr_not-a-real-token")
    r = client.get(url)
    assert r.status_code == 401 and r.json()["error"]["code"] == "authentication_failed"
    client.credentials(HTTP_AUTHORIZATION="Token a b")
    assert client.get(url).status_code == 401
    raw = token_for(members_a["viewer"], org_a, "--days", "1")
    with scopes_disabled():
        ApiToken.objects.filter(user=members_a["viewer"]).update(expires_at=timezone.now() - timedelta(minutes=1))
    client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    assert client.get(url).status_code == 401
    raw2 = token_for(members_a["auditor"], org_a)
    client.credentials(HTTP_AUTHORIZATION=f"Token {raw2}")
    assert client.get(url).status_code == 200
    with scopes_disabled():
        token = ApiToken.objects.get(user=members_a["auditor"])
    web = client_for(members_a["auditor"])
    r = web.post(f"/o/{org_a.slug}/tokens/{token.pk}/revoke/")
    assert r.status_code == 302
    assert client.get(url).status_code == 401


def test_command_errors(org_a: Any, members_a: Any) -> None:
    with pytest.raises(CommandError, match="no user"):
        token_for(type("U", (), {"email": "ghost@x.test"})(), org_a)
    with pytest.raises(CommandError, match="no organization"):
        token_for(members_a["viewer"], type("O", (), {"slug": "ghost"})())
    with pytest.raises(CommandError, match="Only members"):
        token_for(members_a["outsider"], org_a)


def test_token_page_shows_the_key_once(org_a: Any, members_a: Any, client_for: Any) -> None:
    web = client_for(members_a["contributor"])
    r = web.post(f"/o/{org_a.slug}/tokens/", {"name": "ci", "expires_in_days": 30})
    assert r.status_code == 200
    raw = r.context["new_token"]
    assert raw.encode() in r.content
    assert raw.encode() not in web.get(f"/o/{org_a.slug}/tokens/").content
    r = web.post(f"/o/{org_a.slug}/tokens/", {"name": "", "expires_in_days": 9999})
    assert r.status_code == 200 and r.context["form"].errors.keys() == {"name", "expires_in_days"}
