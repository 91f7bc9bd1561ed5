"""Refresh jobs (tasks run in-process here; tests/catalog/test_worker.py runs them on a real worker)."""

from __future__ import annotations

import copy
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from apps.catalog import ratelimit
from apps.catalog.models import CatalogChange, CatalogChangeEvent, CatalogEntry, RefreshRun, RefreshRunItem
from apps.catalog.selectors import change_events_since
from apps.catalog.services import catalog_apply_record, catalog_bulk_import, refresh_run_start
from apps.catalog.sources.modelsdev import load_bundled
from apps.catalog.tasks import _backoff, catalog_close_stale_runs
from tests.catalog.fixtures import add_hub_entry
from tests.support.hub_server import HubServer
from tests.support.modelsdev_server import ModelsDevServer

pytestmark = pytest.mark.django_db(transaction=True)

LARGE = "modelsdev:acme/acme-large"


def run(source: str) -> RefreshRun:
    created, _new = refresh_run_start(source=source, trigger=RefreshRun.Trigger.MANUAL)
    created.refresh_from_db()
    return created


def test_models_dev_refresh_creates_then_is_idempotent(modelsdev_server: ModelsDevServer) -> None:
    first = run("modelsdev")
    assert first.status == RefreshRun.Status.FINISHED
    assert (first.total, first.checked, first.changed, first.failed) == (2, 2, 2, 0)
    entry = CatalogEntry.objects.get(key=LARGE)
    assert entry.context_window == 200000 and str(entry.price_input_per_mtok) == "3.000000"
    assert entry.licence_id == "proprietary" and entry.commercial_use == "conditional"
    assert entry.provenance["context_window"]["source"] == modelsdev_server.url
    assert entry.provenance["commercial_use"]["source"] == "licence knowledge base"
    open_entry = CatalogEntry.objects.get(key="modelsdev:acme/acme-open-8b")
    assert open_entry.kind == "open_weights" and open_entry.fine_tuning == "available"
    assert open_entry.commercial_use == "unknown"  # models.dev says nothing about the weights' licence

    second = run("modelsdev")
    assert (second.checked, second.changed) == (2, 0)
    assert not CatalogChange.objects.exists()
    assert RefreshRunItem.objects.filter(run=second, status="unchanged").count() == 2


def test_price_jump_and_context_decrease_raise_events(modelsdev_server: ModelsDevServer) -> None:
    run("modelsdev")
    modelsdev_server.update_model(
        "acme", "acme-large", cost={"input": 3.2, "output": 20.0}, limit={"context": 100000, "output": 32000}
    )
    modelsdev_server.update_model("acme", "acme-open-8b", limit={"context": 256000, "output": 8192})
    second = run("modelsdev")
    assert second.changed == 2
    changes = {(c.entry.key, c.field): c for c in CatalogChange.objects.select_related("entry")}
    assert changes[(LARGE, "price_input_per_mtok")].old == "3" and changes[(LARGE, "price_input_per_mtok")].new == "3.2"
    events = {(e.entry.key, e.kind, e.field) for e in CatalogChangeEvent.objects.select_related("entry")}
    # +6.7 % input price: a change, not an event; +33 % output price: an event; context 200k → 100k: an event;
    # the open model's context grew: no event
    assert events == {
        (LARGE, "price", "price_output_per_mtok"),
        (LARGE, "context_window_decrease", "context_window"),
    }


def test_price_threshold_is_configurable(modelsdev_server: ModelsDevServer) -> None:
    run("modelsdev")
    modelsdev_server.update_model("acme", "acme-large", cost={"input": 3.2, "output": 15.0})
    with override_settings(CATALOG_PRICE_CHANGE_THRESHOLD=0.05):
        run("modelsdev")
    assert list(CatalogChangeEvent.objects.values_list("kind", flat=True)) == ["price"]


def test_a_malformed_entry_fails_alone(modelsdev_server: ModelsDevServer) -> None:
    document = copy.deepcopy(modelsdev_server.document)
    document["acme"]["models"]["broken"] = {"id": "broken", "name": "x", "limit": {"context": "huge"}, "modalities": 3}
    document["acme"]["models"]["nameless"] = {"limit": {}}
    modelsdev_server.set_document(document)
    result = run("modelsdev")
    assert result.status == RefreshRun.Status.FINISHED
    assert result.failed == 1 and result.changed == 3
    assert any(e["key"] == "modelsdev:acme/nameless" for e in result.errors)
    broken = CatalogEntry.objects.get(key="modelsdev:acme/broken")
    assert broken.context_window is None  # a bad value is dropped, not stored


@pytest.mark.parametrize("fault", ["500", "malformed", "truncated", "429"])
def test_an_unreadable_source_changes_nothing(modelsdev_server: ModelsDevServer, fault: str) -> None:
    run("modelsdev")
    before = list(CatalogEntry.objects.order_by("pk").values())
    modelsdev_server.inject(fault, retry_after="1")
    failed = run("modelsdev")
    assert failed.status == RefreshRun.Status.FAILED
    assert failed.errors and failed.errors[0]["message"]
    assert list(CatalogEntry.objects.order_by("pk").values()) == before
    assert not CatalogChange.objects.exists()


