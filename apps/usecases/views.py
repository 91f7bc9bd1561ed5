"""Use-case pages. Thin: forms in, service calls, redirects; reads through selectors."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from apps.core.forms import apply_validation_error
from apps.core.permissions import AUDIT_READERS, CONTRIBUTORS
from apps.core.views import OrgMixin
from apps.datasources.readiness import Verdict
from apps.datasources.selectors import usecase_readiness
from apps.usecases import selectors
from apps.usecases.filters import UseCaseFilter
from apps.usecases.forms import PhaseMoveForm, UseCaseForm
from apps.usecases.models import UseCase
from apps.usecases.services import usecase_create, usecase_delete, usecase_move_phase, usecase_update

PAGE_SIZE = 50


class UseCaseObjectMixin(OrgMixin):
    kwargs: dict[str, Any]
    _use_case: UseCase

    def get_use_case(self) -> UseCase:
        if not hasattr(self, "_use_case"):
            self._use_case = get_object_or_404(selectors.usecase_detail(), pk=self.kwargs["pk"])
        return self._use_case


class UseCaseListView(OrgMixin, TemplateView):
    template_name = "usecases/list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        filterset = UseCaseFilter(self.request.GET or None, queryset=selectors.usecase_list(), request=self.request)
        queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else selectors.usecase_list()
        page = Paginator(queryset, PAGE_SIZE).get_page(self.request.GET.get("page"))
        rows = [(use_case, usecase_readiness(use_case=use_case)) for use_case in page.object_list]
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            {
                "filter": filterset,
                "page": page,
                "rows": rows,
                "query": query.urlencode(),
                "can_edit": self.can(*CONTRIBUTORS),
            }
        )
        return context


class UseCaseCreateView(OrgMixin, FormView):
    template_name = "usecases/form.html"
    form_class = UseCaseForm
    read_roles = CONTRIBUTORS
    write_roles = CONTRIBUTORS

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "organization": self.organization}

    def form_valid(self, form: UseCaseForm) -> HttpResponse:
        try:
            use_case = usecase_create(organization=self.organization, actor=self.request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(cast(forms.Form, form), exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Use case “%(title)s” created.") % {"title": use_case.title})
        return redirect("usecases:detail", org_slug=self.organization.slug, pk=use_case.pk)


class UseCaseEditView(UseCaseObjectMixin, FormView):
    template_name = "usecases/form.html"
    form_class = UseCaseForm
    read_roles = CONTRIBUTORS
    write_roles = CONTRIBUTORS

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "organization": self.organization, "instance": self.get_use_case()}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "use_case": self.get_use_case()}

    def form_valid(self, form: UseCaseForm) -> HttpResponse:
        try:
            use_case = usecase_update(
                organization=self.organization,
                actor=self.request.user,
                use_case=self.get_use_case(),
                **form.cleaned_data,
            )
        except ValidationError as exc:
            apply_validation_error(cast(forms.Form, form), exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Use case saved."))
        return redirect("usecases:detail", org_slug=self.organization.slug, pk=use_case.pk)


class UseCaseDetailView(UseCaseObjectMixin, TemplateView):
    """The use-case overview: problem, requirements, data sources with readiness, phase timeline,
    and (for auditors and admins) the history."""

    template_name = "usecases/detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        use_case = self.get_use_case()
        assessments = list(use_case.data_assessments.all())
        context.update(
            {
                "use_case": use_case,
                "assessments": assessments,
                "rollup": usecase_readiness(use_case=use_case),
                "Verdict": Verdict,
                "transitions": list(use_case.phase_transitions.all()),
                "can_edit": self.can(*CONTRIBUTORS),
                "can_see_history": self.can(*AUDIT_READERS),
                "highest_classification": use_case.get_highest_classification_display(),
            }
        )
        if context["can_edit"]:
            context["phase_form"] = PhaseMoveForm(current_phase=use_case.phase)
        if context["can_see_history"]:
            context["history"] = selectors.usecase_history(organization=self.organization, use_case=use_case)
        return context


class UseCasePhaseView(UseCaseObjectMixin, FormView):
    """Move the use case to another phase (any direction) with a reason."""

    template_name = "usecases/phase.html"
    form_class = PhaseMoveForm
    read_roles = CONTRIBUTORS
    write_roles = CONTRIBUTORS

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "current_phase": self.get_use_case().phase}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "use_case": self.get_use_case()}

    def form_valid(self, form: PhaseMoveForm) -> HttpResponse:
        use_case = self.get_use_case()
        try:
            transition = usecase_move_phase(
                organization=self.organization,
                actor=self.request.user,
                use_case=use_case,
                to_phase=form.cleaned_data["to_phase"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            apply_validation_error(cast(forms.Form, form), exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Moved to %(phase)s.") % {"phase": transition.get_to_phase_display()})
        return redirect("usecases:detail", org_slug=self.organization.slug, pk=use_case.pk)


class UseCaseDeleteView(UseCaseObjectMixin, TemplateView):
    template_name = "usecases/delete.html"
    read_roles = CONTRIBUTORS
    write_roles = CONTRIBUTORS

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "use_case": self.get_use_case()}

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        use_case = self.get_use_case()
        title = use_case.title
        try:
            usecase_delete(organization=self.organization, actor=request.user, use_case=use_case)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("usecases:detail", org_slug=self.organization.slug, pk=use_case.pk)
        messages.success(request, _("Use case “%(title)s” deleted.") % {"title": title})
        return redirect("usecases:list", org_slug=self.organization.slug)
