"""Writes to the shared catalog. Only refresh jobs, the seed and site staff (Django admin) call these.

The catalog is not tenant-owned, so these services take no organization; the audit trail of the catalog is its
own change history (``CatalogChange``: field, old, new, source, time). Events that may re-open approved decisions
(``CatalogChangeEvent``) are created in the same transaction and fanned out to the organizations that registered
the model by a Celery task queued on commit.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from . import conf
from .energy import ecologits_parameters, estimate_per_million_output_tokens
from .licences import commercial_use_verdict, normalise_licence_id
from .models import (
    TRACKED_FIELDS,
    CatalogChange,
    CatalogChangeEvent,
    CatalogEntry,
    EntrySource,
    FineTuning,
    ModelKind,
    RefreshRun,
    RefreshRunItem,
)

logger = logging.getLogger(__name__)

SOURCE_LICENCE_KB = "licence knowledge base"
SOURCE_ECOLOGITS = "ecologits"
SOURCE_DERIVED = "derived"

_DECIMAL_FIELDS = {"price_input_per_mtok", "price_output_per_mtok"}
_INT_FIELDS = {"context_window", "max_output_tokens", "parameters_total", "parameters_active", "downloads", "likes"}
_FLOAT_FIELDS = {"energy_kwh_per_mtok", "carbon_kgco2e_per_mtok"}
_LIST_FIELDS = {"modalities_input", "modalities_output", "capabilities", "hf_tags"}
_WRITABLE = set(TRACKED_FIELDS) | {
    "provider_id",
    "hf_repo_id",
    "modelsdev_provider_id",
    "modelsdev_model_id",
    "hf_last_modified",
    "hf_tags",
}
_MAX_INT = 2**62


@dataclass
class ApplyResult:
    entry: CatalogEntry
    status: str  # created / changed / unchanged
    changes: list[CatalogChange] = field(default_factory=list)
    events: list[CatalogChangeEvent] = field(default_factory=list)


def _coerce(name: str, value: Any) -> Any:
    if value is None:
        return [] if name in _LIST_FIELDS else (None if name not in _TEXT_DEFAULTS else "")
    if name in _DECIMAL_FIELDS:
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            return None
        return number if number.is_finite() and number >= 0 else None
    if name in _INT_FIELDS:
        if isinstance(value, bool):
            return None
        try:
            integer = int(value)
        except (TypeError, ValueError):
            return None
        return integer if 0 <= integer < _MAX_INT else None
    if name in _FLOAT_FIELDS:
        try:
            return float(value)
        except (TypeError, ValueError):
            return None
    if name == "release_date":
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            return None
    if name == "hf_last_modified":
        if isinstance(value, datetime):
            return value
        return parse_datetime(str(value))
    if name in _LIST_FIELDS:
        return list(value) if isinstance(value, list | tuple) else []
    if name == "hf_gated":
        return bool(value)
    return str(value)


_TEXT_DEFAULTS = {
    "provider_name",
    "family",
    "display_name",
    "licence_id",
    "commercial_use_condition",
    "knowledge_cutoff",
    "training_data_summary",
    "price_currency",
    "lifecycle_status",
    "hf_sha",
    "provider_id",
    "modelsdev_provider_id",
    "modelsdev_model_id",
}


def to_json(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value.normalize())
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, Decimal) or isinstance(new, Decimal):
        if old is None or new is None:
            return old is new
        return Decimal(old) == Decimal(new)
    return bool(old == new)


def _price_jump(old: Any, new: Any) -> bool:
    if old is None or new is None:
        return False
    old_d, new_d = Decimal(old), Decimal(new)
    if old_d == new_d:
        return False
    if old_d == 0:
        return True
    threshold = Decimal(str(conf.get("CATALOG_PRICE_CHANGE_THRESHOLD")))
    return abs(new_d - old_d) / old_d > threshold


def _event_kinds(name: str, old: Any, new: Any) -> list[str]:
    kinds: list[str] = []
    if name == "licence_id" and old:
        # a licence *change*; a licence learnt for the first time is recorded in the history only
        kinds.append(CatalogChangeEvent.Kind.LICENCE)
    elif name == "commercial_use" and old and old != "unknown":
        kinds.append(CatalogChangeEvent.Kind.COMMERCIAL_USE)
    elif name in _DECIMAL_FIELDS and _price_jump(old, new):
        kinds.append(CatalogChangeEvent.Kind.PRICE)
    elif name == "context_window" and old is not None and new is not None and new < old:
        kinds.append(CatalogChangeEvent.Kind.CONTEXT_WINDOW_DECREASE)
    return kinds


def _derive(entry: CatalogEntry, values: dict[str, Any], sources: dict[str, str], source: str) -> None:
    """Facts computed from other facts: commercial use from the licence, fine-tuning, energy, parameters."""
    licence_id = values.get("licence_id", entry.licence_id)
    verdict, condition = commercial_use_verdict(licence_id)
    values["commercial_use"] = verdict
    values["commercial_use_condition"] = condition
    sources.setdefault("commercial_use", SOURCE_LICENCE_KB)
    sources.setdefault("commercial_use_condition", SOURCE_LICENCE_KB)

    kind = values.get("kind", entry.kind)
    if "fine_tuning" not in values and kind == ModelKind.OPEN_WEIGHTS:
        values["fine_tuning"] = FineTuning.AVAILABLE
        sources["fine_tuning"] = SOURCE_DERIVED

    provider_id = values.get("modelsdev_provider_id") or entry.modelsdev_provider_id
    model_id = values.get("modelsdev_model_id") or entry.modelsdev_model_id
    total = values.get("parameters_total", entry.parameters_total)
    if total is None and provider_id and model_id:
        known = ecologits_parameters(provider_id, model_id)
        if known is not None:
            values["parameters_total"], values["parameters_active"] = known[0], known[1]
            label = f"{SOURCE_ECOLOGITS} (estimate)" if known[2] else SOURCE_ECOLOGITS
            sources["parameters_total"] = sources["parameters_active"] = label
            total = known[0]
    active = values.get("parameters_active", entry.parameters_active)
    estimate = estimate_per_million_output_tokens(total_parameters=total, active_parameters=active)
    values["energy_kwh_per_mtok"] = estimate.energy_kwh if estimate else None
    values["carbon_kgco2e_per_mtok"] = estimate.carbon_kgco2e if estimate else None
    label = f"{SOURCE_ECOLOGITS} ({estimate.note})" if estimate else SOURCE_ECOLOGITS
    sources["energy_kwh_per_mtok"] = sources["carbon_kgco2e_per_mtok"] = label


def catalog_apply_record(
    *,
    key: str,
    record: dict[str, Any],
    source: str,
    primary_source: str = EntrySource.MODELSDEV,
    field_sources: dict[str, str] | None = None,
    run: RefreshRun | None = None,
    source_hash: str | None = None,
    hash_name: str | None = None,
) -> ApplyResult:
    """Upsert one entry from a normalised record, recording every changed field and raising change events.

    Idempotent: applying the same record twice changes nothing the second time.
    """
    now = timezone.now()
    with transaction.atomic():
        entry = CatalogEntry.objects.select_for_update().filter(key=key).first()
        created = entry is None
        if entry is None:
            entry = CatalogEntry(key=key, source=primary_source, created_at=now)
        values = {name: _coerce(name, value) for name, value in record.items() if name in _WRITABLE}
        if "licence_id" in values:
            values["licence_id"] = normalise_licence_id(values["licence_id"])
        sources = dict.fromkeys(values, source)
        sources.update(field_sources or {})
        _derive(entry, values, sources, source)

        changed: list[tuple[str, Any, Any]] = []
        provenance = dict(entry.provenance or {})
        as_of = now.isoformat()
        for name, new in values.items():
            old = getattr(entry, name)
            if _same(old, new):
                if created or name not in provenance:
                    provenance[name] = {"source": sources.get(name, source), "as_of": as_of}
                continue
            setattr(entry, name, new)
            provenance[name] = {"source": sources.get(name, source), "as_of": as_of}
            if name in TRACKED_FIELDS:
                changed.append((name, old, new))
        hashes = dict(entry.source_hashes or {})
        if source_hash is not None and hash_name:
            hashes[hash_name] = source_hash
        hash_changed = hashes != (entry.source_hashes or {})
        if not created and not changed and not hash_changed and provenance == (entry.provenance or {}):
            return ApplyResult(entry=entry, status="unchanged")
        entry.provenance = provenance
        entry.source_hashes = hashes
        entry.search_text = entry.build_search_text()
        entry.updated_at = now
        entry.full_clean(validate_unique=created, validate_constraints=created)
        entry.save()
        result = ApplyResult(entry=entry, status="created" if created else ("changed" if changed else "unchanged"))
        if created:
            return result
        for name, old, new in changed:
            change = CatalogChange.objects.create(
                entry=entry,
                run=run,
                field=name,
                old=to_json(old),
                new=to_json(new),
                source=str(sources.get(name, source))[:300],
                changed_at=now,
            )
            result.changes.append(change)
            for kind in _event_kinds(name, old, new):
                event = CatalogChangeEvent.objects.create(
                    entry=entry, change=change, kind=kind, field=name, old=change.old, new=change.new, created_at=now
                )
                result.events.append(event)
        event_ids = [event.pk for event in result.events]
        if event_ids:
            transaction.on_commit(lambda: _queue_fanout(event_ids))
    return result


def _queue_fanout(event_ids: list[int]) -> None:
    from .tasks import catalog_event_fanout

    for event_id in event_ids:
        catalog_event_fanout.delay(event_id)


# -- record builders --------------------------------------------------------------------------------------------


def record_from_modelsdev(normalised: dict[str, Any]) -> dict[str, Any]:
    record = dict(normalised)
    record["provider_id"] = record.get("modelsdev_provider_id", "")
    if record.get("kind") == ModelKind.PROPRIETARY_API:
        record["licence_id"] = "proprietary"
    return record


def record_from_hub(snapshot: dict[str, Any]) -> dict[str, Any]:
    """The catalog fields a Hub snapshot sets. An unchanged repository only refreshes popularity."""
    record: dict[str, Any] = {"downloads": snapshot.get("downloads"), "likes": snapshot.get("likes")}
    if snapshot.get("unchanged"):
        return record
    record.update(
        {
            "hf_sha": snapshot.get("sha") or "",
            "hf_last_modified": snapshot.get("last_modified"),
            "hf_tags": snapshot.get("tags") or [],
            "hf_gated": bool(snapshot.get("gated")),
            "licence_id": normalise_licence_id(snapshot.get("licence_raw"), licence_name=snapshot.get("licence_name")),
            "kind": ModelKind.OPEN_WEIGHTS,
        }
    )
    if snapshot.get("parameters_total"):
        record["parameters_total"] = snapshot["parameters_total"]
    if snapshot.get("context_window"):
        record["context_window"] = snapshot["context_window"]
    return record


# -- refresh runs -----------------------------------------------------------------------------------------------


def refresh_run_start(*, source: str, trigger: str, actor: Any = None) -> tuple[RefreshRun, bool]:
    """Start a refresh of one source, or return the one already queued/running. (run, created)."""
    if source not in RefreshRun.Source.values:
        raise ValueError(f"unknown source {source!r}")
    with transaction.atomic():
        active = (
            RefreshRun.objects.select_for_update()
            .filter(source=source, status__in=(RefreshRun.Status.QUEUED, RefreshRun.Status.RUNNING))
            .first()
        )
        if active is not None and not _is_stale(active):
            return active, False
        if active is not None:
            refresh_run_close(run=active, reason="stale")
        run = RefreshRun(
            source=source,
            trigger=trigger,
            requested_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        run.full_clean()
        run.save()
        run_id = run.pk
        transaction.on_commit(lambda: _queue_dispatch(run_id))
    return run, True


def _queue_dispatch(run_id: int) -> None:
    from .tasks import catalog_refresh_dispatch

    catalog_refresh_dispatch.delay(run_id)


def _is_stale(run: RefreshRun) -> bool:
    reference = run.started_at or run.created_at
    latest = RefreshRunItem.objects.filter(run=run).order_by("-updated_at").values_list("updated_at", flat=True)
    last = latest.first() or reference
    return (timezone.now() - max(last, reference)).total_seconds() > float(conf.get("CATALOG_STALE_RUN_SECONDS"))


def refresh_run_item_finish(*, item: RefreshRunItem, status: str, message: str = "", entry: Any = None) -> None:
    item.status = status
    item.message = message[:2000]
    if entry is not None:
        item.entry = entry
    item.updated_at = timezone.now()
    item.save(update_fields=["status", "message", "entry", "updated_at"])


def refresh_run_counts(run: RefreshRun) -> dict[str, int]:
    S = RefreshRunItem.Status
    counts = RefreshRunItem.objects.filter(run=run).aggregate(
        total=Count("id"),
        pending=Count("id", filter=Q(status=S.PENDING)),
        changed=Count("id", filter=Q(status__in=(S.CHANGED, S.CREATED))),
        failed=Count("id", filter=Q(status=S.FAILED)),
        offline=Count("id", filter=Q(status=S.OFFLINE)),
    )
    counts["checked"] = counts["total"] - counts["pending"]
    return counts


def refresh_run_maybe_finish(*, run_id: int) -> bool:
    """Close the run when no entry is pending (idempotent; safe to call from every entry task)."""
    with transaction.atomic():
        run = RefreshRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None or run.finished_at is not None or run.status == RefreshRun.Status.QUEUED:
            return False
        counts = refresh_run_counts(run)
        _store_counts(run, counts)
        if counts["pending"]:
            run.save(update_fields=["checked", "changed", "failed", "offline", "total"])
            return False
        run.status = RefreshRun.Status.FINISHED
        run.finished_at = timezone.now()
        run.errors = _collect_errors(run)
        run.save(update_fields=["checked", "changed", "failed", "offline", "total", "status", "finished_at", "errors"])
        return True


def _store_counts(run: RefreshRun, counts: dict[str, int]) -> None:
    run.total = max(run.total, counts["total"])
    run.checked = counts["checked"]
    run.changed = counts["changed"]
    run.failed = counts["failed"]
    run.offline = counts["offline"]


def _collect_errors(run: RefreshRun, limit: int = 200) -> list[dict[str, str]]:
    existing = [e for e in (run.errors or []) if isinstance(e, dict) and not e.get("key")]
    rows = (
        RefreshRunItem.objects.filter(run=run, status__in=(RefreshRunItem.Status.FAILED, RefreshRunItem.Status.OFFLINE))
        .order_by("key")
        .values_list("key", "status", "message")[:limit]
    )
    return existing + [{"key": key, "status": status, "message": message} for key, status, message in rows]


def refresh_run_close(*, run: RefreshRun, reason: str) -> None:
    """Close a run that cannot finish normally (source unreadable, or stale): pending entries count as failed."""
    with transaction.atomic():
        RefreshRunItem.objects.filter(run=run, status=RefreshRunItem.Status.PENDING).update(
            status=RefreshRunItem.Status.FAILED, message=reason, updated_at=timezone.now()
        )
        run = RefreshRun.objects.select_for_update().get(pk=run.pk)
        if run.finished_at is not None:
            return
        counts = refresh_run_counts(run)
        _store_counts(run, counts)
        run.status = (
            RefreshRun.Status.FAILED if reason != "stale" or not counts["total"] else RefreshRun.Status.FINISHED
        )
        run.finished_at = timezone.now()
        run.errors = [*(run.errors or []), {"key": "", "status": "failed", "message": reason}][:50] + [
            e for e in _collect_errors(run) if e.get("key")
        ]
        run.save()


def refresh_run_fail(*, run_id: int, message: str) -> None:
    run = RefreshRun.objects.get(pk=run_id)
    refresh_run_close(run=run, reason=message)


def refresh_run_begin(*, run_id: int, source_label: str = "") -> RefreshRun | None:
    with transaction.atomic():
        run = RefreshRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None or run.finished_at is not None:
            return None
        if run.status == RefreshRun.Status.QUEUED:
            run.status = RefreshRun.Status.RUNNING
            run.started_at = timezone.now()
        if source_label:
            run.source_label = source_label[:300]
        run.save(update_fields=["status", "started_at", "source_label"])
        return run


def refresh_run_add_items(*, run: RefreshRun, items: list[RefreshRunItem]) -> None:
    """Create the run's items once; a redelivered dispatch finds them already there (ignore_conflicts)."""
    try:
        RefreshRunItem.objects.bulk_create(items, ignore_conflicts=True, batch_size=500)
    except IntegrityError:  # pragma: no cover - ignore_conflicts makes this unreachable on supported databases
        logger.exception("duplicate refresh items for run %s", run.pk)
    total = RefreshRunItem.objects.filter(run=run).count()
    RefreshRun.objects.filter(pk=run.pk).update(total=total)


