"""Django admin: the catalog is read-only to everyone but the refresh jobs and site staff.

Staff edits go through ``catalog_apply_record`` (source "site staff"), so they are diffed and raise change
events like a refresh would. Runs, changes and events are read-only.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import CatalogChange, CatalogChangeEvent, CatalogEntry, EntrySource, RefreshRun
from .services import TRACKED_FIELDS, catalog_apply_record

STAFF_EDITABLE = (
    "display_name",
    "provider_name",
    "family",
    "kind",
    "hf_repo_id",
    "licence_id",
    "context_window",
    "max_output_tokens",
    "parameters_total",
    "parameters_active",
    "knowledge_cutoff",
    "release_date",
    "training_data_summary",
    "fine_tuning",
    "price_input_per_mtok",
    "price_output_per_mtok",
    "price_currency",
)


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(CatalogEntry)
class CatalogEntryAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("display_name", "provider_name", "kind", "licence_id", "commercial_use", "context_window")
    list_filter = ("kind", "commercial_use", "source")
    search_fields = ("search_text",)
    fields = ("key", *STAFF_EDITABLE, "commercial_use", "commercial_use_condition", "provenance")
    readonly_fields = ("commercial_use", "commercial_use_condition", "provenance")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return (*self.readonly_fields, "key") if obj is not None else self.readonly_fields

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: CatalogEntry, form: Any, change: bool) -> None:
        record = {name: form.cleaned_data.get(name) for name in STAFF_EDITABLE if name in form.cleaned_data}
        record = {k: v for k, v in record.items() if k in TRACKED_FIELDS or k == "hf_repo_id"}
        result = catalog_apply_record(
            key=obj.key,
            record=record,
            source=f"site staff ({request.user})",
            primary_source=EntrySource.MANUAL if not change else obj.source or EntrySource.MANUAL,
        )
        obj.pk = result.entry.pk


@admin.register(RefreshRun)
class RefreshRunAdmin(ReadOnlyAdmin):
    list_display = ("pk", "source", "trigger", "status", "created_at", "finished_at", "checked", "changed", "failed")
    list_filter = ("source", "status")


@admin.register(CatalogChange)
class CatalogChangeAdmin(ReadOnlyAdmin):
    list_display = ("entry", "field", "old", "new", "source", "changed_at")
    list_filter = ("field",)


@admin.register(CatalogChangeEvent)
class CatalogChangeEventAdmin(ReadOnlyAdmin):
    list_display = ("entry", "kind", "old", "new", "created_at")
    list_filter = ("kind",)
