"""Catalog API: read-only for every member; admins may start a refresh."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.dateparse import parse_datetime
from rest_framework import exceptions, mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from apps.catalog import selectors
from apps.catalog.api.serializers import (
    CatalogChangeEventSerializer,
    CatalogChangeSerializer,
    CatalogEntryDetailSerializer,
    CatalogEntrySerializer,
    RefreshRequestSerializer,
    RefreshRunSerializer,
)
from apps.catalog.models import CatalogChangeEvent, CatalogEntry, RefreshRun
from apps.catalog.services import catalog_refresh_request
from apps.core.api.viewsets import OrgGenericViewSet, OrgReadOnlyViewSet
from apps.core.permissions import ADMINS, ALL_ROLES

FILTERS = ("q", "kind", "commercial_use", "provider", "licence", "modality")


class CatalogEntryViewSet(OrgReadOnlyViewSet):
    """Catalog entries. Filters: ``q`` (name, provider, family, repository), ``kind``, ``commercial_use``,
    ``provider``, ``licence``, ``modality``, ``min_context``."""

    queryset = CatalogEntry.objects.all()
    read_roles = ALL_ROLES
    filter_backends: list[Any] = []

    def get_serializer_class(self) -> Any:
        return CatalogEntryDetailSerializer if self.action == "retrieve" else CatalogEntrySerializer

    def get_queryset(self) -> QuerySet[CatalogEntry]:
        params = self.request.query_params
        filters: dict[str, Any] = {name: params.get(name, "")[:100] for name in FILTERS}
        min_context = params.get("min_context", "")
        if min_context:
            if not min_context.isdigit():
                raise exceptions.ValidationError({"min_context": ["Enter a whole number."]})
            filters["min_context"] = int(min_context)
        qs = selectors.catalog_search(**filters).order_by("-pk")
        if self.action == "list":
            qs = qs.defer("provenance", "source_hashes", "search_text", "hf_tags")
        return qs

    @action(detail=True, methods=["get"])
    def changes(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        entry = self.get_object()
        page = self.paginate_queryset(entry.changes.all().order_by("-pk"))
        return self.get_paginated_response(CatalogChangeSerializer(page, many=True).data)


class CatalogChangeEventViewSet(OrgReadOnlyViewSet):
    """Change events (``?since=<ISO time>``, ``?kind=``, ``?entry=``)."""

    queryset = CatalogChangeEvent.objects.all()
    serializer_class = CatalogChangeEventSerializer
    read_roles = ALL_ROLES
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[CatalogChangeEvent]:
        params = self.request.query_params
        since = None
        if params.get("since"):
            since = parse_datetime(params["since"])
            if since is None:
                raise exceptions.ValidationError({"since": ["Enter an ISO 8601 date and time."]})
        entries = None
        if params.get("entry"):
            if not params["entry"].isdigit():
                raise exceptions.ValidationError({"entry": ["Enter a catalog entry id."]})
            entries = [int(params["entry"])]
        kinds = [params["kind"]] if params.get("kind") else None
        return selectors.change_events_since(since, entries=entries, kinds=kinds).order_by("-pk")


class RefreshRunViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, OrgGenericViewSet):
    """Refresh runs; ``POST {"source": "hub"|"modelsdev"}`` (admins) starts one, or returns the running one."""

    queryset = RefreshRun.objects.all()
    serializer_class = RefreshRunSerializer
    read_roles = ALL_ROLES
    action_roles = {"create": ADMINS}
    filter_backends: list[Any] = []

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = RefreshRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        run, created = catalog_refresh_request(
            organization=self.organization, actor=request.user, source=serializer.validated_data["source"]
        )
        run.refresh_from_db()
        return Response(
            RefreshRunSerializer(run).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )
