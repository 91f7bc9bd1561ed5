"""Site-staff views of use cases. Read-only: changes go through the portal so they are validated and
audited by the services."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from apps.usecases.models import PhaseTransition, UseCase


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(UseCase)
class UseCaseAdmin(ReadOnlyAdmin):
    list_display = ("title", "organization", "phase", "status", "owner", "updated_at")
    list_filter = ("phase", "status", "organization")
    search_fields = ("title", "business_problem")
    list_select_related = ("organization", "owner")


@admin.register(PhaseTransition)
class PhaseTransitionAdmin(ReadOnlyAdmin):
    list_display = ("use_case", "from_phase", "to_phase", "actor", "created_at")
    list_filter = ("to_phase",)
    list_select_related = ("use_case", "actor")
