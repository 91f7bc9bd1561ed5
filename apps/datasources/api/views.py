from __future__ import annotations

from typing import Any, cast

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.api.viewsets import OrgModelViewSet
from apps.core.permissions import ALL_ROLES, CONTRIBUTORS
from apps.datasources import selectors
from apps.datasources.api.serializers import (
    DataAssessmentSerializer,
    DataSourceSerializer,
    ImportResultSerializer,
    ImportUploadSerializer,
)
from apps.datasources.exporting import export_csv, export_xlsx
from apps.datasources.filters import DataAssessmentFilter, DataSourceFilter
from apps.datasources.importing import ImportFileError, build_template, check_size, file_kind
from apps.datasources.models import DataAssessment, DataSource
from apps.datasources.services import (
    ImportRejected,
    assessment_create,
    assessment_delete,
    assessment_update,
    datasource_create,
    datasource_delete,
    datasource_import,
    datasource_update,
)
from apps.datasources.views import FILE_KINDS, file_response

FILE_FORMAT = OpenApiParameter(
    "file_format", OpenApiTypes.STR, enum=list(FILE_KINDS), description="csv (default) or xlsx"
)


def _error(request: Request, status_code: int, code: str, message: str, **extra: Any) -> Response:
    body = {"status": status_code, "code": code, "message": message, **extra}
    return Response({"error": body, "request_id": getattr(request, "request_id", "")}, status=status_code)


class DataSourceViewSet(OrgModelViewSet):
    """The data inventory. Filters: ``q``, ``origin``, ``classification`` (repeatable), ``pii``,
    ``owner``, ``tag``. ``POST …/import/`` (multipart ``file``) imports a CSV/XLSX all-or-nothing;
    ``GET …/export/?file_format=csv|xlsx`` and ``GET …/import-template/`` download files."""

    serializer_class = DataSourceSerializer
    filterset_class = DataSourceFilter
    write_roles = CONTRIBUTORS
    action_roles = {"export": ALL_ROLES, "import_template": ALL_ROLES, "import_file": CONTRIBUTORS}
    queryset = DataSource.objects.none()

    def get_queryset(self) -> Any:
        return selectors.datasource_list()

    def perform_create(self, serializer: DataSourceSerializer) -> None:  # type: ignore[override]
        created = datasource_create(
            organization=self.organization, actor=self.request.user, **serializer.validated_data
        )
        serializer.instance = selectors.datasource_list().get(pk=created.pk)

    def perform_update(self, serializer: DataSourceSerializer) -> None:  # type: ignore[override]
        updated = datasource_update(
            organization=self.organization,
            actor=self.request.user,
            data_source=cast(DataSource, serializer.instance),
            **serializer.validated_data,
        )
        serializer.instance = selectors.datasource_list().get(pk=updated.pk)

    def perform_destroy(self, instance: DataSource) -> None:
        datasource_delete(organization=self.organization, actor=self.request.user, data_source=instance)

    def _file_kind(self, request: Request) -> str | None:
        kind = request.query_params.get("file_format", "csv")
        return kind if kind in FILE_KINDS else None

    @extend_schema(parameters=[FILE_FORMAT], responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=False, methods=["get"], url_path="export", url_name="export")
    def export(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponse | Response:
        kind = self._file_kind(request)
        if kind is None:
            return _error(request, 400, "invalid", _("file_format must be csv or xlsx."))
        rows = selectors.datasource_export_rows(self.filter_queryset(self.get_queryset()))
        content = export_csv(rows) if kind == "csv" else export_xlsx(rows, title=_("Data sources"))
        stamp = timezone.now().strftime("%Y%m%d-%H%M")
        return file_response(content, kind, f"{self.organization.slug}-data-sources-{stamp}")

    @extend_schema(parameters=[FILE_FORMAT], responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=False, methods=["get"], url_path="import-template", url_name="import-template")
    def import_template(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponse | Response:
        kind = self._file_kind(request)
        if kind is None:
            return _error(request, 400, "invalid", _("file_format must be csv or xlsx."))
        return file_response(build_template(kind), kind, "data-sources-template")

    @extend_schema(request={"multipart/form-data": ImportUploadSerializer}, responses={201: ImportResultSerializer})
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        url_name="import",
        parser_classes=[MultiPartParser, FormParser],
    )
    def import_file(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        upload = request.FILES.get("file")
        if upload is None:
            return _error(
                request,
                400,
                "invalid",
                _("The request is not valid; see fields."),
                fields={"file": [{"code": "required", "message": _("Attach the file as “file”.")}]},
            )
        try:
            file_kind(upload.name or "")
            check_size(upload.size or 0)
        except ImportFileError as exc:
            return _error(
                request,
                400,
                "import_rejected",
                _("Nothing was imported; see the problems by row and column."),
                fields={"file": [{"code": "invalid_file", "message": str(exc.message)}]},
                rows=[],
                more_errors=0,
            )
        data = upload.read()
        try:
            created = datasource_import(
                organization=self.organization, actor=request.user, data=data, filename=upload.name or ""
            )
        except ImportRejected as rejected:
            rows = [e.as_dict() for e in rejected.errors]
            file_errors = [{"code": "invalid_file", "message": r["message"]} for r in rows if r["row"] is None]
            return _error(
                request,
                400,
                "import_rejected",
                _("Nothing was imported; see the problems by row and column."),
                fields={"file": file_errors} if file_errors else {},
                rows=[r for r in rows if r["row"] is not None],
                more_errors=rejected.truncated,
            )
        return Response(
            ImportResultSerializer({"created": len(created), "ids": [d.pk for d in created]}).data,
            status=status.HTTP_201_CREATED,
        )

    def get_serializer_class(self) -> Any:
        if getattr(self, "action", None) == "import_file":
            return ImportUploadSerializer
        return super().get_serializer_class()


class DataAssessmentViewSet(OrgModelViewSet):
    """Data assessments (the three questions for one source and one use case) with the computed
    readiness verdict and reasons. Filters: ``use_case``, ``data_source``."""

    serializer_class = DataAssessmentSerializer
    filterset_class = DataAssessmentFilter
    write_roles = CONTRIBUTORS
    queryset = DataAssessment.objects.none()

    def get_queryset(self) -> Any:
        return selectors.assessment_list()

    def perform_create(self, serializer: DataAssessmentSerializer) -> None:  # type: ignore[override]
        data = dict(serializer.validated_data)
        serializer.instance = assessment_create(
            organization=self.organization,
            actor=self.request.user,
            use_case=data.pop("use_case"),
            data_source=data.pop("data_source"),
            **data,
        )

    def perform_update(self, serializer: DataAssessmentSerializer) -> None:  # type: ignore[override]
        data = dict(serializer.validated_data)
        data.pop("use_case", None)
        data.pop("data_source", None)
        serializer.instance = assessment_update(
            organization=self.organization,
            actor=self.request.user,
            assessment=cast(DataAssessment, serializer.instance),
            **data,
        )

    def perform_destroy(self, instance: DataAssessment) -> None:
        assessment_delete(organization=self.organization, actor=self.request.user, assessment=instance)
