"""Generic isolation and role tests for every SSO route and model (tests/generic.py)."""

from __future__ import annotations

import itertools
from typing import Any

from apps.core.permissions import ADMINS, ALL_ROLES
from apps.sso.models import SsoConnection, SsoDomain, SsoPolicy
from tests.generic import ApiCrudIsolationCase, Page, PageIsolationCase
from tests.sso.factories import oidc_connection

_seq = itertools.count()


def make_domain(organization: Any) -> SsoDomain:
    return SsoDomain.objects.create(organization=organization, domain=f"d{next(_seq)}.example.com")


class TestConnectionApi(ApiCrudIsolationCase):
    basename = "sso-api:connection"
    model = SsoConnection
    read_roles = ADMINS
    write_roles = ADMINS
    extra_url_names = ("sso-api:connection-test",)

    def make_object(self, organization: Any, members: dict[str, Any]) -> Any:
        return oidc_connection(organization, actor=members["admin"])

    def create_data(self, organization: Any, members: dict[str, Any]) -> dict[str, Any]:
        return {
            "name": "Okta",
            "protocol": "oidc",
            "oidc_issuer": "https://acme.okta.example",
            "oidc_client_id": "0oa-client",
            "client_secret": "very-secret",
        }

    def update_data(self, organization: Any, members: dict[str, Any], obj: Any) -> dict[str, Any]:
        return {"name": "Renamed", "group_role_map": [{"group": "g", "role": "auditor"}]}


class TestDomainApi(ApiCrudIsolationCase):
    basename = "sso-api:domain"
    model = SsoDomain
    read_roles = ADMINS
    write_roles = ADMINS
    actions = ("list", "retrieve", "create", "delete")
    extra_url_names = ("sso-api:domain-verify-dns", "sso-api:domain-send-verification-email")

    def make_object(self, organization: Any, members: dict[str, Any]) -> Any:
        return make_domain(organization)

    def create_data(self, organization: Any, members: dict[str, Any]) -> dict[str, Any]:
        return {"domain": f"new{next(_seq)}.example.org"}


class TestSsoPages(PageIsolationCase):
    pages = [
        Page("sso:index", read_roles=ADMINS),
        Page("sso:policy", read_roles=ADMINS, post_roles=ADMINS),
        Page("sso:connection_create", read_roles=ADMINS, post_roles=ADMINS),
        Page("sso:domains", read_roles=ADMINS, post_roles=ADMINS),
        Page("sso:signin", read_roles=ALL_ROLES),
    ]
    covered_models = (SsoPolicy,)
    # the policy API is a singleton (no list/detail pair): explicit tests in tests/sso/test_policy_api.py
    extra_url_names = ("sso-api:policy",)

    def post_data(self, page: Page, organization: Any, members: dict[str, Any], obj: Any) -> dict[str, Any]:
        if page.url_name == "sso:domains":
            return {"domain": "posted.example.com"}
        if page.url_name == "sso:connection_create":
            return {
                "protocol": "oidc",
                "name": "X",
                "key": "x",
                "oidc_issuer": "https://x.example",
                "oidc_client_id": "c",
            }
        return {"mfa_required": "on"}


class TestConnectionPages(PageIsolationCase):
    pages = [
        Page("sso:connection_detail", obj=True, read_roles=ADMINS),
        Page("sso:connection_edit", obj=True, read_roles=ADMINS, post_roles=ADMINS),
        Page("sso:connection_delete", obj=True, read_roles=ADMINS, post_roles=ADMINS),
        Page("sso:connection_test", obj=True, get=False, read_roles=ADMINS, post_roles=ADMINS),
    ]

    def make_object(self, organization: Any, members: dict[str, Any]) -> Any:
        return oidc_connection(organization, actor=members["admin"])

    def post_data(self, page: Page, organization: Any, members: dict[str, Any], obj: Any) -> dict[str, Any]:
        return {"name": "Edited", "oidc_issuer": "https://x.example", "oidc_client_id": "c", "oidc_scopes": "openid"}


class TestDomainPages(PageIsolationCase):
    pages = [
        Page("sso:domain_detail", obj=True, read_roles=ADMINS),
        Page("sso:domain_verify_dns", obj=True, get=False, read_roles=ADMINS, post_roles=ADMINS),
        Page("sso:domain_send_email", obj=True, get=False, read_roles=ADMINS, post_roles=ADMINS),
        Page("sso:domain_delete", obj=True, get=False, read_roles=ADMINS, post_roles=ADMINS),
    ]

    def make_object(self, organization: Any, members: dict[str, Any]) -> Any:
        return make_domain(organization)

    def post_data(self, page: Page, organization: Any, members: dict[str, Any], obj: Any) -> dict[str, Any]:
        return {"local_part": "admin"}
