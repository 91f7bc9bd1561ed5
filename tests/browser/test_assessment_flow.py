"""A contributor, working in Russian, answers the three questions for a data source and reads the
readiness verdict with its reasons, in Chromium."""

from __future__ import annotations

from typing import Any

import pytest
from django_scopes import scopes_disabled

from apps.core.tenancy import org_scope
from apps.datasources.models import DataAssessment
from tests.browser.conftest import shot
from tests.browser.test_usecase_flow import log_in
from tests.datasources.factories import DataSourceFactory
from tests.usecases.factories import UseCaseFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_contributor_assesses_a_data_source_in_russian(live_server: Any, page: Any, org_a: Any, members_a: Any) -> None:
    with org_scope(org_a):
        use_case = UseCaseFactory(organization=org_a, title="Черновики ответов клиентам")
        DataSourceFactory(
            organization=org_a, name="Обращения в поддержку", classification="confidential", contains_personal_data=True
        )
    log_in(page, live_server.url, members_a["contributor"].email)
    page.get_by_role("button", name="Русский").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "ru"

    page.goto(f"{live_server.url}/o/{org_a.slug}/use-cases/{use_case.pk}/")
    page.get_by_role("link", name="Оценить источник данных").click()
    page.wait_for_load_state()
    # the form is built around the three questions, in Russian
    legends = page.locator("fieldset[id^=q-] > legend").all_inner_texts()
    assert [legend.split(" ")[0] for legend in legends] == ["1.", "2.", "3."]
    assert "Релевантны" in legends[0] and "Доступны" in legends[1] and "Стандартизированы" in legends[2]

    # a negative cost is refused with a field error, and nothing is saved
    page.get_by_label("Источник данных").select_option(label="Обращения в поддержку")
    page.locator("input[name=extra_cost_monthly]").fill("-5")
    page.get_by_role("button", name="Сохранить оценку").click()
    page.wait_for_load_state()
    assert page.locator("input[name=extra_cost_monthly].is-invalid").is_visible()
    assert page.locator(".invalid-feedback").first.is_visible()
    with scopes_disabled():
        assert not DataAssessment.objects.exists()
    page.locator("input[name=extra_cost_monthly]").fill("300")
    page.locator("select[name=extra_cost_currency]").select_option("EUR")
    answers = {
        "relevance": "yes",
        "accessible_today": "yes",
        "access_status": "requested",
        "terms_permit_use": "not_applicable",
        "search_index": "vector",
        "meets_quality_standard": "partial",
        "contains_confidential": "yes",
        "anonymisation_required": "yes",
    }
    for name, value in answers.items():
        page.locator(f"input[name={name}][value={value}]").check()
    page.locator("input[name=preprocessing][value=anonymisation]").check()
    page.get_by_role("button", name="Сохранить оценку").click()
    page.wait_for_load_state()

    # the verdict and its reasons, in Russian
    main = page.locator("main")
    assert main.get_by_text("Требует доработки").first.is_visible()
    assert main.get_by_text("Доступ запрошен, но ещё не предоставлен.").is_visible()
    shot(page, "assessment-ru")
    with scopes_disabled():
        assessment = DataAssessment.objects.get()
    assert assessment.organization_id == org_a.pk and assessment.use_case_id == use_case.pk
    assert assessment.readiness.verdict == "needs_work"

    # the use case page rolls the verdict up
    page.goto(f"{live_server.url}/o/{org_a.slug}/use-cases/{use_case.pk}/")
    assert page.locator("main").get_by_text("Обращения в поддержку").first.is_visible()
    assert page.locator("main").get_by_text("Требует доработки").first.is_visible()
    assert page.console_errors == []
