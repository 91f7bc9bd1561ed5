"""Data inventory and data-assessment pages. Thin: forms in, service calls, redirects."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from apps.core.forms import apply_validation_error
from apps.core.permissions import AUDIT_READERS, CONTRIBUTORS
from apps.core.views import OrgMixin
from apps.datasources import selectors
from apps.datasources.exporting import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, export_csv, export_xlsx
from apps.datasources.filters import DataSourceFilter
from apps.datasources.forms import AssessmentForm, DataSourceForm, ImportForm
from apps.datasources.importing import COLUMNS, build_template
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
from apps.usecases.models import UseCase

PAGE_SIZE = 50
FILE_KINDS = ("csv", "xlsx")


def file_response(content: bytes, kind: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CSV_CONTENT_TYPE if kind == "csv" else XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{kind}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


class DataSourceObjectMixin(OrgMixin):
    kwargs: dict[str, Any]
    _data_source: DataSource

    def get_data_source(self) -> DataSource:
        if not hasattr(self, "_data_source"):
            self._data_source = get_object_or_404(selectors.datasource_detail(), pk=self.kwargs["pk"])
        return self._data_source


class DataSourceListView(OrgMixin, TemplateView):
    template_name = "datasources/list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        filterset = DataSourceFilter(
            self.request.GET or None, queryset=selectors.datasource_list(), request=self.request
        )
        queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else selectors.datasource_list()
        page = Paginator(queryset, PAGE_SIZE).get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            {
                "filter": filterset,
                "page": page,
                "data_sources": page.object_list,
                "query": query.urlencode(),
                "tags": selectors.tag_names(),
                "can_edit": self.can(*CONTRIBUTORS),
            }
        )
        return context


class DataSourceExportView(OrgMixin, TemplateView):
    """The (filtered) inventory as CSV or XLSX, in the import template's columns."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        kind = kwargs["kind"]
        if kind not in FILE_KINDS:
            raise Http404
        filterset = DataSourceFilter(request.GET or None, queryset=selectors.datasource_list(), request=request)
        queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else selectors.datasource_list()
        rows = selectors.datasource_export_rows(queryset)
        content = export_csv(rows) if kind == "csv" else export_xlsx(rows, title=_("Data sources"))
        stamp = timezone.now().strftime("%Y%m%d-%H%M")
        return file_response(content, kind, f"{self.organization.slug}-data-sources-{stamp}")


