"""Refresh jobs on a real Celery worker (a subprocess) with a real Redis broker and the test database.

Redis database 13 is this suite's broker. The worker runs tests/catalog/worker_settings.py, which points it at
the test database, the loopback Hub and a file-based e-mail backend the test reads back.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db.models import Count
from django_scopes import scopes_disabled

from apps.catalog.models import CatalogChange, CatalogChangeEvent, RefreshRun, RefreshRunItem
from apps.catalog.services import refresh_run_start
from apps.core.tenancy import org_scope
from apps.registry.models import CatalogChangeNotification
from apps.registry.services import registered_model_create
from tests.catalog.fixtures import add_hub_entry
from tests.support.celery_worker import celery_broker, wait_for
from tests.support.hub_server import HubServer

# the Redis the test run uses (scripts/services.sh exports TEST_REDIS_URL), database 13 for this suite's broker
REDIS_URL = re.sub(r"/\d*$", "", os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")) + "/13"
ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]


@pytest.fixture
def broker(transactional_db: Any, hub: HubServer, tmp_path: Path) -> Iterator[dict[str, Any]]:
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    env = {
        "CATALOG_HF_ENDPOINT": hub.url,
        "CATALOG_HF_CACHE_DIR": str(tmp_path / "worker-hf-cache"),
        "EMAIL_FILE_PATH": str(mail_dir),
    }
    with celery_broker(
        env=env,
        settings_module="tests.catalog.worker_settings",
        redis_db=13,
        transport_options={"visibility_timeout": 4},
        log_dir=tmp_path,
    ) as b:
        yield {"new_worker": b.new_worker, "mail_dir": mail_dir}


def sent_messages(mail_dir: Path) -> list[str]:
    """The file-based e-mail backend appends messages, separated by a line of dashes, to its files."""
    separator = "-" * 79
    texts = [p.read_text() for p in sorted(mail_dir.iterdir())]
    return [m for text in texts for m in text.split(separator) if "Subject:" in m]


def finished(run: RefreshRun) -> Callable[[], bool]:
    return lambda: RefreshRun.objects.filter(pk=run.pk, finished_at__isnull=False).exists()


def test_licence_change_on_a_real_worker_notifies_each_org_once(
    broker: dict[str, Any], hub: HubServer, org_a: Any, members_a: Any, org_b: Any, members_b: Any
) -> None:
    hub.add_repo("acme/a", licence="apache-2.0")
    hub.add_repo("acme/b", licence="mit")
    entry_a = add_hub_entry("acme/a")
    entry_b = add_hub_entry("acme/b")
    for org, members in ((org_a, members_a), (org_b, members_b)):
        with org_scope(org):
            registered_model_create(organization=org, actor=members["contributor"], catalog_entry=entry_a)
            registered_model_create(organization=org, actor=members["contributor"], catalog_entry=entry_b)
    worker = broker["new_worker"]()

    first, _ = refresh_run_start(source="hub", trigger="manual")
    wait_for(finished(first), 60, "the first run")
    hub.update_repo("acme/a", licence="cc-by-nc-4.0")
    hub.inject("acme/b", "429", retry_after="1")  # retried by the worker, honouring Retry-After
    second, _ = refresh_run_start(source="hub", trigger="manual")
    wait_for(finished(second), 60, "the second run")
    second.refresh_from_db()
    assert (second.status, second.checked, second.failed) == ("finished", 2, 0), worker.output()[-3000:]
    item_b = RefreshRunItem.objects.get(run=second, key="hf:acme/b")
    assert item_b.status == "unchanged" and item_b.attempts == 2

    events = list(CatalogChangeEvent.objects.filter(entry=entry_a).order_by("kind"))
    assert [(e.kind, e.old, e.new) for e in events] == [
        ("commercial_use", "allowed", "not_allowed"),
        ("licence", "Apache-2.0", "CC-BY-NC-4.0"),
    ]
    assert not CatalogChangeEvent.objects.filter(entry=entry_b).exists()

    def all_sent() -> bool:
        with scopes_disabled():
            return CatalogChangeNotification.objects.filter(sent_at__isnull=False).count() == 4

    wait_for(all_sent, 60, "the notifications")
    with scopes_disabled():
        pairs = sorted(CatalogChangeNotification.objects.values_list("organization_id", "event_id"))
    assert pairs == sorted((org.pk, e.pk) for org in (org_a, org_b) for e in events)
    messages = sent_messages(broker["mail_dir"])
    assert len(messages) == 4
    assert sum(members_a["admin"].email in m for m in messages) == 2
    assert sum(members_b["admin"].email in m for m in messages) == 2

    third, _ = refresh_run_start(source="hub", trigger="manual")
    wait_for(finished(third), 60, "the third run")
    assert CatalogChangeEvent.objects.count() == 2
    assert len(sent_messages(broker["mail_dir"])) == 4


def test_killing_the_worker_mid_run_loses_and_duplicates_nothing(broker: dict[str, Any], hub: HubServer) -> None:
    repos = [f"acme/k{n}" for n in range(4)]
    for repo in repos:
        hub.add_repo(repo, licence="apache-2.0", context=65536)
        add_hub_entry(repo, licence_id="mit", context_window=8192)
    hub.inject("acme/k1", "slow", delay=6.0)  # the worker will be busy with this one when it is killed
    worker = broker["new_worker"]()
    run, _ = refresh_run_start(source="hub", trigger="manual")
    wait_for(lambda: hub.count("acme/k1") >= 1, 60, "the worker to reach the slow entry")
    worker.kill()
    assert RefreshRun.objects.get(pk=run.pk).finished_at is None

    replacement = broker["new_worker"]()
    wait_for(finished(run), 90, "the run to finish after the restart")
    run.refresh_from_db()
    assert (run.status, run.total, run.checked, run.changed, run.failed) == ("finished", 4, 4, 4, 0), (
        replacement.output()[-3000:]
    )
    duplicates = CatalogChange.objects.values("entry_id", "field").annotate(n=Count("id")).filter(n__gt=1)
    assert not duplicates.exists()
    licence_changes = CatalogChange.objects.filter(field="licence_id").order_by("entry__key")
    assert [(c.entry.key, c.old, c.new) for c in licence_changes] == [
        (f"hf:{repo}", "MIT", "Apache-2.0") for repo in repos
    ]
    assert CatalogChangeEvent.objects.filter(kind="licence").count() == 4
    assert hub.count("acme/k1", method="GET") >= 2  # the interrupted entry really ran again