def test_models_removed_from_the_source_are_kept(modelsdev_server: ModelsDevServer) -> None:
    run("modelsdev")
    document = copy.deepcopy(modelsdev_server.document)
    del document["acme"]["models"]["acme-large"]
    modelsdev_server.set_document(document)
    run("modelsdev")
    assert CatalogEntry.objects.filter(key=LARGE).exists()


def test_hub_refresh_reads_facts_then_costs_one_request(hub: HubServer) -> None:
    hub.add_repo("acme/open-7b", licence="apache-2.0", parameters=7_000_000_000, context=32768, downloads=10, likes=1)
    entry = add_hub_entry("acme/open-7b")
    first = run("hub")
    assert (first.status, first.changed, first.failed) == (RefreshRun.Status.FINISHED, 1, 0)
    entry.refresh_from_db()
    assert entry.licence_id == "Apache-2.0" and entry.commercial_use == "allowed"
    assert entry.parameters_total == 7_000_000_000 and entry.context_window == 32768
    assert entry.energy_kwh_per_mtok and entry.carbon_kgco2e_per_mtok
    assert entry.hf_sha == hub.repos["acme/open-7b"].sha
    assert entry.provenance["licence_id"]["source"].startswith("Hugging Face Hub")
    hub.reset_log()
    hub.set_popularity("acme/open-7b", downloads=99, likes=5)
    second = run("hub")
    assert hub.count() == 1  # unchanged sha: one request
    assert second.changed == 1
    entry.refresh_from_db()
    assert (entry.downloads, entry.likes) == (99, 5)
    assert set(CatalogChange.objects.filter(run=second).values_list("field", flat=True)) == {"downloads", "likes"}


def test_licence_change_between_two_runs_makes_one_event(hub: HubServer) -> None:
    hub.add_repo("acme/open-7b", licence="apache-2.0")
    entry = add_hub_entry("acme/open-7b")
    run("hub")
    start = timezone.now()
    hub.update_repo("acme/open-7b", licence="cc-by-nc-4.0")
    run("hub")
    run("hub")  # nothing changes any more
    licence_changes = CatalogChange.objects.filter(entry=entry, field="licence_id").order_by("pk")
    assert [(c.old, c.new) for c in licence_changes] == [("", "Apache-2.0"), ("Apache-2.0", "CC-BY-NC-4.0")]
    events = list(change_events_since(start, entries=[entry]))
    assert {(e.kind, e.old, e.new) for e in events} == {
        ("licence", "Apache-2.0", "CC-BY-NC-4.0"),
        ("commercial_use", "allowed", "not_allowed"),
    }
    assert list(change_events_since(timezone.now())) == []


def test_offline_hub_reports_offline_and_changes_nothing(offline_hub: None) -> None:
    entry = add_hub_entry("meta-llama/Llama-3.1-8B-Instruct", licence_id="llama3.1", context_window=131072)
    before = CatalogEntry.objects.filter(pk=entry.pk).values().get()
    result = run("hub")
    assert result.status == RefreshRun.Status.FINISHED
    assert (result.offline, result.changed, result.failed) == (1, 0, 0)
    assert result.errors[0]["status"] == "offline"
    assert CatalogEntry.objects.filter(pk=entry.pk).values().get() == before


def test_hub_errors_fail_the_entry_only(hub: HubServer) -> None:
    hub.add_repo("acme/good")
    hub.add_repo("acme/bad")
    good, bad = add_hub_entry("acme/good"), add_hub_entry("acme/bad", licence_id="mit")
    hub.inject("acme/bad", "malformed")
    result = run("hub")
    assert (result.changed, result.failed) == (1, 1)
    bad.refresh_from_db()
    assert bad.licence_id == "MIT" and bad.hf_sha == ""
    good.refresh_from_db()
    assert good.hf_sha


def test_in_process_rate_limited_entry_fails_without_touching_data(hub: HubServer) -> None:
    hub.add_repo("acme/limited")
    entry = add_hub_entry("acme/limited", licence_id="mit")
    hub.inject("acme/limited", "429", retry_after="30")
    result = run("hub")  # eager: no retry in-process; a worker retries (see test_worker.py)
    assert result.failed == 1
    entry.refresh_from_db()
    assert entry.licence_id == "MIT"


def test_global_rate_limit_is_enforced(hub: HubServer) -> None:
    for n in range(3):
        hub.add_repo(f"acme/m{n}")
        add_hub_entry(f"acme/m{n}")
    with override_settings(CATALOG_HUB_RATE_LIMIT=2, CATALOG_HUB_RATE_WINDOW=3600):
        ratelimit.reset_local()
        result = run("hub")
    assert (result.changed, result.failed) == (2, 1)
    assert hub.count(method="GET") - hub.count(method="HEAD") >= 0
    assert sum(1 for method, path in hub.requests if path.startswith("/api/models/")) == 2