# -- bulk import (seed) -----------------------------------------------------------------------------------------


def catalog_bulk_import(*, document: dict[str, Any], source_label: str, batch_size: int = 500) -> dict[str, int]:
    """Create the entries of a models.dev document that are not in the catalog yet, in bulk (fast seed).

    Existing entries are left alone (the refresh job updates them, with change history); the stored hashes make
    the first refresh after the seed a no-op for unchanged models.
    """
    from .sources import modelsdev

    now = timezone.now()
    as_of = now.isoformat()
    existing = set(CatalogEntry.objects.values_list("key", flat=True))
    new_entries: list[CatalogEntry] = []
    failed = 0
    for item in modelsdev.normalise_document(document):
        if item.error or item.record is None:
            failed += 1
            continue
        if item.key in existing:
            continue
        record = record_from_modelsdev(item.record)
        content_hash = modelsdev.record_hash(record)
        entry = CatalogEntry(key=item.key, source=EntrySource.MODELSDEV, created_at=now, updated_at=now)
        values = {name: _coerce(name, value) for name, value in record.items() if name in _WRITABLE}
        sources = dict.fromkeys(values, source_label)
        _derive(entry, values, sources, source_label)
        for name, value in values.items():
            setattr(entry, name, value)
        entry.provenance = {name: {"source": sources.get(name, source_label), "as_of": as_of} for name in values}
        entry.source_hashes = {"modelsdev": content_hash}
        entry.search_text = entry.build_search_text()
        new_entries.append(entry)
        existing.add(item.key)
    with transaction.atomic():
        CatalogEntry.objects.bulk_create(new_entries, batch_size=batch_size, ignore_conflicts=True)
    return {"created": len(new_entries), "failed": failed}


