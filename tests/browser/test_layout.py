"""The layout on a phone-sized screen: the organization's navigation must not push the page down."""

from __future__ import annotations

from typing import Any

import pytest

from apps.core.tenancy import org_scope
from apps.organizations.models import Membership
from tests.browser.conftest import shot
from tests.browser.test_usecase_flow import log_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_on_a_phone_the_page_starts_near_the_top_and_the_current_section_is_in_view(
    live_server: Any, browser: Any, org_a: Any, members_a: Any
) -> None:
    with org_scope(org_a):  # a member with a long address makes the members table wider than a phone
        user = UserFactory(email="maximilian.long-surname-example@subsidiary.organization-a.test")
        membership = Membership(organization=org_a, user=user)
        membership.set_roles(["contributor", "approver", "auditor"])
        membership.save()
    context = browser.new_context(locale="en-US", viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        log_in(page, live_server.url, members_a["admin"].email)
        page.goto(f"{live_server.url}/o/{org_a.slug}/tokens/")
        heading = page.get_by_role("heading", name="API tokens", level=1)
        box = heading.bounding_box()
        assert box is not None and box["y"] < 250, box
        # the navigation is one row that scrolls sideways, with the current page's item visible
        active = page.locator(".sidebar .nav-link.active")
        item = active.bounding_box()
        assert item is not None and item["x"] >= 0 and item["x"] + item["width"] <= 390, item
        shot(page, "layout-phone")
        # wide tables scroll inside their own box; nothing widens the page itself
        for path in ("tokens/", "members/", "use-cases/", "data/", "registry/"):
            page.goto(f"{live_server.url}/o/{org_a.slug}/{path}")
            assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
    finally:
        context.close()
