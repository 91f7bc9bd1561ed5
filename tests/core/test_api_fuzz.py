"""Property-based fuzzing of the whole REST API with schemathesis: whatever a client sends — bodies,
query strings and path values generated from the OpenAPI schema, valid and invalid — the API never
answers with a server error (non-negotiable 6: bad input gets a 4xx with the uniform error body, never
a 500).

The requests go through the real Django app (in process, WSGI) to the real PostgreSQL, authenticated
with a real API token of a member who holds every role, so write endpoints are exercised too. The
examples are derandomized: a run is repeatable, and a 500 on any of them fails the test for that
operation.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error

from apps.accounts.services import api_token_create
from apps.core.tenancy import org_scope
from apps.organizations.models import Membership, Role
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def keep_test_connection() -> Iterator[None]:
    """The requests call the WSGI app directly, whose request signals would close the test's database
    connection (and its transaction) after each request; Django's own test client switches that off too."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def fuzz_identity(db: Any, keep_test_connection: None) -> dict[str, Any]:
    organization = OrganizationFactory(slug="fuzz", name="Fuzz Org")
    user = UserFactory(email="everything@fuzz.test")
    with org_scope(organization):
        membership = Membership(organization=organization, user=user)
        membership.set_roles(list(Role.values))
        membership.save()
        _token, raw = api_token_create(organization=organization, actor=user, name="fuzz")
    return {"organization": organization, "headers": {"Authorization": f"Token {raw}"}}


def _operations() -> list[Any]:
    """Every operation of the schema, generated the way /api/schema/ generates it (collection time has no
    database, so not through a request), served by the app itself in process."""
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    from config.wsgi import application

    document = json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True)))
    schema = schemathesis.openapi.from_dict(document)
    schema.app = application
    return [result.ok() for result in schema.get_all_operations()]


OPERATIONS = _operations()


@pytest.mark.parametrize("operation", OPERATIONS, ids=[operation.label for operation in OPERATIONS])
def test_the_api_never_answers_with_a_server_error(operation: Any, fuzz_identity: dict[str, Any]) -> None:
    @given(case=operation.as_strategy())
    @hypothesis_settings(
        max_examples=8,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        if "org_slug" in (case.path_parameters or {}):
            case.path_parameters["org_slug"] = fuzz_identity["organization"].slug
        response = case.call(headers=fuzz_identity["headers"])
        case.validate_response(response, checks=[not_a_server_error])

    run()
