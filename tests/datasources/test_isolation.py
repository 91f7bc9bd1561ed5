"""Isolation and role tests for every data-inventory and assessment route (tests/generic.py)."""

from __future__ import annotations

import io
import itertools
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from apps.core.permissions import CONTRIBUTORS
from apps.core.tenancy import org_scope
from apps.datasources.models import DataAssessment, DataSource, Tag
from tests.datasources.factories import DataAssessmentFactory, DataSourceFactory, TagFactory
from tests.generic import ApiCrudIsolationCase, Page, PageIsolationCase, audit_count
from tests.usecases.factories import UseCaseFactory

_counter = itertools.count()


class TestDataSourceApi(ApiCrudIsolationCase):
    basename = "datasources-api:datasource"
    model = DataSource
    write_roles = CONTRIBUTORS
    list_query_budget = 8
    covered_models = (Tag,)
    extra_url_names = (
        "datasources-api:datasource-import",
        "datasources-api:datasource-export",
        "datasources-api:datasource-import-template",
    )

    def make_object(self, organization: Any, members: dict[str, Any]) -> Any:
        source = DataSourceFactory(organization=organization, owner=members["contributor"])
        source.tags.add(TagFactory(organization=organization))
        return source

    def create_data(self, organization: Any, members: dict[str, Any]) -> dict[str, Any]:
        return {
            "name": f"Support tickets {next(_counter)}",
            "origin": "internal",
            "classification": "confidential",
            "contains_personal_data": True,
            "personal_data_categories": ["contact"],
            "owner": members["contributor"].pk,
            "tags": ["support", "tickets"],
        }

    def update_data(self, organization: Any, members: dict[str, Any], obj: Any) -> dict[str, Any]:
        return {"description": "Updated", "tags": ["changed"]}

    def foreign_fk_data(
        self, organization: Any, members: dict[str, Any], other_org: Any, other_members: dict[str, Any]
    ) -> list[dict[str, Any]]:
        return [{"owner": other_members["viewer"].pk}, {"owner": members["outsider"].pk}]


class TestDataAssessmentApi(ApiCrudIsolationCase):
    basename = "datasources-api:assessment"
    model = DataAssessment
    write_roles = CONTRIBUTORS
    list_query_budget = 6

    def make_object(self, organization: Any, members: dict[str, Any]) -> Any:
        return DataAssessmentFactory(organization=organization)

    def create_data(self, organization: Any, members: dict[str, Any]) -> dict[str, Any]:
        with org_scope(organization):
            use_case = UseCaseFactory(organization=organization)
            source = DataSourceFactory(organization=organization)
        return {"use_case": use_case.pk, "data_source": source.pk, "relevance": "yes", "preprocessing": ["ocr"]}

    def update_data(self, organization: Any, members: dict[str, Any], obj: Any) -> dict[str, Any]:
        return {"relevance": "partial", "relevance_rationale": "Only 2019 onwards."}

    def foreign_fk_data(
        self, organization: Any, members: dict[str, Any], other_org: Any, other_members: dict[str, Any]
    ) -> list[dict[str, Any]]:
        with org_scope(other_org):
            use_case = UseCaseFactory(organization=other_org)
            source = DataSourceFactory(organization=other_org)
        return [{"use_case": use_case.pk}, {"data_source": source.pk}]


class TestDataSourcePages(PageIsolationCase):
    pages = [
        Page("datasources:list"),
        Page("datasources:create", read_roles=CONTRIBUTORS, post_roles=CONTRIBUTORS),
        Page("datasources:import", read_roles=CONTRIBUTORS, post_roles=CONTRIBUTORS),
        Page("datasources:import_template", extra_kwargs={"kind": "xlsx"}),
        Page("datasources:export", extra_kwargs={"kind": "csv"}),
        Page("datasources:detail", obj=True),
        Page("datasources:edit", obj=True, read_roles=CONTRIBUTORS, post_roles=CONTRIBUTORS),
        Page("datasources:delete", obj=True, read_roles=CONTRIBUTORS, post_roles=CONTRIBUTORS),
    ]

    def make_object(self, organization: Any, members: dict[str, Any]) -> Any:
        return DataSourceFactory(organization=organization)

    def post_data(self, page: Page, organization: Any, members: dict[str, Any], obj: Any) -> dict[str, Any]:
        return {"name": "X", "origin": "internal", "classification": "public"}


