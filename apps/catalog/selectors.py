"""Reads of the shared catalog (pages, API, other apps)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db.models import QuerySet

from .models import CatalogChange, CatalogChangeEvent, CatalogEntry, RefreshRun

SORTS = {
    "name": ("display_name", "id"),
    "-downloads": ("-downloads", "id"),
    "-context": ("-context_window", "id"),
    "price": ("price_input_per_mtok", "id"),
    "-release": ("-release_date", "id"),
}


def catalog_search(
    *,
    q: str = "",
    kind: str = "",
    commercial_use: str = "",
    provider: str = "",
    licence: str = "",
    modality: str = "",
    min_context: int | None = None,
    sort: str = "name",
) -> QuerySet[CatalogEntry]:
    """Catalog entries matching the filters. ``q`` uses the trigram-indexed ``search_text`` (lower-cased)."""
    qs = CatalogEntry.objects.all()
    for word in q.lower().split()[:5]:
        qs = qs.filter(search_text__contains=word)
    if kind:
        qs = qs.filter(kind=kind)
    if commercial_use:
        qs = qs.filter(commercial_use=commercial_use)
    if provider:
        qs = qs.filter(provider_id=provider)
    if licence:
        qs = qs.filter(licence_id=licence)
    if modality:
        qs = qs.filter(modalities_input__contains=[modality]) if _json_contains_supported() else qs
    if min_context:
        qs = qs.filter(context_window__gte=min_context)
    return qs.order_by(*SORTS.get(sort, SORTS["name"]))


def _json_contains_supported() -> bool:
    from django.db import connection

    return bool(connection.features.supports_json_field_contains)


def catalog_providers() -> list[tuple[str, str]]:
    rows = (
        CatalogEntry.objects.exclude(provider_id="")
        .order_by("provider_name")
        .values_list("provider_id", "provider_name")
        .distinct()
    )
    return list(dict(rows).items())


def catalog_entry_get(*, pk: int) -> CatalogEntry | None:
    return CatalogEntry.objects.filter(pk=pk).first()


def catalog_entry_history(*, entry: CatalogEntry, limit: int = 200) -> QuerySet[CatalogChange]:
    return CatalogChange.objects.filter(entry=entry).select_related("run")[:limit]


def change_events_since(
    since: datetime | None = None,
    *,
    entries: Iterable[CatalogEntry | int] | None = None,
    kinds: Iterable[str] | None = None,
) -> QuerySet[CatalogChangeEvent]:
    """Change events (licence, commercial-use verdict, price jump, context-window decrease) since a moment.

    Each event has ``entry``, ``kind``, ``field``, ``old``, ``new`` and ``created_at``; oldest first, so a
    consumer can process them in order and remember the last ``created_at`` it saw.
    """
    qs = CatalogChangeEvent.objects.select_related("entry")
    if since is not None:
        qs = qs.filter(created_at__gt=since)
    if entries is not None:
        ids = [e.pk if isinstance(e, CatalogEntry) else int(e) for e in entries]
        qs = qs.filter(entry_id__in=ids)
    if kinds is not None:
        qs = qs.filter(kind__in=list(kinds))
    return qs.order_by("created_at", "id")


def refresh_runs(*, source: str = "", limit: int = 50) -> QuerySet[RefreshRun]:
    qs = RefreshRun.objects.select_related("requested_by")
    if source:
        qs = qs.filter(source=source)
    return qs.order_by("-created_at", "-id")[:limit]


def refresh_run_get(*, pk: int) -> RefreshRun | None:
    return RefreshRun.objects.select_related("requested_by").filter(pk=pk).first()


def active_runs() -> dict[str, RefreshRun]:
    runs = RefreshRun.objects.filter(status__in=(RefreshRun.Status.QUEUED, RefreshRun.Status.RUNNING))
    return {run.source: run for run in runs.order_by("created_at")}


def schedules() -> list[Any]:
    from django_celery_beat.models import PeriodicTask

    from .schedule import SOURCE_SCHEDULES

    tasks = {
        t.name: t for t in PeriodicTask.objects.filter(name__in=SOURCE_SCHEDULES.values()).select_related("crontab")
    }
    return [(source, tasks.get(name)) for source, name in SOURCE_SCHEDULES.items()]
