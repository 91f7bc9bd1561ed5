"""The organization overview page: key counts scoped to the organization in the URL, the recent
audit events for audit readers only, a constant number of queries, and the Russian translation."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.audit.services import audit_record
from apps.core.tenancy import org_scope
from apps.organizations.models import Organization
from apps.organizations.selectors import RECENT_ACTIVITY_LIMIT, organization_overview
from tests.datasources.factories import DataAssessmentFactory, DataSourceFactory
from tests.registry.factories import RegisteredModelFactory
from tests.scorecards.factories import ScorecardFactory
from tests.usecases.factories import UseCaseFactory

pytestmark = pytest.mark.django_db


def dashboard_url(org: Organization) -> str:
    return reverse("org_dashboard", kwargs={"org_slug": org.slug})


def badge(html: str, attribute: str, value: str) -> int:
    """The count shown in the overview row marked ``data-<attribute>="<value>"``."""
    match = re.search(rf'data-{attribute}="{value}">.*?<span class="badge[^"]*">(\d+)</span>', html, re.S)
    assert match, f"no row data-{attribute}={value}"
    return int(match.group(1))


def populate(org: Organization, *, scale: int = 1) -> None:
    """Rows of every kind the overview counts; ``scale`` multiplies them (for the query budget)."""
    with org_scope(org):
        for _ in range(scale):
            ideation = UseCaseFactory(organization=org, phase="ideation")
            UseCaseFactory(organization=org, phase="ideation")
            development = UseCaseFactory(organization=org, phase="development")
            sources = [DataSourceFactory(organization=org) for _ in range(3)]
            DataAssessmentFactory(organization=org, use_case=ideation, data_source=sources[0])  # ready
            DataAssessmentFactory(organization=org, use_case=ideation, data_source=sources[1], relevance="partial")
            DataAssessmentFactory(organization=org, use_case=development, data_source=sources[2], relevance="no")
            RegisteredModelFactory(organization=org, status="proposed")
            RegisteredModelFactory(organization=org, status="proposed")
            RegisteredModelFactory(organization=org, status="approved")
            ScorecardFactory(organization=org, use_case=ideation)
            ScorecardFactory(organization=org, use_case=development, status="frozen")
            for step in range(3):
                audit_record(organization=org, actor=None, action=f"test.populated{step}", target_label=org.slug)


def populate_other(org: Organization) -> None:
    """Different numbers in another organization, so a leak changes every figure."""
    with org_scope(org):
        operation = UseCaseFactory(organization=org, phase="operation")
        for _ in range(4):
            source = DataSourceFactory(organization=org)
            DataAssessmentFactory(organization=org, use_case=operation, data_source=source, relevance="no")
            RegisteredModelFactory(organization=org, status="prohibited")
            ScorecardFactory(organization=org, use_case=operation, status="frozen")
        audit_record(organization=org, actor=None, action="other.secret", target_label="Other organization row")


def test_selector_counts_only_the_organizations_rows(
    org_a: Organization, org_b: Organization, members_a: dict[str, Any]
) -> None:
    populate(org_a)
    populate_other(org_b)
    with org_scope(org_a):
        overview = organization_overview(organization=org_a, include_activity=True)
    assert overview.member_count == 5
    assert overview.data_source_count == 3
    assert (overview.use_cases_by_phase.total, overview.use_cases_by_phase.get("ideation")) == (3, 2)
    assert overview.use_cases_by_phase.get("development") == 1
    assert overview.use_cases_by_phase.get("operation") == 0
    assert [(t.value, t.count) for t in overview.assessments_by_verdict.tallies] == [
        ("ready", 1),
        ("needs_work", 1),
        ("blocked", 1),
    ]
    assert overview.models_by_status.total == 3
    assert (overview.models_by_status.get("proposed"), overview.models_by_status.get("approved")) == (2, 1)
    assert overview.models_by_status.get("prohibited") == 0
    assert (overview.scorecards_by_status.get("draft"), overview.scorecards_by_status.get("frozen")) == (1, 1)
    assert overview.recent_activity is not None
    assert "other.secret" not in [e.action for e in overview.recent_activity]
    with org_scope(org_a):
        assert organization_overview(organization=org_a).recent_activity is None


def test_page_shows_the_counts_with_links_and_excludes_other_organizations(
    org_a: Organization,
    org_b: Organization,
    members_a: dict[str, Any],
    members_b: dict[str, Any],
    client_for: Callable[[Any], Client],
) -> None:
    populate(org_a)
    populate_other(org_b)
    response = client_for(members_a["viewer"]).get(dashboard_url(org_a))
    assert response.status_code == 200
    html = response.content.decode()
    assert "3 use cases" in html and "3 data sources" in html and "3 data assessments" in html
    assert "3 registered models" in html and "2 scorecards" in html and "5 members." in html
    assert badge(html, "phase", "ideation") == 2
    assert badge(html, "phase", "development") == 1
    assert badge(html, "phase", "operation") == 0
    assert [badge(html, "verdict", v) for v in ("ready", "needs_work", "blocked")] == [1, 1, 1]
    assert badge(html, "status", "proposed") == 2
    assert badge(html, "status", "prohibited") == 0
    assert badge(html, "status", "draft") == 1
    assert badge(html, "status", "frozen") == 1
    assert f'href="/o/{org_a.slug}/use-cases/?phase=development"' in html
    assert f'href="/o/{org_a.slug}/registry/?status=approved"' in html
    assert f'href="/o/{org_a.slug}/scorecards/?status=frozen"' in html
    assert f'href="/o/{org_a.slug}/data/"' in html
    assert "Organization B" not in html

    other = client_for(members_b["viewer"]).get(dashboard_url(org_b)).content.decode()
    assert "1 use case<" in other and "4 data sources" in other and "4 scorecards" in other
    assert badge(other, "verdict", "blocked") == 4 and badge(other, "verdict", "ready") == 0


def test_empty_organization_renders_zeroes(
    org_a: Organization, members_a: dict[str, Any], client_for: Callable[[Any], Client]
) -> None:
    html = client_for(members_a["contributor"]).get(dashboard_url(org_a)).content.decode()
    assert "0 use cases" in html and "0 data sources" in html and "0 registered models" in html
    assert "No data source has been assessed for a use case yet." in html
    assert 'data-verdict="' not in html


@pytest.mark.parametrize("role", ["auditor", "admin"])
def test_recent_activity_for_audit_readers(
    role: str,
    org_a: Organization,
    org_b: Organization,
    members_a: dict[str, Any],
    client_for: Callable[[Any], Client],
) -> None:
    populate_other(org_b)
    client = client_for(members_a[role])  # signing in records an event too: do it first
    with org_scope(org_a):
        for i in range(RECENT_ACTIVITY_LIMIT + 2):
            audit_record(
                organization=org_a, actor=members_a["contributor"], action=f"test.event{i}", target_label=f"T{i}"
            )
    html = client.get(dashboard_url(org_a)).content.decode()
    assert 'id="recent-activity"' in html and "Recent activity" in html
    assert f'href="/o/{org_a.slug}/audit/"' in html
    shown = re.findall(r"<code>([^<]+)</code>", html)
    # the newest eight, newest first
    assert shown == [f"test.event{i}" for i in range(RECENT_ACTIVITY_LIMIT + 1, 1, -1)]
    assert "contributor@a.test" in html or "Contributor A" in html
    assert "other.secret" not in html and "Other organization row" not in html


@pytest.mark.parametrize("role", ["viewer", "contributor", "approver"])
def test_no_recent_activity_without_the_audit_role(
    role: str, org_a: Organization, members_a: dict[str, Any], client_for: Callable[[Any], Client]
) -> None:
    with org_scope(org_a):
        audit_record(organization=org_a, actor=members_a["admin"], action="test.hidden", target_label="Hidden target")
    response = client_for(members_a[role]).get(dashboard_url(org_a))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="recent-activity"' not in html and "Recent activity" not in html
    assert "test.hidden" not in html and "Hidden target" not in html
    assert response.context["overview"].recent_activity is None


def test_query_count_does_not_grow_with_rows(
    org_a: Organization, members_a: dict[str, Any], client_for: Callable[[Any], Client]
) -> None:
    client = client_for(members_a["auditor"])
    populate(org_a)
    with CaptureQueriesContext(connection) as few:
        assert client.get(dashboard_url(org_a)).status_code == 200
    populate(org_a, scale=4)
    with CaptureQueriesContext(connection) as more:
        response = client.get(dashboard_url(org_a))
    assert response.status_code == 200
    assert response.context["overview"].use_cases_by_phase.total == 15
    assert len(response.context["overview"].recent_activity) == RECENT_ACTIVITY_LIMIT
    assert len(more) <= len(few), "overview queries grow with rows (N+1)"
    assert len(more) <= 16, [q["sql"] for q in more.captured_queries]


def test_russian_page_is_translated(
    org_a: Organization, members_a: dict[str, Any], client_for: Callable[[Any], Client]
) -> None:
    populate(org_a)
    client = client_for(members_a["auditor"])
    client.cookies["django_language"] = "ru"
    html = client.get(dashboard_url(org_a)).content.decode()
    assert 'lang="ru"' in html
    assert "Недавние действия" in html and "Весь журнал аудита" in html
    # plural forms: 3 → "сценария", 2 → "оценочные карты", 3 → "источника данных"
    assert "3 сценария использования" in html
    assert "2 оценочные карты" in html
    assert "3 источника данных" in html
    assert "3 зарегистрированные модели" in html
    assert "По этапу жизненного цикла" in html
    assert "Проработка идеи" in html  # the phase label, from the use-case catalog
    assert "Recent activity" not in html and "use cases" not in html
