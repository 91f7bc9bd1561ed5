from __future__ import annotations

from typing import Any

from rest_framework import serializers

from apps.catalog.api.fast import FastRepresentationMixin
from apps.catalog.licences import licence_facts
from apps.catalog.models import TRACKED_FIELDS, CatalogChange, CatalogChangeEvent, CatalogEntry, RefreshRun

ENTRY_FIELDS = (
    "id",
    "key",
    "source",
    "provider_id",
    "hf_repo_id",
    "modelsdev_provider_id",
    "modelsdev_model_id",
    *TRACKED_FIELDS,
    "hf_last_modified",
    "updated_at",
)


class CatalogEntrySerializer(FastRepresentationMixin, serializers.ModelSerializer[CatalogEntry]):
    class Meta:
        model = CatalogEntry
        fields: tuple[str, ...] = ENTRY_FIELDS
        read_only_fields: tuple[str, ...] = ENTRY_FIELDS


class CatalogEntryDetailSerializer(CatalogEntrySerializer):
    licence = serializers.SerializerMethodField()

    class Meta(CatalogEntrySerializer.Meta):
        fields = (*ENTRY_FIELDS, "provenance", "licence")
        read_only_fields = fields

    def get_licence(self, entry: CatalogEntry) -> dict[str, Any]:
        return licence_facts(entry.licence_id).as_dict()


class CatalogChangeSerializer(serializers.ModelSerializer[CatalogChange]):
    class Meta:
        model = CatalogChange
        fields = ("id", "entry", "run", "field", "old", "new", "source", "changed_at")
        read_only_fields = fields


class CatalogChangeEventSerializer(serializers.ModelSerializer[CatalogChangeEvent]):
    entry_name = serializers.CharField(source="entry.display_name", read_only=True)

    class Meta:
        model = CatalogChangeEvent
        fields = ("id", "entry", "entry_name", "kind", "field", "old", "new", "created_at")
        read_only_fields = fields


class RefreshRunSerializer(serializers.ModelSerializer[RefreshRun]):
    class Meta:
        model = RefreshRun
        fields = (
            "id",
            "source",
            "trigger",
            "status",
            "source_label",
            "created_at",
            "started_at",
            "finished_at",
            "total",
            "checked",
            "changed",
            "failed",
            "offline",
            "errors",
        )
        read_only_fields = tuple(f for f in fields if f != "source")


class RefreshRequestSerializer(serializers.Serializer[Any]):
    source = serializers.ChoiceField(choices=RefreshRun.Source.choices)  # type: ignore[assignment]
