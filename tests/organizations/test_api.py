from __future__ import annotations

from typing import Any

from django.urls import reverse
from django_scopes import scopes_disabled

from apps.organizations.models import Membership, Organization


def test_create_organization_and_errors(api_client_for: Any, members_a: Any) -> None:
    client = api_client_for(members_a["viewer"])
    r = client.post("/api/v1/orgs/", {"name": "New Co", "slug": "new-co"}, format="json")
    assert r.status_code == 201, r.content
    assert r.json()["slug"] == "new-co"
    r = client.post("/api/v1/orgs/", {"name": "Again", "slug": "new-co"}, format="json")
    assert r.status_code == 400
    body = r.json()
    assert body["error"]["code"] == "invalid" and "slug" in body["error"]["fields"]
    assert body["request_id"]
    r = client.post("/api/v1/orgs/", {"name": "", "slug": "Bad Slug"}, format="json")
    assert r.status_code == 400 and {"name", "slug"} <= set(r.json()["error"]["fields"])
    r = client.post("/api/v1/orgs/", "[1,2", content_type="application/json")
    assert r.status_code == 400 and r.json()["error"]["code"] == "parse_error"


def test_my_organizations_lists_only_mine(api_client_for: Any, members_a: Any, members_b: Any) -> None:
    r = api_client_for(members_a["viewer"]).get("/api/v1/orgs/")
    slugs = [o["slug"] for o in r.json()["results"]]
    assert slugs == ["org-a"]


def test_org_detail_update_is_admin_only(api_client_for: Any, org_a: Any, members_a: Any, members_b: Any) -> None:
    url = reverse("api_org_detail", kwargs={"org_slug": org_a.slug})
    assert api_client_for(members_a["viewer"]).get(url).status_code == 200
    assert api_client_for(members_b["admin"]).get(url).status_code == 404
    assert api_client_for(members_a["contributor"]).patch(url, {"name": "X"}, format="json").status_code == 403
    r = api_client_for(members_a["admin"]).patch(url, {"name": "Renamed", "slug": "hijack"}, format="json")
    assert r.status_code == 200
    org_a.refresh_from_db()
    assert org_a.name == "Renamed" and org_a.slug == "org-a"


def test_last_admin_via_api_is_a_400(api_client_for: Any, org_a: Any, members_a: Any) -> None:
    with scopes_disabled():
        admin = Membership.objects.get(organization=org_a, user=members_a["admin"])
    url = reverse("organizations-api:membership-detail", kwargs={"org_slug": org_a.slug, "pk": admin.pk})
    client = api_client_for(members_a["admin"])
    r = client.patch(url, {"roles": ["viewer"]}, format="json")
    assert r.status_code == 400 and r.json()["error"]["code"] == "invalid"
    assert client.delete(url).status_code == 400
    r = client.patch(url, {"roles": ["wizard"]}, format="json")
    assert r.status_code == 400 and "roles" in r.json()["error"]["fields"]
    assert Organization.objects.filter(pk=org_a.pk).exists()
