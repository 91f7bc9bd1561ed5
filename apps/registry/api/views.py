"""Registry API: read for every member, create/update/delete for contributors (through services)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.api.viewsets import OrgModelViewSet
from apps.core.permissions import ALL_ROLES, CONTRIBUTORS
from apps.registry.api.serializers import (
    LIST_VALUE_FIELDS,
    RegisteredModelDetailSerializer,
    RegisteredModelSerializer,
    rows_from_values,
)
from apps.registry.models import RegisteredModel
from apps.registry.selectors import registered_model_list
from apps.registry.services import registered_model_create, registered_model_delete, registered_model_update


class RegisteredModelViewSet(OrgModelViewSet):
    """Registered models. Filters: ``q``, ``status``, ``hosting``, ``kind``. The detail includes the factor sheet."""

    queryset = RegisteredModel.objects.none()
    read_roles = ALL_ROLES
    write_roles = CONTRIBUTORS
    filter_backends: list[Any] = []

    def get_serializer_class(self) -> Any:
        return RegisteredModelDetailSerializer if self.action == "retrieve" else RegisteredModelSerializer

    def get_queryset(self) -> QuerySet[RegisteredModel]:
        params = self.request.query_params
        return registered_model_list(
            organization=self.organization,
            q=params.get("q", "")[:100],
            status=params.get("status", ""),
            hosting=params.get("hosting", ""),
            kind=params.get("kind", ""),
        )

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Rows are read with ``.values()`` (no model instances): the list stays fast at 10,000+ models."""
        queryset = self.get_queryset().values(*LIST_VALUE_FIELDS)
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(rows_from_values(list(page or [])))

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        registered = registered_model_create(
            organization=self.organization, actor=request.user, **serializer.validated_data
        )
        return Response(
            RegisteredModelDetailSerializer(registered, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        partial = kwargs.pop("partial", False)
        instance = self.get_object()
        serializer = self.get_serializer(instance, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        values = {k: v for k, v in serializer.validated_data.items() if k != "catalog_entry"}
        registered = registered_model_update(
            organization=self.organization, actor=request.user, registered_model=instance, **values
        )
        return Response(RegisteredModelDetailSerializer(registered, context=self.get_serializer_context()).data)

    def perform_destroy(self, instance: RegisteredModel) -> None:
        registered_model_delete(organization=self.organization, actor=self.request.user, registered_model=instance)
