"""Isolation and role tests for every use-case route (tests/generic.py)."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from apps.core.permissions import CONTRIBUTORS
from apps.core.tenancy import org_scope
from apps.usecases.models import PhaseTransition, UseCase
from tests.generic import ApiCrudIsolationCase, Page, PageIsolationCase, audit_count
from tests.usecases.factories import PhaseTransitionFactory, UseCaseFactory

_counter = itertools.count()


class TestUseCaseApi(ApiCrudIsolationCase):
    basename = "usecases-api:usecase"
    model = UseCase
    write_roles = CONTRIBUTORS
    list_query_budget = 8
    extra_url_names = ("usecases-api:usecase-move-phase",)

    def make_object(self, organization: Any, members: dict[str, Any]) -> Any:
        return UseCaseFactory(organization=organization, owner=members["contributor"])

    def create_data(self, organization: Any, members: dict[str, Any]) -> dict[str, Any]:
        return {
            "title": f"Contract clause extraction {next(_counter)}",
            "business_problem": "Lawyers read every contract for risky clauses.",
            "owner": members["contributor"].pk,
            "languages": ["en", "ru"],
            "min_context_tokens": 128000,
            "monthly_budget": "1500.00",
            "budget_currency": "EUR",
        }

    def update_data(self, organization: Any, members: dict[str, Any], obj: Any) -> dict[str, Any]:
        return {"title": f"Renamed {next(_counter)}", "status": "active"}

    def foreign_fk_data(
        self, organization: Any, members: dict[str, Any], other_org: Any, other_members: dict[str, Any]
    ) -> list[dict[str, Any]]:
        return [{"owner": other_members["contributor"].pk}, {"owner": members["outsider"].pk}]


class TestPhaseTransitionApi(ApiCrudIsolationCase):
    basename = "usecases-api:phasetransition"
    model = PhaseTransition
    actions = ("list", "retrieve")
    list_query_budget = 6

    def make_object(self, organization: Any, members: dict[str, Any]) -> Any:
        return PhaseTransitionFactory(organization=organization, actor=members["contributor"])


class TestUseCasePages(PageIsolationCase):
    pages = [
        Page("usecases:list"),
        Page("usecases:create", read_roles=CONTRIBUTORS, post_roles=CONTRIBUTORS),
        Page("usecases:detail", obj=True),
        Page("usecases:edit", obj=True, read_roles=CONTRIBUTORS, post_roles=CONTRIBUTORS),
        Page("usecases:phase", obj=True, read_roles=CONTRIBUTORS, post_roles=CONTRIBUTORS),
        Page("usecases:delete", obj=True, read_roles=CONTRIBUTORS, post_roles=CONTRIBUTORS),
    ]

    def make_object(self, organization: Any, members: dict[str, Any]) -> Any:
        return UseCaseFactory(organization=organization, owner=members["contributor"])

    def post_data(self, page: Page, organization: Any, members: dict[str, Any], obj: Any) -> dict[str, Any]:
        if page.url_name == "usecases:phase":
            return {"to_phase": "development", "reason": "Go"}
        return {"title": "X", "business_problem": "Y", "status": "draft", "data_residency": "none"}


# --- the move-phase action ------------------------------------------------------------------------


def move_url(org: Any, use_case: Any) -> str:
    return reverse("usecases-api:usecase-move-phase", kwargs={"org_slug": org.slug, "pk": use_case.pk})


BODY = {"to_phase": "development", "reason": "The prototype is approved."}


@pytest.fixture
def use_cases(org_a: Any, members_a: Any, org_b: Any, members_b: Any) -> tuple[Any, Any]:
    with org_scope(org_a):
        mine = UseCaseFactory(organization=org_a)
    with org_scope(org_b):
        theirs = UseCaseFactory(organization=org_b)
    return mine, theirs


def test_move_phase_anonymous_is_refused(org_a: Any, use_cases: Any, api_client_for: Callable[[Any], Any]) -> None:
    assert api_client_for(None).post(move_url(org_a, use_cases[0]), BODY, format="json").status_code in (401, 403)


def test_move_phase_non_member_gets_404(
    org_a: Any, members_a: Any, members_b: Any, use_cases: Any, api_client_for: Callable[[Any], Any]
) -> None:
    for user in (members_a["outsider"], members_b["contributor"]):
        before = audit_count(org_a)
        assert api_client_for(user).post(move_url(org_a, use_cases[0]), BODY, format="json").status_code == 404
        assert audit_count(org_a) == before


def test_move_phase_other_orgs_use_case_is_404(
    org_a: Any, members_a: Any, use_cases: Any, api_client_for: Callable[[Any], Any]
) -> None:
    client = api_client_for(members_a["contributor"])
    assert client.post(move_url(org_a, use_cases[1]), BODY, format="json").status_code == 404
    with scopes_disabled():
        assert UseCase.objects.get(pk=use_cases[1].pk).phase == "ideation"


@pytest.mark.parametrize("role", ["admin", "approver", "auditor", "viewer"])
def test_move_phase_needs_contributor(
    role: str, org_a: Any, members_a: Any, use_cases: Any, api_client_for: Callable[[Any], Any]
) -> None:
    before = audit_count(org_a)
    assert api_client_for(members_a[role]).post(move_url(org_a, use_cases[0]), BODY, format="json").status_code == 403
    assert audit_count(org_a) == before


def test_move_phase_by_contributor(
    org_a: Any, members_a: Any, use_cases: Any, api_client_for: Callable[[Any], Any]
) -> None:
    before = audit_count(org_a)
    r = api_client_for(members_a["contributor"]).post(move_url(org_a, use_cases[0]), BODY, format="json")
    assert r.status_code == 201, r.content
    assert r.json()["from_phase"] == "ideation" and r.json()["to_phase"] == "development"
    assert audit_count(org_a) == before + 1
