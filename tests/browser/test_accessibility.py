"""axe-core (pinned in tests/support/a11y, run inside Debian's Chromium) finds no serious or
critical WCAG 2 A/AA violation on the main pages, with the demo data loaded."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django_scopes import scopes_disabled

from apps.datasources.models import DataSource
from apps.registry.models import RegisteredModel
from apps.scorecards.models import Scorecard
from apps.sso.models import SsoConnection
from apps.usecases.models import UseCase
from tests.browser.conftest import shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[1] / "support" / "a11y" / "node_modules" / "axe-core" / "axe.min.js"


def violations(page: Any) -> list[str]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text())  # evaluated through the DevTools protocol: the page's CSP stays strict
    result = page.evaluate(
        "async () => (await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa']}})).violations"
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result
        if v["impact"] in ("serious", "critical")
    ]


def test_main_pages_have_no_serious_accessibility_violations(live_server: Any, page: Any) -> None:
    assert AXE.exists(), "run `make node-deps` (npm ci in tests/support/a11y)"
    call_command("seed_demo", stdout=StringIO())
    with scopes_disabled():
        use_case = UseCase.objects.filter(organization__slug="acme").order_by("pk").first()
        scorecard = Scorecard.objects.filter(organization__slug="acme").order_by("pk").first()
        source = DataSource.objects.filter(organization__slug="acme").order_by("pk").first()
        registered = RegisteredModel.objects.filter(organization__slug="acme").order_by("pk").first()
        connection = SsoConnection.objects.filter(organization__slug="acme").order_by("pk").first()
    assert use_case is not None and scorecard is not None
    assert source is not None and registered is not None and connection is not None

    found: dict[str, list[str]] = {}
    page.goto(f"{live_server.url}/accounts/login/")
    found["login"] = violations(page)
    page.get_by_label("Email").fill("admin@acme.example")
    page.get_by_label("Password").fill("charter-demo-2026")
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(f"{live_server.url}/o/acme/")
    for path in [
        "/o/acme/",
        "/o/acme/use-cases/",
        f"/o/acme/use-cases/{use_case.pk}/",
        "/o/acme/data/",
        f"/o/acme/scorecards/{scorecard.pk}/",
        "/o/acme/catalog/",
        "/o/acme/registry/",
        "/o/acme/members/",
        "/o/acme/audit/",
        "/o/acme/sso/",
        f"/o/acme/sso/connections/{connection.pk}/",
        f"/o/acme/sso/connections/{connection.pk}/edit/",
        "/o/acme/sso/policy/",
        f"/o/acme/data/{source.pk}/",
        "/o/acme/data/import/",
        f"/o/acme/data/assess/{use_case.pk}/",
        f"/o/acme/registry/{registered.pk}/",
        "/o/acme/catalog/refresh/",
        "/o/acme/scorecards/policy/",
    ]:
        page.goto(live_server.url + path)
        found[path] = violations(page)
    page.get_by_role("button", name="Русский").click()
    page.wait_for_load_state()
    found["overview (ru)"] = violations(page)
    shot(page, "overview-ru")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/o/acme/registry/{registered.pk}/")
    found["registry model on a phone (ru)"] = violations(page)
    bad = {where: v for where, v in found.items() if v}
    assert not bad, "\n".join(f"{k}: {x}" for k, v in bad.items() for x in v)
