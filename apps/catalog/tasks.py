"""Celery tasks of the catalog refresh. Thin: they load ids and call services / sources.

* ``catalog_refresh_dispatch(run_id)`` reads the source's list of entries, creates one RefreshRunItem per entry
  (once: redelivery finds them) and queues one ``catalog_refresh_entry`` per entry still pending.
* ``catalog_refresh_entry(run_id, item_id)`` refreshes one entry: idempotent upsert + item status in one
  transaction, so a worker killed at any point (acks_late) re-runs it without losing or duplicating changes.
* ``catalog_scheduled_refresh(source)`` is what the django-celery-beat PeriodicTask rows call.
* ``catalog_event_fanout(event_id)`` finds the organizations that registered the model and queues one
  org-scoped notification task per organization.
* ``catalog_close_stale_runs()`` closes runs that made no progress for CATALOG_STALE_RUN_SECONDS.
"""

from __future__ import annotations

import logging
import random
from typing import Any

from celery import shared_task
from celery.exceptions import Retry, SoftTimeLimitExceeded
from django.db import transaction
from django.utils import timezone

from . import conf, ratelimit
from .models import CatalogChangeEvent, CatalogEntry, EntrySource, RefreshRun, RefreshRunItem
from .services import (
    catalog_apply_record,
    record_from_hub,
    record_from_modelsdev,
    refresh_run_add_items,
    refresh_run_begin,
    refresh_run_close,
    refresh_run_fail,
    refresh_run_item_finish,
    refresh_run_maybe_finish,
    refresh_run_start,
)
from .sources import modelsdev
from .sources.errors import SourceError, SourceOffline
from .sources.hub import fetch_hub_entry

logger = logging.getLogger(__name__)

ENTRY_TIME_LIMIT = 120
ENTRY_SOFT_TIME_LIMIT = 90


@shared_task(name="catalog.scheduled_refresh", acks_late=True, ignore_result=True)
def catalog_scheduled_refresh(source: str = "all") -> list[int]:
    sources = list(RefreshRun.Source.values) if source == "all" else [source]
    runs = []
    for name in sources:
        run, _created = refresh_run_start(source=name, trigger=RefreshRun.Trigger.SCHEDULE)
        runs.append(run.pk)
    return runs


@shared_task(name="catalog.refresh_dispatch", acks_late=True, ignore_result=True, time_limit=600, soft_time_limit=540)
def catalog_refresh_dispatch(run_id: int) -> None:
    run = RefreshRun.objects.filter(pk=run_id).first()
    if run is None or run.finished_at is not None:
        return
    if run.source == RefreshRun.Source.HUB:
        _dispatch_hub(run)
    else:
        _dispatch_modelsdev(run)
    pending = list(
        RefreshRunItem.objects.filter(run_id=run_id, status=RefreshRunItem.Status.PENDING).values_list("pk", flat=True)
    )
    for item_id in pending:
        catalog_refresh_entry.delay(run_id, item_id)
    refresh_run_maybe_finish(run_id=run_id)


def _dispatch_hub(run: RefreshRun) -> None:
    label = f"{conf.hf_endpoint()}"
    if refresh_run_begin(run_id=run.pk, source_label=label) is None:
        return
    entries = CatalogEntry.objects.exclude(hf_repo_id__isnull=True).exclude(hf_repo_id="").only("pk", "key")
    items = [RefreshRunItem(run=run, key=entry.key, entry=entry) for entry in entries.iterator()]
    refresh_run_add_items(run=run, items=items)


def _dispatch_modelsdev(run: RefreshRun) -> None:
    if refresh_run_begin(run_id=run.pk) is None:
        return
    try:
        document, label = modelsdev.load_document()
    except SourceError as exc:
        # the whole source is unusable: nothing is changed, the run reports why
        refresh_run_fail(run_id=run.pk, message=f"{exc.code}: {exc.message}")
        return
    refresh_run_begin(run_id=run.pk, source_label=label)
    normalised = modelsdev.normalise_document(document)
    known = dict(
        CatalogEntry.objects.filter(source=EntrySource.MODELSDEV).values_list("key", "source_hashes__modelsdev")
    )
    entry_ids = dict(CatalogEntry.objects.filter(source=EntrySource.MODELSDEV).values_list("key", "pk"))
    items: list[RefreshRunItem] = []
    for item in normalised:
        if item.error or item.record is None:
            items.append(RefreshRunItem(run=run, key=item.key, status=RefreshRunItem.Status.FAILED, message=item.error))
            continue
        record = record_from_modelsdev(item.record)
        content_hash = modelsdev.record_hash(record)
        if known.get(item.key) == content_hash:
            items.append(
                RefreshRunItem(
                    run=run, key=item.key, entry_id=entry_ids.get(item.key), status=RefreshRunItem.Status.UNCHANGED
                )
            )
            continue
        items.append(
            RefreshRunItem(
                run=run,
                key=item.key,
                entry_id=entry_ids.get(item.key),
                payload={"record": record, "hash": content_hash, "source": label},
            )
        )
    refresh_run_add_items(run=run, items=items)


def _backoff(retries: int, retry_after: float | None) -> float:
    base = float(conf.get("CATALOG_RETRY_BACKOFF_BASE"))
    cap = float(conf.get("CATALOG_RETRY_BACKOFF_MAX"))
    delay = min(cap, base * (2 ** min(retries, 30)) * (0.75 + random.random() / 2))  # noqa: S311 - jitter
    if retry_after is not None:
        delay = max(delay, min(float(retry_after), cap))
    return round(delay, 2)


