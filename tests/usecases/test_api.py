"""Use-case API beyond the generic isolation cases: representation, validation, filters, budgets."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from apps.core.tenancy import org_scope
from tests.datasources.factories import DataAssessmentFactory, DataSourceFactory
from tests.usecases.factories import PhaseTransitionFactory, UseCaseFactory

pytestmark = pytest.mark.django_db


def list_url(org: Any) -> str:
    return reverse("usecases-api:usecase-list", kwargs={"org_slug": org.slug})


def detail_url(org: Any, pk: int) -> str:
    return reverse("usecases-api:usecase-detail", kwargs={"org_slug": org.slug, "pk": pk})


def test_representation_has_derived_values(org_a: Any, members_a: Any, api_client_for: Callable[[Any], Any]) -> None:
    with org_scope(org_a):
        use_case = UseCaseFactory(
            organization=org_a, monthly_requests=1000, input_tokens_per_request=500, output_tokens_per_request=200
        )
        DataAssessmentFactory(
            organization=org_a,
            use_case=use_case,
            contains_confidential="yes",
            data_source=DataSourceFactory(organization=org_a, classification="restricted"),
        )
        DataAssessmentFactory(
            organization=org_a,
            use_case=use_case,
            relevance="no",
            data_source=DataSourceFactory(organization=org_a, classification="public"),
        )
    body = api_client_for(members_a["viewer"]).get(detail_url(org_a, use_case.pk)).json()
    assert body["highest_classification"] == "restricted"
    assert body["readiness"]["verdict"] == "blocked"
    assert body["readiness"]["counts"] == {"ready": 1, "needs_work": 0, "blocked": 1}
    assert body["monthly_input_tokens"] == 500_000 and body["monthly_output_tokens"] == 200_000
    assert body["phase"] == "ideation"


def test_phase_is_read_only_in_the_body(org_a: Any, members_a: Any, api_client_for: Callable[[Any], Any]) -> None:
    with org_scope(org_a):
        use_case = UseCaseFactory(organization=org_a)
    r = api_client_for(members_a["contributor"]).patch(
        detail_url(org_a, use_case.pk), {"phase": "operation"}, format="json"
    )
    assert r.status_code == 200
    assert r.json()["phase"] == "ideation"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"monthly_budget": "100"}, "budget_currency"),
        ({"data_residency": "other"}, "data_residency_note"),
        ({"languages": ["xx"]}, "languages"),
        ({"min_context_tokens": -5}, "min_context_tokens"),
        ({"max_latency_ms": "fast"}, "max_latency_ms"),
        ({"title": ""}, "title"),
    ],
)
def test_bad_input_is_a_400_with_the_field(
    org_a: Any, members_a: Any, api_client_for: Callable[[Any], Any], body: Any, field: str
) -> None:
    payload = {"title": "Knowledge search", "business_problem": "Nobody finds the policies.", **body}
    r = api_client_for(members_a["contributor"]).post(list_url(org_a), payload, format="json")
    assert r.status_code == 400, r.content
    error = r.json()["error"]
    assert error["code"] == "invalid"
    assert field in error["fields"]


def test_duplicate_title_is_a_400(org_a: Any, members_a: Any, api_client_for: Callable[[Any], Any]) -> None:
    client = api_client_for(members_a["contributor"])
    payload = {"title": "Knowledge search", "business_problem": "x"}
    assert client.post(list_url(org_a), payload, format="json").status_code == 201
    r = client.post(list_url(org_a), {**payload, "title": "knowledge SEARCH"}, format="json")
    assert r.status_code == 400
    assert "title" in r.json()["error"]["fields"]


def test_move_phase_validation(org_a: Any, members_a: Any, api_client_for: Callable[[Any], Any]) -> None:
    with org_scope(org_a):
        use_case = UseCaseFactory(organization=org_a)
    url = reverse("usecases-api:usecase-move-phase", kwargs={"org_slug": org_a.slug, "pk": use_case.pk})
    client = api_client_for(members_a["contributor"])
    r = client.post(url, {"to_phase": "ideation", "reason": "same"}, format="json")
    assert r.status_code == 400 and "to_phase" in r.json()["error"]["fields"]
    r = client.post(url, {"to_phase": "operation"}, format="json")
    assert r.status_code == 400 and "reason" in r.json()["error"]["fields"]
    r = client.post(url, {"to_phase": "operation", "reason": "Bought a product"}, format="json")
    assert r.status_code == 201
    history = client.get(
        reverse("usecases-api:phasetransition-list", kwargs={"org_slug": org_a.slug}) + f"?use_case={use_case.pk}"
    ).json()["results"]
    assert [(h["from_phase"], h["to_phase"], h["reason"]) for h in history] == [
        ("ideation", "operation", "Bought a product")
    ]


def test_filters(org_a: Any, members_a: Any, api_client_for: Callable[[Any], Any]) -> None:
    with org_scope(org_a):
        a = UseCaseFactory(
            organization=org_a, title="Contract clause extraction", owner=members_a["contributor"], status="active"
        )
        b = UseCaseFactory(organization=org_a, title="Internal knowledge search", phase="operation")
        DataAssessmentFactory(
            organization=org_a,
            use_case=b,
            data_source=DataSourceFactory(organization=org_a, classification="confidential"),
        )
    client = api_client_for(members_a["viewer"])

    def ids(query: str) -> set[int]:
        return {r["id"] for r in client.get(list_url(org_a) + query).json()["results"]}

    assert ids("?q=clause") == {a.pk}
    assert ids("?phase=operation") == {b.pk}
    assert ids("?status=active") == {a.pk}
    assert ids(f"?owner={members_a['contributor'].pk}") == {a.pk}
    assert ids("?highest_classification=confidential") == {b.pk}
    assert client.get(list_url(org_a) + "?phase=production").status_code == 400


def test_list_query_count_does_not_grow_with_assessments_and_history(
    org_a: Any, members_a: Any, api_client_for: Callable[[Any], Any], django_assert_max_num_queries: Any
) -> None:
    def add(n: int) -> None:
        with org_scope(org_a):
            for _ in range(n):
                use_case = UseCaseFactory(organization=org_a, owner=members_a["contributor"])
                PhaseTransitionFactory(organization=org_a, use_case=use_case, actor=members_a["contributor"])
                for _ in range(3):
                    DataAssessmentFactory(organization=org_a, use_case=use_case)

    client = api_client_for(members_a["viewer"])
    add(1)
    with django_assert_max_num_queries(6):
        assert client.get(list_url(org_a)).status_code == 200
    add(10)
    with django_assert_max_num_queries(6):
        r = client.get(list_url(org_a))
    assert len(r.json()["results"]) == 11
