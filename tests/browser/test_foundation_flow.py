from __future__ import annotations

from typing import Any

import pytest

from apps.accounts.models import User
from apps.organizations.models import Organization
from tests.browser.conftest import shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_log_in_create_an_organization_and_switch_language(live_server: Any, page: Any) -> None:
    User.objects.create_user("walker@x.test", "a-long-password-1", full_name="Wanda Walker")
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill("walker@x.test")
    page.get_by_label("Password").fill("a-long-password-1")
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(f"{live_server.url}/o/")
    assert page.get_by_role("heading", name="My organizations").is_visible()

    page.get_by_role("link", name="New organization").first.click()
    page.get_by_label("Name").fill("Browser Bank")
    page.get_by_label("Address").fill("browser-bank")
    page.get_by_role("button", name="Create organization").click()
    page.wait_for_url(f"{live_server.url}/o/browser-bank/")
    assert page.get_by_role("heading", name="Browser Bank").is_visible()
    assert Organization.objects.filter(slug="browser-bank").exists()
    shot(page, "dashboard-en")

    page.get_by_role("button", name="Русский").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "ru"
    assert page.get_by_role("navigation", name="Организация").get_by_role("link", name="Участники").is_visible()
    shot(page, "dashboard-ru")
    assert not [e for e in page.console_errors if "Content Security Policy" in e], page.console_errors


def test_wrong_password_shows_an_error(live_server: Any, page: Any) -> None:
    User.objects.create_user("walker2@x.test", "a-long-password-1")
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill("walker2@x.test")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign In").click()
    assert page.get_by_role("alert").first.is_visible()
    assert "/accounts/login/" in page.url