@shared_task(
    bind=True,
    name="catalog.refresh_entry",
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
    time_limit=ENTRY_TIME_LIMIT,
    soft_time_limit=ENTRY_SOFT_TIME_LIMIT,
    max_retries=None,
)
def catalog_refresh_entry(self: Any, run_id: int, item_id: int) -> str:
    item = RefreshRunItem.objects.select_related("run", "entry").filter(pk=item_id, run_id=run_id).first()
    if item is None or item.status != RefreshRunItem.Status.PENDING or item.run.finished_at is not None:
        refresh_run_maybe_finish(run_id=run_id)
        return "skipped"
    RefreshRunItem.objects.filter(pk=item_id).update(attempts=item.attempts + 1, updated_at=timezone.now())
    try:
        status = _refresh_item(self, item)
    except SoftTimeLimitExceeded:
        status = _retry_or_fail(self, item, "time limit exceeded", None)
    except Retry:
        raise
    except Exception as exc:
        logger.exception("catalog refresh of %s failed", item.key)
        with transaction.atomic():
            refresh_run_item_finish(
                item=item, status=RefreshRunItem.Status.FAILED, message=f"internal error: {exc.__class__.__name__}"
            )
        status = RefreshRunItem.Status.FAILED
    refresh_run_maybe_finish(run_id=run_id)
    return status


def _retry_or_fail(task: Any, item: RefreshRunItem, message: str, retry_after: float | None) -> str:
    retries = int(task.request.retries or 0)
    if retries < int(conf.get("CATALOG_MAX_RETRIES")) and not task.request.is_eager:
        raise task.retry(countdown=_backoff(retries, retry_after))
    with transaction.atomic():
        refresh_run_item_finish(item=item, status=RefreshRunItem.Status.FAILED, message=message)
    return RefreshRunItem.Status.FAILED


def _refresh_item(task: Any, item: RefreshRunItem) -> str:
    run = item.run
    if run.source == RefreshRun.Source.MODELSDEV:
        payload = item.payload or {}
        with transaction.atomic():
            result = catalog_apply_record(
                key=item.key,
                record=payload.get("record") or {},
                source=str(payload.get("source") or modelsdev.SOURCE),
                primary_source=EntrySource.MODELSDEV,
                run=run,
                source_hash=payload.get("hash"),
                hash_name="modelsdev",
            )
            refresh_run_item_finish(item=item, status=result.status, entry=result.entry)
        return result.status

    entry = item.entry
    if entry is None or not entry.hf_repo_id:
        with transaction.atomic():
            refresh_run_item_finish(item=item, status=RefreshRunItem.Status.FAILED, message="entry has no Hub id")
        return RefreshRunItem.Status.FAILED
    wait = ratelimit.acquire("hub")
    if wait > 0:
        if task.request.is_eager:
            with transaction.atomic():
                refresh_run_item_finish(
                    item=item, status=RefreshRunItem.Status.FAILED, message="rate limit reached; try again later"
                )
            return RefreshRunItem.Status.FAILED
        raise task.retry(countdown=wait)
    try:
        snapshot = fetch_hub_entry(entry.hf_repo_id, known_sha=entry.hf_sha)
    except SourceOffline as exc:
        with transaction.atomic():
            refresh_run_item_finish(item=item, status=RefreshRunItem.Status.OFFLINE, message=exc.message)
        return RefreshRunItem.Status.OFFLINE
    except SourceError as exc:
        if exc.retryable:
            return _retry_or_fail(task, item, f"{exc.code}: {exc.message}", exc.retry_after)
        with transaction.atomic():
            refresh_run_item_finish(
                item=item, status=RefreshRunItem.Status.FAILED, message=f"{exc.code}: {exc.message}"
            )
        return RefreshRunItem.Status.FAILED
    source = f"Hugging Face Hub ({conf.hf_endpoint()})"
    with transaction.atomic():
        result = catalog_apply_record(
            key=item.key,
            record=record_from_hub(snapshot.as_dict()),
            source=source,
            primary_source=EntrySource.HUB,
            run=run,
        )
        message = "; ".join(snapshot.notes)
        refresh_run_item_finish(item=item, status=result.status, message=message, entry=result.entry)
    return result.status


@shared_task(name="catalog.event_fanout", acks_late=True, ignore_result=True)
def catalog_event_fanout(event_id: int) -> int:
    """Queue one org-scoped notification per organization that registered the event's model."""
    from apps.registry.selectors import organization_ids_registering_entry
    from apps.registry.tasks import registry_notify_catalog_event

    event = CatalogChangeEvent.objects.filter(pk=event_id).first()
    if event is None:
        return 0
    organization_ids = organization_ids_registering_entry(entry_id=event.entry_id)
    for organization_id in organization_ids:
        registry_notify_catalog_event.delay(organization_id=organization_id, event_id=event_id)
    CatalogChangeEvent.objects.filter(pk=event_id, fanned_out_at__isnull=True).update(fanned_out_at=timezone.now())
    return len(organization_ids)


@shared_task(name="catalog.close_stale_runs", ignore_result=True)
def catalog_close_stale_runs() -> int:
    from .services import _is_stale

    closed = 0
    for run in RefreshRun.objects.filter(status__in=(RefreshRun.Status.QUEUED, RefreshRun.Status.RUNNING)):
        if _is_stale(run):
            refresh_run_close(run=run, reason="stale")
            closed += 1
    return closed
