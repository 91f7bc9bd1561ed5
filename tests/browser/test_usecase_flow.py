"""A contributor records a use case and moves it back and forth between phases, in Chromium."""

from __future__ import annotations

from typing import Any

import pytest
from django_scopes import scopes_disabled

from apps.usecases.models import PhaseTransition, UseCase
from tests.browser.conftest import shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_load_state()


def test_contributor_records_a_use_case_and_moves_its_phase(
    live_server: Any, page: Any, org_a: Any, members_a: Any
) -> None:
    log_in(page, live_server.url, members_a["contributor"].email)
    page.goto(f"{live_server.url}/o/{org_a.slug}/use-cases/")
    page.get_by_role("link", name="New use case").first.click()
    # an empty title is refused with a field error, and nothing is saved
    page.get_by_role("button", name="Save").click()
    assert page.locator(".invalid-feedback").first.is_visible()
    page.get_by_label("Title").fill("Contract clause extraction")
    page.get_by_label("Business problem").fill("Lawyers spend hours finding indemnity clauses.")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Contract clause extraction").is_visible()

    # a non-linear move: Ideation → Development → Ideation, each with a reason
    for phase, reason in (("Development", "Prototype approved"), ("Ideation", "Back to data sourcing")):
        page.get_by_role("link", name="Move phase").click()
        page.get_by_label("Move to").select_option(label=phase)
        page.get_by_label("Reason").fill(reason)
        page.get_by_role("button", name="Move", exact=True).click()
        page.wait_for_load_state()
        assert page.get_by_text(reason).first.is_visible()
    shot(page, "usecase-timeline")
    with scopes_disabled():
        use_case = UseCase.objects.get(title="Contract clause extraction")
        moves = list(PhaseTransition.objects.filter(use_case=use_case).order_by("pk").values_list("to_phase", "reason"))
    assert use_case.organization_id == org_a.pk
    assert moves[-2:] == [("development", "Prototype approved"), ("ideation", "Back to data sourcing")]


def test_viewer_sees_no_edit_controls(live_server: Any, page: Any, org_a: Any, members_a: Any) -> None:
    from apps.core.tenancy import org_scope
    from tests.usecases.factories import UseCaseFactory

    with org_scope(org_a):
        use_case = UseCaseFactory(organization=org_a, title="Read-only case")
    log_in(page, live_server.url, members_a["viewer"].email)
    page.goto(f"{live_server.url}/o/{org_a.slug}/use-cases/{use_case.pk}/")
    assert page.get_by_role("heading", name="Read-only case").is_visible()
    assert page.get_by_role("link", name="Move phase").count() == 0
    assert page.get_by_role("link", name="New use case").count() == 0
