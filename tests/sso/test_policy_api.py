"""The sign-in policy as a REST singleton: /api/v1/orgs/<org>/sso/policy/ (url name ``sso-api:policy``).
Explicit isolation and role tests (a singleton has no list/detail pair for ApiCrudIsolationCase)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from apps.sso.models import SsoPolicy
from tests.generic import ROLES, audit_count
from tests.sso.helpers import events

NON_ADMINS = [r for r in ROLES if r != "admin"]


def url(org: Any) -> str:
    return reverse("sso-api:policy", kwargs={"org_slug": org.slug})


def stored_policy(org: Any) -> SsoPolicy | None:
    with scopes_disabled():
        return SsoPolicy.objects.filter(organization=org).first()


def test_url_shape(org_a: Any) -> None:
    assert url(org_a) == "/api/v1/orgs/org-a/sso/policy/"


def test_anonymous_is_refused(org_a: Any, members_a: Any, api_client_for: Any) -> None:
    client = api_client_for(None)
    assert client.get(url(org_a)).status_code in (401, 403)
    assert client.patch(url(org_a), {"mfa_required": True}, format="json").status_code in (401, 403)
    assert client.put(url(org_a), {"mfa_required": True}, format="json").status_code in (401, 403)
    assert stored_policy(org_a) is None


def test_outsider_and_other_org_admin_get_404(
    org_a: Any, members_a: Any, org_b: Any, members_b: Any, api_client_for: Any
) -> None:
    for user in (members_a["outsider"], members_b["admin"]):
        client = api_client_for(user)
        assert client.get(url(org_a)).status_code == 404
        assert client.patch(url(org_a), {"mfa_required": True}, format="json").status_code == 404
        assert client.put(url(org_a), {"mfa_required": True}, format="json").status_code == 404
    assert stored_policy(org_a) is None
    assert stored_policy(org_b) is None


@pytest.mark.parametrize("role", NON_ADMINS)
def test_non_admin_roles_get_403(role: str, org_a: Any, members_a: Any, api_client_for: Any) -> None:
    client = api_client_for(members_a[role])
    before = audit_count(org_a)
    assert client.get(url(org_a)).status_code == 403
    body = {"mfa_required": True, "break_glass_user": members_a[role].pk}
    assert client.patch(url(org_a), body, format="json").status_code == 403
    assert client.put(url(org_a), body, format="json").status_code == 403
    assert stored_policy(org_a) is None
    assert audit_count(org_a) == before


def test_admin_reads_the_default_policy(org_a: Any, members_a: Any, api_client_for: Any) -> None:
    r = api_client_for(members_a["admin"]).get(url(org_a))
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["sso_required"] is False and body["mfa_required"] is False and body["break_glass_user"] is None
    assert "organization" not in body


def test_admin_patch_changes_the_policy_and_is_audited(
    org_a: Any, members_a: Any, org_b: Any, members_b: Any, api_client_for: Any
) -> None:
    admin = members_a["admin"]
    client = api_client_for(admin)
    r = client.patch(
        url(org_a),
        {"break_glass_user": admin.pk, "organization": org_b.pk},
        format="json",
    )
    assert r.status_code == 200, r.content
    assert r.json()["break_glass_user"] == admin.pk and r.json()["mfa_required"] is False
    policy = stored_policy(org_a)
    assert policy is not None and policy.break_glass_user_id == admin.pk and policy.organization_id == org_a.pk
    assert stored_policy(org_b) is None  # the "organization" key was ignored

    updated = events(org_a, "sso.policy.updated")
    assert len(updated) == 1
    assert updated[0].actor_id == admin.pk
    assert "break_glass_user_id" in updated[0].data["changes"]
    assert events(org_b, "sso.policy.updated") == []

    # fields left out keep their values; the read shows the stored policy
    r = client.patch(url(org_a), {"sso_required": False}, format="json")
    assert r.status_code == 200, r.content
    assert len(events(org_a, "sso.policy.updated")) == 1  # nothing changed, nothing audited
    r = client.get(url(org_a))
    assert r.status_code == 200 and r.json()["break_glass_user"] == admin.pk

    # PUT works too, and null clears the emergency admin
    r = client.put(url(org_a), {"sso_required": False, "mfa_required": False, "break_glass_user": None}, format="json")
    assert r.status_code == 200, r.content
    policy = stored_policy(org_a)
    assert policy is not None and policy.break_glass_user_id is None
    assert len(events(org_a, "sso.policy.updated")) == 2


def test_admin_can_require_mfa(org_a: Any, members_a: Any, api_client_for: Any) -> None:
    r = api_client_for(members_a["admin"]).patch(url(org_a), {"mfa_required": True}, format="json")
    assert r.status_code == 200, r.content
    assert r.json()["mfa_required"] is True
    policy = stored_policy(org_a)
    assert policy is not None and policy.mfa_required is True
    assert events(org_a, "sso.policy.updated")[-1].data["changes"]["mfa_required"] == {"old": False, "new": True}


@pytest.mark.parametrize("who", ["foreign_admin", "viewer", "outsider", "missing"])
def test_break_glass_user_must_be_an_admin_member(
    who: str, org_a: Any, members_a: Any, members_b: Any, api_client_for: Any
) -> None:
    user_id = {
        "foreign_admin": members_b["admin"].pk,
        "viewer": members_a["viewer"].pk,
        "outsider": members_a["outsider"].pk,
        "missing": 10**9,
    }[who]
    before = audit_count(org_a)
    r = api_client_for(members_a["admin"]).patch(url(org_a), {"break_glass_user": user_id}, format="json")
    assert r.status_code == 400, r.content
    error = r.json()["error"]
    assert error["code"] == "invalid" and "break_glass_user" in error["fields"]
    policy = stored_policy(org_a)
    assert policy is None or policy.break_glass_user_id is None
    assert audit_count(org_a) == before


def test_service_rules_apply(org_a: Any, members_a: Any, api_client_for: Any) -> None:
    # "SSO required" needs an enabled connection — the rule lives in services.policy_update only
    r = api_client_for(members_a["admin"]).patch(
        url(org_a), {"sso_required": True, "break_glass_user": members_a["admin"].pk}, format="json"
    )
    assert r.status_code == 400, r.content
    assert "sso_required" in r.json()["error"]["fields"]
    assert stored_policy(org_a) is None or stored_policy(org_a).sso_required is False  # type: ignore[union-attr]


def test_malformed_json_is_400(org_a: Any, members_a: Any, api_client_for: Any) -> None:
    client = api_client_for(members_a["admin"])
    r = client.patch(url(org_a), '{"mfa_required": tru', content_type="application/json")
    assert r.status_code == 400 and r.json()["error"]["code"] == "parse_error"
    r = client.patch(url(org_a), {"mfa_required": "maybe"}, format="json")
    assert r.status_code == 400 and "mfa_required" in r.json()["error"]["fields"]
    assert stored_policy(org_a) is None
