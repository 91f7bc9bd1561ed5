"""Scorecard pages. Thin: forms in, service calls, redirects; reads through selectors and presentation."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from apps.core.forms import apply_validation_error
from apps.core.permissions import ADMINS, CONTRIBUTORS
from apps.core.views import OrgMixin
from apps.scorecards import presentation, selectors, services
from apps.scorecards.display import scoring_error_text
from apps.scorecards.forms import (
    CandidateForm,
    DataPolicyForm,
    ScorecardCreateForm,
    ScorecardEditForm,
    WeightProfileForm,
)
from apps.scorecards.models import Scorecard, ScorecardCandidate, default_policy_rules
from apps.scorecards.scoring import ScoringError

PAGE_SIZE = 50


class ScorecardObjectMixin(OrgMixin):
    kwargs: dict[str, Any]
    _scorecard: Scorecard

    def get_scorecard(self) -> Scorecard:
        if not hasattr(self, "_scorecard"):
            self._scorecard = get_object_or_404(
                Scorecard.objects.filter(organization=self.organization).select_related(
                    "use_case", "created_by", "frozen_by"
                ),
                pk=self.kwargs["pk"],
            )
        return self._scorecard

    def detail_redirect(self, scorecard: Scorecard) -> HttpResponse:
        return redirect("scorecards:detail", org_slug=self.organization.slug, pk=scorecard.pk)


class ScorecardListView(OrgMixin, TemplateView):
    template_name = "scorecards/list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        status = self.request.GET.get("status", "")
        if status not in Scorecard.Status.values:
            status = ""
        q = self.request.GET.get("q", "")[:100]
        page = Paginator(selectors.scorecard_list(organization=self.organization, q=q, status=status), PAGE_SIZE)
        context.update(
            {
                "page": page.get_page(self.request.GET.get("page")),
                "q": q,
                "status": status,
                "query": urlencode({k: v for k, v in (("q", q), ("status", status)) if v}),
                "statuses": Scorecard.Status.choices,
                "can_edit": self.can(*CONTRIBUTORS),
                "can_admin": self.can(*ADMINS),
            }
        )
        return context


class ScorecardCreateView(OrgMixin, FormView):
    template_name = "scorecards/create.html"
    form_class = ScorecardCreateForm
    read_roles = CONTRIBUTORS
    write_roles = CONTRIBUTORS

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "organization": self.organization}

    def get_initial(self) -> dict[str, Any]:
        initial = super().get_initial()
        use_case = self.request.GET.get("use_case", "")
        if use_case.isdigit():
            initial["use_case"] = int(use_case)
        return initial

    def form_valid(self, form: ScorecardCreateForm) -> HttpResponse:
        data = form.cleaned_data
        try:
            scorecard = services.scorecard_create(
                organization=self.organization,
                actor=self.request.user,
                use_case=data["use_case"],
                title=data["title"],
                description=data.get("description", ""),
                registered_models=list(data.get("registered_models") or []),
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Scorecard “%(title)s” created.") % {"title": scorecard.title})
        return redirect("scorecards:detail", org_slug=self.organization.slug, pk=scorecard.pk)


class ScorecardDetailView(ScorecardObjectMixin, TemplateView):
    template_name = "scorecards/detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        scorecard = self.get_scorecard()
        candidates = selectors.scorecard_candidates(scorecard=scorecard)
        context.update(
            {
                "scorecard": scorecard,
                "candidates": {str(c.pk): c for c in candidates},
                "versions": list(selectors.scorecard_versions(scorecard=scorecard)),
                "can_edit": self.can(*CONTRIBUTORS),
                "verified": services.snapshot_verifies(scorecard) if scorecard.is_frozen else None,
            }
        )
        try:
            evaluation = selectors.scorecard_evaluate(
                organization=self.organization, scorecard=scorecard, candidates=candidates
            )
        except ScoringError as exc:
            context["scoring_error"] = scoring_error_text(exc)
            return context
        context["candidate_count"] = len(evaluation.candidates)
        context.update(presentation.page_context(evaluation, overridden=(scorecard.weight_overrides or {}).keys()))
        return context


class ScorecardEditView(ScorecardObjectMixin, FormView):
    """Edit a draft; on a frozen scorecard the same form creates the next version."""

    template_name = "scorecards/edit.html"
    form_class = ScorecardEditForm
    read_roles = CONTRIBUTORS
    write_roles = CONTRIBUTORS

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "profile": selectors.weight_profile_for(organization=self.organization)}

    def get_initial(self) -> dict[str, Any]:
        return ScorecardEditForm.initial_for(self.get_scorecard())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "scorecard": self.get_scorecard()}

    def form_valid(self, form: ScorecardEditForm) -> HttpResponse:
        scorecard = self.get_scorecard()
        was_frozen = scorecard.is_frozen
        try:
            saved = services.scorecard_update(
                organization=self.organization, actor=self.request.user, scorecard=scorecard, **form.service_fields()
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
            return self.form_invalid(form)
        if was_frozen:
            messages.success(self.request, _("Version %(v)s created from the frozen scorecard.") % {"v": saved.version})
        else:
            messages.success(self.request, _("Scorecard saved."))
        return self.detail_redirect(saved)


class ScorecardActionView(ScorecardObjectMixin, TemplateView):
    """POST-only actions on a scorecard (freeze, new version, delete)."""

    read_roles = CONTRIBUTORS
    write_roles = CONTRIBUTORS
    http_method_names = ["post"]
    action = ""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        scorecard = self.get_scorecard()
        try:
            if self.action == "freeze":
                services.scorecard_freeze(organization=self.organization, actor=request.user, scorecard=scorecard)
                messages.success(request, _("Scorecard frozen. Its snapshot can now be referenced by a decision."))
            elif self.action == "new_version":
                new = services.scorecard_new_version(
                    organization=self.organization, actor=request.user, scorecard=scorecard
                )
                messages.success(request, _("Version %(v)s created as a draft.") % {"v": new.version})
                return self.detail_redirect(new)
            elif self.action == "delete":
                title = scorecard.title
                services.scorecard_delete(organization=self.organization, actor=request.user, scorecard=scorecard)
                messages.success(request, _("Scorecard “%(title)s” deleted.") % {"title": title})
                return redirect("scorecards:list", org_slug=self.organization.slug)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        return self.detail_redirect(scorecard)


class ScorecardSnapshotView(ScorecardObjectMixin, TemplateView):
    """The frozen snapshot as canonical JSON (its SHA-256 is the one shown on the page)."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        scorecard = self.get_scorecard()
        if not scorecard.is_frozen or not scorecard.snapshot:
            raise Http404
        body = services.canonical_json(scorecard.snapshot)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        filename = f"scorecard-{scorecard.pk}-v{scorecard.version}.json"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["X-Content-SHA256"] = scorecard.snapshot_sha256
        return response