def test_rate_limiter_windows() -> None:
    ratelimit.reset_local()
    assert ratelimit.acquire("t", limit=2, window=60, now=1000.0) == 0
    assert ratelimit.acquire("t", limit=2, window=60, now=1001.0) == 0
    assert ratelimit.acquire("t", limit=2, window=60, now=1002.0) == pytest.approx(18.0)
    assert ratelimit.acquire("t", limit=2, window=60, now=1021.0) == 0  # next window


def test_backoff_is_exponential_and_honours_retry_after() -> None:
    assert _backoff(0, None) <= 2 * 1.25
    assert _backoff(4, None) >= 32 * 0.75
    assert _backoff(0, 45) >= 45
    with override_settings(CATALOG_RETRY_BACKOFF_MAX=10):
        assert _backoff(10, 3600) <= 10


def test_apply_is_idempotent() -> None:
    record = {"display_name": "X", "licence_id": "mit", "context_window": 1000}
    catalog_apply_record(key="manual:x", record=record, source="test", primary_source="manual")
    catalog_apply_record(key="manual:x", record={**record, "context_window": 500}, source="test")
    catalog_apply_record(key="manual:x", record={**record, "context_window": 500}, source="test")
    assert CatalogChange.objects.count() == 1
    assert CatalogChangeEvent.objects.get().kind == "context_window_decrease"


def test_bulk_seed_then_refresh_is_a_no_op(modelsdev_server: ModelsDevServer) -> None:
    catalog_bulk_import(document=modelsdev_server.document, source_label=modelsdev_server.url)
    catalog_bulk_import(document=modelsdev_server.document, source_label=modelsdev_server.url)
    assert CatalogEntry.objects.count() == 2
    result = run("modelsdev")
    assert (result.checked, result.changed) == (2, 0)


def test_demo_seed_loads_the_bundled_catalog() -> None:
    from apps.catalog.demo import OPEN_WEIGHTS, seed_demo

    seed_demo(organization=None, members={})
    seed_demo(organization=None, members={})
    bundled = sum(len(p["models"]) for p in load_bundled().values())
    assert CatalogEntry.objects.filter(source="modelsdev").count() == bundled > 4000
    hub_entries = CatalogEntry.objects.filter(source="hub")
    assert hub_entries.count() == len(OPEN_WEIGHTS)
    assert hub_entries.get(hf_repo_id="CohereForAI/aya-expanse-8b").commercial_use == "not_allowed"
    assert hub_entries.get(hf_repo_id="meta-llama/Llama-3.1-8B-Instruct").commercial_use == "conditional"


def test_a_second_start_joins_the_running_run() -> None:
    first, created = refresh_run_start(source="hub", trigger="manual")
    assert created
    RefreshRun.objects.filter(pk=first.pk).update(status="running", finished_at=None)
    joined, created_again = refresh_run_start(source="hub", trigger="manual")
    assert joined.pk == first.pk and not created_again


def test_stale_runs_are_closed() -> None:
    stale = RefreshRun.objects.create(
        source="modelsdev",
        status="running",
        started_at=timezone.now() - timedelta(days=1),
        created_at=timezone.now() - timedelta(days=1),
    )
    RefreshRunItem.objects.create(run=stale, key="k", updated_at=timezone.now() - timedelta(days=1))
    assert catalog_close_stale_runs() == 1
    stale.refresh_from_db()
    assert stale.finished_at is not None and stale.failed == 1


def test_management_command(modelsdev_server: ModelsDevServer, offline_hub: Any) -> None:
    out = StringIO()
    call_command("catalog_refresh", "--source", "all", stdout=out)
    text = out.getvalue()
    assert "models.dev catalog run" in text and "changed=2" in text
    assert "Hugging Face Hub run" in text


def test_rate_limiter_is_shared_through_redis() -> None:
    import os
    import re
    import uuid

    import redis

    url = re.sub(r"/\d*$", "", os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")) + "/13"
    name = f"test-{uuid.uuid4().hex}"
    with override_settings(CATALOG_RATE_LIMIT_REDIS_URL=url):
        ratelimit.reset_local()
        assert ratelimit.acquire(name, limit=1, window=600) == 0
        assert ratelimit.acquire(name, limit=1, window=600) > 0
        ratelimit.reset_local()  # the in-process counter plays no part: the count lives in Redis
        assert ratelimit.acquire(name, limit=1, window=600) > 0
    client = redis.Redis.from_url(url)
    keys = client.keys(f"charter:catalog:ratelimit:{name}:*")
    assert keys and 0 < client.ttl(keys[0]) <= 605
    client.delete(*keys)


def test_an_invalid_repository_id_fails_the_entry_and_closes_the_run(hub: HubServer) -> None:
    entry = add_hub_entry("acme/odd")
    # a repository id that the client library itself refuses (validation error inside huggingface_hub)
    CatalogEntry.objects.filter(pk=entry.pk).update(hf_repo_id="bad id with spaces/and/too/many/parts")
    result = run("hub")
    assert result.status == RefreshRun.Status.FINISHED
    assert result.failed == 1 and result.errors[0]["message"]
