from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from apps.registry.models import CatalogChangeNotification, RegisteredModel


@admin.register(RegisteredModel)
class RegisteredModelAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read-only: registry changes go through the organization's pages and API (audited)."""

    list_display = ("name", "organization", "status", "hosting", "catalog_entry")
    list_filter = ("status", "hosting")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(CatalogChangeNotification)
class CatalogChangeNotificationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("event", "organization", "sent_at")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