class CandidateAddView(ScorecardObjectMixin, FormView):
    template_name = "scorecards/candidate_form.html"
    form_class = CandidateForm
    read_roles = CONTRIBUTORS
    write_roles = CONTRIBUTORS

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "organization": self.organization, "adding": True}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "scorecard": self.get_scorecard()}

    def form_valid(self, form: CandidateForm) -> HttpResponse:
        data = dict(form.cleaned_data)
        registered = data.pop("registered_model")
        try:
            services.candidate_add(
                organization=self.organization,
                actor=self.request.user,
                scorecard=self.get_scorecard(),
                registered_model=registered,
                **data,
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)  # type: ignore[arg-type]
            return self.form_invalid(form)
        messages.success(self.request, _("“%(name)s” added to the shortlist.") % {"name": registered.name})
        return self.detail_redirect(self.get_scorecard())


class CandidateObjectMixin(OrgMixin):
    kwargs: dict[str, Any]
    _candidate: ScorecardCandidate

    def get_candidate(self) -> ScorecardCandidate:
        if not hasattr(self, "_candidate"):
            self._candidate = get_object_or_404(
                ScorecardCandidate.objects.filter(organization=self.organization).select_related(
                    "scorecard", "registered_model"
                ),
                pk=self.kwargs["pk"],
            )
        return self._candidate


class CandidateEditView(CandidateObjectMixin, FormView):
    template_name = "scorecards/candidate_form.html"
    form_class = CandidateForm
    read_roles = CONTRIBUTORS
    write_roles = CONTRIBUTORS

    def get_form_kwargs(self) -> dict[str, Any]:
        return {
            **super().get_form_kwargs(),
            "organization": self.organization,
            "adding": False,
            "instance": self.get_candidate(),
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        candidate = self.get_candidate()
        return {**super().get_context_data(**kwargs), "scorecard": candidate.scorecard, "candidate": candidate}

    def form_valid(self, form: CandidateForm) -> HttpResponse:
        candidate = self.get_candidate()
        try:
            services.candidate_update(
                organization=self.organization, actor=self.request.user, candidate=candidate, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)  # type: ignore[arg-type]
            return self.form_invalid(form)
        messages.success(self.request, _("Candidate saved."))
        return redirect("scorecards:detail", org_slug=self.organization.slug, pk=candidate.scorecard_id)


class CandidateRemoveView(CandidateObjectMixin, TemplateView):
    read_roles = CONTRIBUTORS
    write_roles = CONTRIBUTORS
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        candidate = self.get_candidate()
        name = candidate.registered_model.name
        try:
            services.candidate_remove(organization=self.organization, actor=request.user, candidate=candidate)
            messages.success(request, _("“%(name)s” removed from the shortlist.") % {"name": name})
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        return redirect("scorecards:detail", org_slug=self.organization.slug, pk=candidate.scorecard_id)


class WeightProfileView(OrgMixin, FormView):
    """The organization's default weights: every member reads them, admins change them."""

    template_name = "scorecards/weights.html"
    form_class = WeightProfileForm
    write_roles = ADMINS

    def get_initial(self) -> dict[str, Any]:
        return WeightProfileForm.initial_for(selectors.weight_profile_for(organization=self.organization))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "can_admin": self.can(*ADMINS),
            "profile": selectors.weight_profile_for(organization=self.organization),
        }

    def form_valid(self, form: WeightProfileForm) -> HttpResponse:
        try:
            services.weight_profile_update(
                organization=self.organization, actor=self.request.user, **form.service_fields()
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Default weights saved."))
        return redirect("scorecards:weights", org_slug=self.organization.slug)


class DataPolicyView(OrgMixin, FormView):
    """Where data of each classification may go: every member reads it, admins change it."""

    template_name = "scorecards/policy.html"
    form_class = DataPolicyForm
    write_roles = ADMINS

    def get_initial(self) -> dict[str, Any]:
        policy = selectors.data_policy_for(organization=self.organization)
        return {**default_policy_rules(), **(policy.rules or {})}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "can_admin": self.can(*ADMINS),
            "policy": selectors.data_policy_for(organization=self.organization),
        }

    def form_valid(self, form: DataPolicyForm) -> HttpResponse:
        try:
            services.data_policy_update(
                organization=self.organization, actor=self.request.user, rules=form.cleaned_data
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Data policy saved."))
        return redirect("scorecards:policy", org_slug=self.organization.slug)