# -- actions of organization admins ---------------------------------------------------------------------------


def catalog_refresh_request(*, organization: Any, actor: Any, source: str) -> tuple[RefreshRun, bool]:
    """ "Refresh now" from an organization's admin: starts (or joins) a run and audits the request in the org."""
    from apps.audit.services import audit_record

    if source not in RefreshRun.Source.values:
        from django.core.exceptions import ValidationError

        raise ValidationError({"source": "unknown source"}, code="invalid")
    with transaction.atomic():
        run, created = refresh_run_start(source=source, trigger=RefreshRun.Trigger.MANUAL, actor=actor)
        audit_record(
            organization=organization,
            actor=actor,
            action="catalog.refresh_requested",
            target=run,
            data={"source": source, "run": run.pk, "joined_running_run": not created},
        )
    return run, created


def catalog_schedule_update(
    *, organization: Any, actor: Any, source: str, enabled: bool, minute: str, hour: str
) -> Any:
    """Change the daily refresh schedule of one source (a django-celery-beat PeriodicTask), audited in the org."""
    from django.core.exceptions import ValidationError
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    from apps.audit.services import audit_record

    from .schedule import DEFAULT_SCHEDULES, SOURCE_SCHEDULES, ensure_default_schedules

    if source not in SOURCE_SCHEDULES:
        raise ValidationError({"source": "unknown source"}, code="invalid")
    with transaction.atomic():
        ensure_default_schedules(CrontabSchedule, PeriodicTask)
        task = PeriodicTask.objects.select_for_update().get(name=SOURCE_SCHEDULES[source])
        before = {
            "enabled": task.enabled,
            "minute": task.crontab.minute if task.crontab else "",
            "hour": task.crontab.hour if task.crontab else "",
        }
        crontab, _created = CrontabSchedule.objects.get_or_create(
            minute=minute, hour=hour, day_of_week="*", day_of_month="*", month_of_year="*", timezone="UTC"
        )
        crontab.full_clean()
        task.crontab = crontab
        task.interval = None
        task.enabled = enabled
        task.task = DEFAULT_SCHEDULES[SOURCE_SCHEDULES[source]][0]
        task.full_clean()
        task.save()
        after = {"enabled": enabled, "minute": minute, "hour": hour}
        audit_record(
            organization=organization,
            actor=actor,
            action="catalog.schedule_changed",
            target=task,
            data={"source": source, "before": before, "after": after},
        )
    return task
