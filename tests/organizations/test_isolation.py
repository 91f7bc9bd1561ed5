from __future__ import annotations

from typing import Any

from django.utils import timezone

from apps.accounts.models import ApiToken, hash_token
from apps.core.permissions import ADMINS, ALL_ROLES, AUDIT_READERS
from apps.organizations.models import Invitation, Membership
from tests.factories import MembershipFactory, UserFactory
from tests.generic import ApiCrudIsolationCase, Page, PageIsolationCase


class TestMembershipApi(ApiCrudIsolationCase):
    basename = "organizations-api:membership"
    model = Membership
    write_roles = ADMINS
    actions = ("list", "retrieve", "update", "delete")
    list_query_budget = 8
    # the organization's own detail route: tests/organizations/test_api.py::test_org_detail_update_is_admin_only
    extra_url_names = ("api_org_detail",)

    def make_object(self, organization: Any, members: dict[str, Any]) -> Any:
        return MembershipFactory(organization=organization, user=UserFactory())

    def update_data(self, organization: Any, members: dict[str, Any], obj: Any) -> dict[str, Any]:
        return {"roles": ["contributor", "approver"]}


class TestInvitationApi(ApiCrudIsolationCase):
    basename = "organizations-api:invitation"
    model = Invitation
    read_roles = ADMINS
    write_roles = ADMINS
    actions = ("list", "retrieve", "create", "delete")
    list_query_budget = 8

    def make_object(self, organization: Any, members: dict[str, Any]) -> Any:
        return Invitation.objects.create(
            organization=organization, email=f"inv{Invitation.objects.count()}@x.test", roles=["viewer"]
        )

    def create_data(self, organization: Any, members: dict[str, Any]) -> dict[str, Any]:
        return {"email": f"new{timezone.now().timestamp()}@x.test", "roles": ["viewer"]}


class TestOrganizationPages(PageIsolationCase):
    pages = [
        Page("org_dashboard"),
        Page("org_members"),
        Page("org_settings", read_roles=ADMINS, post_roles=ADMINS),
        Page("org_member_edit", obj=True, read_roles=ADMINS, post_roles=ADMINS),
        Page("org_member_remove", obj=True, read_roles=ADMINS, post_roles=ADMINS),
        Page("org_invitation_create", get=False, read_roles=ADMINS, post_roles=ADMINS),
        Page("org_tokens", read_roles=ALL_ROLES, post_roles=ALL_ROLES),
        Page("audit:log", read_roles=AUDIT_READERS),
    ]
    covered_models = (Membership,)

    def make_object(self, organization: Any, members: dict[str, Any]) -> Any:
        return MembershipFactory(organization=organization, user=UserFactory())

    def post_data(self, page: Page, organization: Any, members: dict[str, Any], obj: Any) -> dict[str, Any]:
        if page.url_name == "org_member_edit":
            return {"roles": ["viewer"]}
        if page.url_name == "org_invitation_create":
            return {"email": "someone@x.test", "roles": ["viewer"]}
        return {"name": "Renamed", "description": ""}


class TestInvitationRevokePage(PageIsolationCase):
    pages = [Page("org_invitation_revoke", obj=True, get=False, read_roles=ADMINS, post_roles=ADMINS)]

    def make_object(self, organization: Any, members: dict[str, Any]) -> Any:
        return Invitation.objects.create(organization=organization, email="p@x.test", roles=["viewer"])


class TestTokenRevokePage(PageIsolationCase):
    pages = [Page("org_token_revoke", obj=True, get=False, read_roles=ALL_ROLES, post_roles=ALL_ROLES)]
    covered_models = (ApiToken,)

    def make_object(self, organization: Any, members: dict[str, Any]) -> Any:
        return ApiToken.objects.create(
            organization=organization,
            user=members["viewer"],
            name="t",
            key_prefix="chr_x",
            key_hash=hash_token(f"{organization.pk}-{timezone.now().timestamp()}"),
        )
