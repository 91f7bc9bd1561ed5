from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.catalog.api.fast import FastRepresentationMixin, plain_value
from apps.catalog.models import CatalogEntry
from apps.organizations.models import Membership
from apps.registry.models import RegisteredModel
from apps.registry.selectors import CATALOG_SUMMARY_FIELDS, registered_model_factors
from apps.registry.services import EDITABLE_FIELDS

WRITE_FIELDS = ("catalog_entry", *EDITABLE_FIELDS)


class CatalogSummarySerializer(FastRepresentationMixin, serializers.ModelSerializer[CatalogEntry]):
    class Meta:
        model = CatalogEntry
        fields = (
            "id",
            "key",
            "display_name",
            "provider_name",
            "kind",
            "licence_id",
            "commercial_use",
            "context_window",
        )
        read_only_fields = fields


class RegisteredModelSerializer(FastRepresentationMixin, serializers.ModelSerializer[RegisteredModel]):
    catalog_entry = serializers.PrimaryKeyRelatedField(
        queryset=CatalogEntry.objects.all(), required=False, allow_null=True
    )
    owner = serializers.PrimaryKeyRelatedField(queryset=get_user_model().objects.all(), required=False, allow_null=True)
    name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    catalog = CatalogSummarySerializer(source="catalog_entry", read_only=True)
    is_private = serializers.BooleanField(read_only=True)

    class Meta:
        model = RegisteredModel
        fields: tuple[str, ...] = ("id", *WRITE_FIELDS, "catalog", "is_private", "created_at", "updated_at")
        read_only_fields = ("id", "catalog", "is_private", "created_at", "updated_at")

    def validate_owner(self, owner: Any) -> Any:
        organization = self.context.get("organization")
        if owner is not None and not Membership.objects.filter(organization=organization, user=owner).exists():
            raise serializers.ValidationError(
                _("The owner must be a member of this organization."), code="invalid_owner"
            )
        return owner

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if (
            self.instance is not None
            and "catalog_entry" in attrs
            and attrs["catalog_entry"] != self.instance.catalog_entry
        ):
            raise serializers.ValidationError(
                {"catalog_entry": _("The catalog entry of a registered model cannot be changed.")}
            )
        if self.instance is None and attrs.get("catalog_entry") is None and not (attrs.get("name") or "").strip():
            raise serializers.ValidationError(
                {"name": _("Enter a name for a private model, or pick a model from the catalog.")}
            )
        return attrs


LIST_VALUE_FIELDS = (
    "pk",  # the cursor paginator reads the ordering key from the row
    "id",
    *(f"{name}_id" if name in ("catalog_entry", "owner") else name for name in WRITE_FIELDS),
    "created_at",
    "updated_at",
    *(f"catalog_entry__{name}" for name in CATALOG_SUMMARY_FIELDS),
)


def rows_from_values(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The list representation built from ``.values(*LIST_VALUE_FIELDS)`` rows (no model instances).

    Produces exactly what RegisteredModelSerializer produces for the same rows (tested).
    """
    out = []
    for row in rows:
        item: dict[str, Any] = {"id": row["id"]}
        for name in WRITE_FIELDS:
            key = f"{name}_id" if name in ("catalog_entry", "owner") else name
            item[name] = plain_value(row[key])
        entry_id = row["catalog_entry_id"]
        item["catalog"] = (
            {name: plain_value(row[f"catalog_entry__{name}"]) for name in CATALOG_SUMMARY_FIELDS}
            if entry_id is not None
            else None
        )
        item["is_private"] = entry_id is None
        item["created_at"] = plain_value(row["created_at"])
        item["updated_at"] = plain_value(row["updated_at"])
        out.append(item)
    return out


class RegisteredModelDetailSerializer(RegisteredModelSerializer):
    factors = serializers.SerializerMethodField()

    class Meta(RegisteredModelSerializer.Meta):
        fields = (*RegisteredModelSerializer.Meta.fields, "factors")

    def get_factors(self, registered: RegisteredModel) -> list[dict[str, Any]]:
        return [factor.as_dict() for factor in registered_model_factors(registered)]
