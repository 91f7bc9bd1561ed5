"""Use-case pages: the contributor's journey, what a viewer and an auditor see, Russian, budgets."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from apps.core.tenancy import org_scope
from apps.usecases.models import PhaseTransition, UseCase
from tests.datasources.factories import DataAssessmentFactory
from tests.usecases.factories import PhaseTransitionFactory, UseCaseFactory

pytestmark = pytest.mark.django_db


def page(name: str, org: Any, **kwargs: Any) -> str:
    return reverse(f"usecases:{name}", kwargs={"org_slug": org.slug, **kwargs})


FORM = {
    "title": "Customer-support answer drafting",
    "business_problem": "Agents take 12 minutes per answer.",
    "expected_value": "Halve the handling time.",
    "business_unit": "Customer service",
    "status": "draft",
    "min_context_tokens": "32000",
    "max_latency_ms": "1500",
    "realtime": "on",
    "monthly_requests": "40000",
    "input_tokens_per_request": "3000",
    "output_tokens_per_request": "400",
    "monthly_budget": "2500,50",
    "budget_currency": "EUR",
    "languages": ["en", "ru"],
    "commercial_use": "on",
    "data_residency": "eu",
    "data_residency_note": "",
}


def test_contributor_creates_edits_and_moves_a_use_case(
    org_a: Any, members_a: Any, client_for: Callable[[Any], Any]
) -> None:
    client = client_for(members_a["contributor"])
    assert client.get(page("create", org_a)).status_code == 200
    r = client.post(page("create", org_a), {**FORM, "owner": members_a["viewer"].pk})
    assert r.status_code == 302, r.content.decode()[:2000]
    with org_scope(org_a):
        use_case = UseCase.objects.get()
    assert r["Location"] == page("detail", org_a, pk=use_case.pk)
    assert str(use_case.monthly_budget) == "2500.50"
    assert use_case.languages == ["en", "ru"] and use_case.realtime and use_case.owner == members_a["viewer"]

    r = client.post(page("edit", org_a, pk=use_case.pk), {**FORM, "title": "Answer drafting", "status": "active"})
    assert r.status_code == 302
    r = client.post(page("phase", org_a, pk=use_case.pk), {"to_phase": "development", "reason": "Pilot approved."})
    assert r.status_code == 302
    r = client.post(page("phase", org_a, pk=use_case.pk), {"to_phase": "ideation", "reason": "Data not ready."})
    assert r.status_code == 302

    html = client.get(page("detail", org_a, pk=use_case.pk)).content.decode()
    assert "Answer drafting" in html
    assert "Pilot approved." in html and "Data not ready." in html
    assert html.index("Pilot approved.") < html.index("Data not ready.")  # timeline in order
    assert "Development → Ideation" in html
    assert page("edit", org_a, pk=use_case.pk) in html


def test_form_errors_keep_the_input_and_create_nothing(
    org_a: Any, members_a: Any, client_for: Callable[[Any], Any]
) -> None:
    client = client_for(members_a["contributor"])
    r = client.post(page("create", org_a), {**FORM, "budget_currency": "", "data_residency": "other"})
    assert r.status_code == 200
    html = r.content.decode()
    assert "Give the currency of the budget." in html
    assert "Describe the data-residency constraint." in html
    assert "Agents take 12 minutes per answer." in html
    with scopes_disabled():
        assert not UseCase.objects.exists()


def test_phase_move_without_reason_is_refused(org_a: Any, members_a: Any, client_for: Callable[[Any], Any]) -> None:
    with org_scope(org_a):
        use_case = UseCaseFactory(organization=org_a)
    r = client_for(members_a["contributor"]).post(
        page("phase", org_a, pk=use_case.pk), {"to_phase": "operation", "reason": "   "}
    )
    assert r.status_code == 200
    with scopes_disabled():
        assert not PhaseTransition.objects.exists()
        assert UseCase.objects.get().phase == "ideation"


def test_viewer_reads_but_sees_no_write_controls(org_a: Any, members_a: Any, client_for: Callable[[Any], Any]) -> None:
    with org_scope(org_a):
        use_case = UseCaseFactory(organization=org_a)
    client = client_for(members_a["viewer"])
    list_html = client.get(page("list", org_a)).content.decode()
    assert use_case.title in list_html
    assert page("create", org_a) not in list_html
    html = client.get(page("detail", org_a, pk=use_case.pk)).content.decode()
    assert use_case.title in html
    for name in ("edit", "phase", "delete"):
        assert page(name, org_a, pk=use_case.pk) not in html
    assert reverse("datasources:assessment_create", kwargs={"org_slug": org_a.slug, "pk": use_case.pk}) not in html
    assert 'id="history-heading"' not in html
    assert (
        client.post(page("phase", org_a, pk=use_case.pk), {"to_phase": "operation", "reason": "x"}).status_code == 403
    )
    assert client.post(page("delete", org_a, pk=use_case.pk)).status_code == 403
    with scopes_disabled():
        assert UseCase.objects.filter(pk=use_case.pk, phase="ideation").exists()


@pytest.mark.parametrize("role", ["auditor", "admin"])
def test_auditor_sees_the_history(role: str, org_a: Any, members_a: Any, client_for: Callable[[Any], Any]) -> None:
    contributor = client_for(members_a["contributor"])
    contributor.post(page("create", org_a), FORM)
    with org_scope(org_a):
        use_case = UseCase.objects.get()
    contributor.post(page("phase", org_a, pk=use_case.pk), {"to_phase": "operation", "reason": "Vendor product."})
    html = client_for(members_a[role]).get(page("detail", org_a, pk=use_case.pk)).content.decode()
    assert 'id="history-heading"' in html
    assert "usecase.created" in html and "usecase.phase_changed" in html
    assert "Vendor product." in html
    assert members_a["contributor"].email in html
    assert page("edit", org_a, pk=use_case.pk) not in html  # auditors never modify


def test_pages_in_russian(org_a: Any, members_a: Any, client_for: Callable[[Any], Any]) -> None:
    with org_scope(org_a):
        use_case = UseCaseFactory(organization=org_a, languages=["de"])
        PhaseTransitionFactory(organization=org_a, use_case=use_case)
    client = client_for(members_a["contributor"])
    client.cookies["django_language"] = "ru"
    html = client.get(page("detail", org_a, pk=use_case.pk)).content.decode()
    assert "Требования" in html  # "Requirements"
    assert "Немецкий" in html  # German, from Django's catalog
    assert "Разработка" in html  # "Development"
    form = client.get(page("create", org_a)).content.decode()
    assert "Бизнес-задача" in form


def test_list_page_query_count_is_constant(
    org_a: Any, members_a: Any, client_for: Callable[[Any], Any], django_assert_max_num_queries: Any
) -> None:
    client = client_for(members_a["viewer"])

    def add(n: int) -> None:
        with org_scope(org_a):
            for _ in range(n):
                use_case = UseCaseFactory(organization=org_a, owner=members_a["contributor"])
                DataAssessmentFactory(organization=org_a, use_case=use_case)
                DataAssessmentFactory(organization=org_a, use_case=use_case)

    add(1)
    with django_assert_max_num_queries(14):
        assert client.get(page("list", org_a)).status_code == 200
    add(12)
    with django_assert_max_num_queries(14):
        r = client.get(page("list", org_a) + "?phase=ideation")
    assert r.status_code == 200
    assert r.content.decode().count('href="/o/org-a/use-cases/') >= 13
