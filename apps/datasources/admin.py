"""Site-staff views of the data inventory. Read-only: changes go through the portal so they are
validated and audited by the services."""

from django.contrib import admin

from apps.datasources.models import DataAssessment, DataSource, Tag
from apps.usecases.admin import ReadOnlyAdmin


@admin.register(DataSource)
class DataSourceAdmin(ReadOnlyAdmin):
    list_display = ("name", "organization", "origin", "classification", "contains_personal_data", "owner")
    list_filter = ("origin", "classification", "contains_personal_data", "organization")
    search_fields = ("name", "description", "system_or_provider")
    list_select_related = ("organization", "owner")


@admin.register(DataAssessment)
class DataAssessmentAdmin(ReadOnlyAdmin):
    list_display = ("use_case", "data_source", "relevance", "accessible_today", "updated_at")
    list_select_related = ("use_case", "data_source")


@admin.register(Tag)
class TagAdmin(ReadOnlyAdmin):
    list_display = ("name", "organization")
    search_fields = ("name",)
