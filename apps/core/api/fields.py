"""Relation fields that only accept objects of the organization in the URL (else 400)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.accounts.models import User


@extend_schema_field(OpenApiTypes.INT)
class ScopedRelatedField(serializers.PrimaryKeyRelatedField):  # type: ignore[type-arg]
    """A tenant object id, looked up inside the request's organization scope: another
    organization's id answers 400 "does not exist", like an id that doesn't exist at all."""

    def __init__(self, *, model: Any, **kwargs: Any) -> None:
        self.model = model
        super().__init__(**kwargs)

    def get_queryset(self) -> Any:
        return self.model.objects.all()


@extend_schema_field(OpenApiTypes.INT)
class MemberField(serializers.PrimaryKeyRelatedField):  # type: ignore[type-arg]
    """A user id that must belong to a member of the organization in the URL (else 400)."""

    def get_queryset(self) -> Any:
        organization = self.context.get("organization")
        if organization is None:
            return User.objects.none()
        return User.objects.filter(memberships__organization=organization).distinct()