class DataSourceTemplateView(OrgMixin, TemplateView):
    """An empty import file (the XLSX one has drop-down lists and a help sheet)."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        kind = kwargs["kind"]
        if kind not in FILE_KINDS:
            raise Http404
        return file_response(build_template(kind), kind, "data-sources-template")


class DataSourceImportView(OrgMixin, FormView):
    template_name = "datasources/import.html"
    form_class = ImportForm
    read_roles = CONTRIBUTORS
    write_roles = CONTRIBUTORS

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["columns"] = COLUMNS
        return context

    def form_valid(self, form: ImportForm) -> HttpResponse:
        upload = form.cleaned_data["file"]
        try:
            created = datasource_import(
                organization=self.organization, actor=self.request.user, data=upload.read(), filename=upload.name
            )
        except ImportRejected as rejected:
            labels = {c.key: c.label for c in COLUMNS}
            report = [
                {"row": e.row, "column": e.column, "label": labels.get(e.column or ""), "message": e.message}
                for e in rejected.errors
            ]
            return self.render_to_response(
                self.get_context_data(form=form, report=report, truncated=rejected.truncated), status=400
            )
        messages.success(self.request, _("%(count)d data sources imported.") % {"count": len(created)})
        return redirect("datasources:list", org_slug=self.organization.slug)


class DataSourceCreateView(OrgMixin, FormView):
    template_name = "datasources/form.html"
    form_class = DataSourceForm
    read_roles = CONTRIBUTORS
    write_roles = CONTRIBUTORS

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "organization": self.organization}

    def form_valid(self, form: DataSourceForm) -> HttpResponse:
        try:
            source = datasource_create(organization=self.organization, actor=self.request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(cast(forms.Form, form), exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Data source “%(name)s” created.") % {"name": source.name})
        return redirect("datasources:detail", org_slug=self.organization.slug, pk=source.pk)


class DataSourceEditView(DataSourceObjectMixin, FormView):
    template_name = "datasources/form.html"
    form_class = DataSourceForm
    read_roles = CONTRIBUTORS
    write_roles = CONTRIBUTORS

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "organization": self.organization, "instance": self.get_data_source()}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "data_source": self.get_data_source()}

    def form_valid(self, form: DataSourceForm) -> HttpResponse:
        try:
            source = datasource_update(
                organization=self.organization,
                actor=self.request.user,
                data_source=self.get_data_source(),
                **form.cleaned_data,
            )
        except ValidationError as exc:
            apply_validation_error(cast(forms.Form, form), exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Data source saved."))
        return redirect("datasources:detail", org_slug=self.organization.slug, pk=source.pk)


class DataSourceDetailView(DataSourceObjectMixin, TemplateView):
    template_name = "datasources/detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        source = self.get_data_source()
        context.update(
            {
                "data_source": source,
                "assessments": list(source.assessments.all()),
                "can_edit": self.can(*CONTRIBUTORS),
                "can_see_history": self.can(*AUDIT_READERS),
            }
        )
        if context["can_see_history"]:
            context["history"] = selectors.datasource_history(organization=self.organization, data_source=source)
        return context


class DataSourceDeleteView(DataSourceObjectMixin, TemplateView):
    template_name = "datasources/delete.html"
    read_roles = CONTRIBUTORS
    write_roles = CONTRIBUTORS

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "data_source": self.get_data_source()}

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        source = self.get_data_source()
        try:
            datasource_delete(organization=self.organization, actor=request.user, data_source=source)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect("datasources:detail", org_slug=self.organization.slug, pk=source.pk)
        messages.success(request, _("Data source “%(name)s” deleted.") % {"name": source.name})
        return redirect("datasources:list", org_slug=self.organization.slug)


# --- assessments ---------------------------------------------------------------------------------


class AssessmentObjectMixin(OrgMixin):
    kwargs: dict[str, Any]
    _assessment: DataAssessment

    def get_assessment(self) -> DataAssessment:
        if not hasattr(self, "_assessment"):
            self._assessment = get_object_or_404(selectors.assessment_list(), pk=self.kwargs["pk"])
        return self._assessment


class AssessmentCreateView(OrgMixin, FormView):
    """Assess a data source for the use case in the URL (``?data_source=<id>`` preselects one)."""

    template_name = "datasources/assessment_form.html"
    form_class = AssessmentForm
    read_roles = CONTRIBUTORS
    write_roles = CONTRIBUTORS
    _use_case: UseCase

    def get_use_case(self) -> UseCase:
        if not hasattr(self, "_use_case"):
            self._use_case = get_object_or_404(UseCase.objects.all(), pk=self.kwargs["pk"])
        return self._use_case

    def get_initial(self) -> dict[str, Any]:
        initial = super().get_initial()
        if (source := self.request.GET.get("data_source", "")).isdigit():
            initial["data_source"] = int(source)
        return initial

    def get_form_kwargs(self) -> dict[str, Any]:
        return {
            **super().get_form_kwargs(),
            "data_sources": selectors.assessable_datasources(use_case=self.get_use_case()),
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "use_case": self.get_use_case()}

    def form_valid(self, form: AssessmentForm) -> HttpResponse:
        data = dict(form.cleaned_data)
        data_source = data.pop("data_source")
        try:
            assessment = assessment_create(
                organization=self.organization,
                actor=self.request.user,
                use_case=self.get_use_case(),
                data_source=data_source,
                **data,
            )
        except ValidationError as exc:
            apply_validation_error(cast(forms.Form, form), exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Assessment saved: %(verdict)s.") % {"verdict": assessment.readiness.get_verdict_display()},
        )
        return redirect("datasources:assessment_detail", org_slug=self.organization.slug, pk=assessment.pk)


class AssessmentDetailView(AssessmentObjectMixin, TemplateView):
    template_name = "datasources/assessment_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        assessment = self.get_assessment()
        context.update(
            {
                "assessment": assessment,
                "result": assessment.readiness,
                "form": AssessmentForm(instance=assessment),
                "can_edit": self.can(*CONTRIBUTORS),
                "can_see_history": self.can(*AUDIT_READERS),
            }
        )
        if context["can_see_history"]:
            context["history"] = selectors.assessment_history(organization=self.organization, assessment=assessment)
        return context


class AssessmentEditView(AssessmentObjectMixin, FormView):
    template_name = "datasources/assessment_form.html"
    form_class = AssessmentForm
    read_roles = CONTRIBUTORS
    write_roles = CONTRIBUTORS

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "instance": self.get_assessment()}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        assessment = self.get_assessment()
        return {
            **super().get_context_data(**kwargs),
            "assessment": assessment,
            "use_case": assessment.use_case,
        }

    def form_valid(self, form: AssessmentForm) -> HttpResponse:
        try:
            assessment = assessment_update(
                organization=self.organization,
                actor=self.request.user,
                assessment=self.get_assessment(),
                **form.cleaned_data,
            )
        except ValidationError as exc:
            apply_validation_error(cast(forms.Form, form), exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Assessment saved: %(verdict)s.") % {"verdict": assessment.readiness.get_verdict_display()},
        )
        return redirect("datasources:assessment_detail", org_slug=self.organization.slug, pk=assessment.pk)


class AssessmentDeleteView(AssessmentObjectMixin, TemplateView):
    template_name = "datasources/assessment_delete.html"
    read_roles = CONTRIBUTORS
    write_roles = CONTRIBUTORS

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "assessment": self.get_assessment()}

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        assessment = self.get_assessment()
        use_case_pk = assessment.use_case_id
        assessment_delete(organization=self.organization, actor=request.user, assessment=assessment)
        messages.success(request, _("Assessment removed."))
        return redirect("usecases:detail", org_slug=self.organization.slug, pk=use_case_pk)