class TestAssessmentPages(PageIsolationCase):
    pages = [
        Page("datasources:assessment_detail", obj=True),
        Page("datasources:assessment_edit", obj=True, read_roles=CONTRIBUTORS, post_roles=CONTRIBUTORS),
        Page("datasources:assessment_delete", obj=True, read_roles=CONTRIBUTORS, post_roles=CONTRIBUTORS),
    ]

    def make_object(self, organization: Any, members: dict[str, Any]) -> Any:
        return DataAssessmentFactory(organization=organization)

    def post_data(self, page: Page, organization: Any, members: dict[str, Any], obj: Any) -> dict[str, Any]:
        return {"relevance": "no"}


class TestAssessmentCreatePage(PageIsolationCase):
    """``assess/<use case pk>/``: the object in the URL is the use case."""

    pages = [Page("datasources:assessment_create", obj=True, read_roles=CONTRIBUTORS, post_roles=CONTRIBUTORS)]

    def make_object(self, organization: Any, members: dict[str, Any]) -> Any:
        DataSourceFactory(organization=organization)
        return UseCaseFactory(organization=organization)

    def post_data(self, page: Page, organization: Any, members: dict[str, Any], obj: Any) -> dict[str, Any]:
        return {"relevance": "yes"}


# --- the file actions of the API ----------------------------------------------------------------------


def action_url(org: Any, name: str) -> str:
    return reverse(f"datasources-api:datasource-{name}", kwargs={"org_slug": org.slug})


CSV = b"name,origin,classification,contains_personal_data\nWiki,internal,internal,no\n"


def upload() -> io.BytesIO:
    f = io.BytesIO(CSV)
    f.name = "inventory.csv"
    return f


@pytest.fixture
def sources(org_a: Any, members_a: Any, org_b: Any, members_b: Any) -> tuple[Any, Any]:
    with org_scope(org_a):
        mine = DataSourceFactory(organization=org_a, name="Mine")
    with org_scope(org_b):
        theirs = DataSourceFactory(organization=org_b, name="=Theirs")
    return mine, theirs


def test_file_actions_refuse_anonymous(org_a: Any, sources: Any, api_client_for: Callable[[Any], Any]) -> None:
    client = api_client_for(None)
    assert client.get(action_url(org_a, "export")).status_code in (401, 403)
    assert client.get(action_url(org_a, "import-template")).status_code in (401, 403)
    assert client.post(action_url(org_a, "import"), {"file": upload()}, format="multipart").status_code in (401, 403)


def test_file_actions_non_member_gets_404(
    org_a: Any, members_a: Any, members_b: Any, sources: Any, api_client_for: Callable[[Any], Any]
) -> None:
    for user in (members_a["outsider"], members_b["admin"]):
        client = api_client_for(user)
        assert client.get(action_url(org_a, "export")).status_code == 404
        assert client.get(action_url(org_a, "import-template")).status_code == 404
        before = audit_count(org_a)
        assert client.post(action_url(org_a, "import"), {"file": upload()}, format="multipart").status_code == 404
        assert audit_count(org_a) == before


@pytest.mark.parametrize("role", ["admin", "contributor", "approver", "auditor", "viewer"])
def test_export_and_template_for_every_member_and_only_own_rows(
    role: str, org_a: Any, members_a: Any, sources: Any, api_client_for: Callable[[Any], Any]
) -> None:
    client = api_client_for(members_a[role])
    r = client.get(action_url(org_a, "export"))
    assert r.status_code == 200
    body = r.content.decode("utf-8-sig")
    assert "Mine" in body and "Theirs" not in body
    assert client.get(action_url(org_a, "import-template") + "?file_format=xlsx").status_code == 200


@pytest.mark.parametrize("role", ["admin", "approver", "auditor", "viewer"])
def test_import_needs_contributor(
    role: str, org_a: Any, members_a: Any, sources: Any, api_client_for: Callable[[Any], Any]
) -> None:
    before = audit_count(org_a)
    r = api_client_for(members_a[role]).post(action_url(org_a, "import"), {"file": upload()}, format="multipart")
    assert r.status_code == 403
    assert audit_count(org_a) == before


def test_import_by_contributor_lands_in_own_org_only(
    org_a: Any, org_b: Any, members_a: Any, sources: Any, api_client_for: Callable[[Any], Any]
) -> None:
    r = api_client_for(members_a["contributor"]).post(
        action_url(org_a, "import"), {"file": upload(), "organization": org_b.pk}, format="multipart"
    )
    assert r.status_code == 201, r.content
    with scopes_disabled():
        assert DataSource.objects.get(name="Wiki").organization_id == org_a.pk
        assert not DataSource.objects.filter(organization=org_b, name="Wiki").exists()
