"""Shared fixtures: two organizations with a member of every role each, logged-in clients."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client
from django.utils import translation
from rest_framework.test import APIClient

from apps.core.tenancy import org_scope
from apps.organizations.models import Membership, Organization, Role
from tests.factories import OrganizationFactory, UserFactory

ROLES: tuple[str, ...] = tuple(Role.values)


def _flush_as_superuser() -> None:
    """Transactional tests empty the tables with TRUNCATE between tests, which the audit table's
    trigger refuses (as it should for the application). The test role is the PostgreSQL superuser,
    which may switch triggers off for its session: do that around the test runner's flush only."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    original = DatabaseOperations.execute_sql_flush

    def execute_sql_flush(self: Any, sql_list: list[str]) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")
        try:
            original(self, sql_list)
        finally:
            with self.connection.cursor() as cursor:
                cursor.execute("SET session_replication_role = DEFAULT")

    DatabaseOperations.execute_sql_flush = execute_sql_flush  # type: ignore[method-assign]


_flush_as_superuser()


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Each test starts in the default language. The locale middleware activates the request's
    language on the test's thread and nothing switches it back, so without this a Russian page
    request would leak into whichever test the worker runs next."""
    translation.activate("en")
    yield
    translation.deactivate()


def _members(org: Organization, prefix: str) -> dict[str, Any]:
    members: dict[str, Any] = {}
    with org_scope(org):
        for role in ROLES:
            user = UserFactory(email=f"{role}@{prefix}.test", full_name=f"{role.title()} {prefix.upper()}")
            m = Membership(organization=org, user=user)
            m.set_roles([role])
            m.save()
            members[role] = user
    members["outsider"] = UserFactory(email=f"outsider@{prefix}.test")
    return members


@pytest.fixture
def org_a(db: Any) -> Organization:
    return OrganizationFactory(slug="org-a", name="Organization A")


@pytest.fixture
def org_b(db: Any) -> Organization:
    return OrganizationFactory(slug="org-b", name="Organization B")


@pytest.fixture
def members_a(org_a: Organization) -> dict[str, Any]:
    return _members(org_a, "a")


@pytest.fixture
def members_b(org_b: Organization) -> dict[str, Any]:
    return _members(org_b, "b")


@pytest.fixture
def client_for(db: Any) -> Callable[[Any], Client]:
    def make(user: Any) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def api_client_for(db: Any) -> Callable[[Any], APIClient]:
    def make(user: Any) -> APIClient:
        client = APIClient()
        if user is not None:
            client.force_authenticate(user=user)
        return client

    return make
