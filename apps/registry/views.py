"""Registry pages: list, register (from the catalog or by hand), detail with the factor sheet, edit, remove."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from apps.catalog.selectors import catalog_entry_get
from apps.core.forms import apply_validation_error
from apps.core.permissions import ALL_ROLES, CONTRIBUTORS
from apps.core.views import OrgMixin
from apps.registry import selectors
from apps.registry.forms import RegisteredModelForm, RegistryFilterForm
from apps.registry.models import RegisteredModel
from apps.registry.services import registered_model_create, registered_model_delete, registered_model_update


class RegistryListView(OrgMixin, TemplateView):
    template_name = "registry/list.html"
    read_roles = ALL_ROLES

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = RegistryFilterForm(self.request.GET or None)
        filters = form.filters() if self.request.GET else {}
        qs = selectors.registered_model_list(organization=self.organization, **filters)
        page = Paginator(qs, 50).get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            form=form,
            page=page,
            models=page.object_list,
            querystring=query.urlencode(),
            can_edit=self.can(*CONTRIBUTORS),
        )
        return context


class _RegisteredMixin(OrgMixin):
    kwargs: dict[str, Any]

    def get_registered(self) -> RegisteredModel:
        registered = selectors.registered_model_get(organization=self.organization, pk=self.kwargs["pk"])
        if registered is None:
            raise Http404
        return registered


class RegistryDetailView(_RegisteredMixin, TemplateView):
    template_name = "registry/detail.html"
    read_roles = ALL_ROLES

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        registered = self.get_registered()
        context.update(
            registered=registered,
            factors=selectors.registered_model_factors(registered),
            licence=selectors.registered_model_licence_facts(registered),
            history=selectors.registered_model_catalog_history(registered),
            notifications=selectors.registered_model_notifications(
                organization=self.organization, registered=registered
            )[:20],
            can_edit=self.can(*CONTRIBUTORS),
        )
        return context


class RegistryCreateView(OrgMixin, View):
    read_roles = CONTRIBUTORS
    write_roles = CONTRIBUTORS
    template_name = "registry/form.html"

    def _entry(self, request: HttpRequest) -> Any:
        raw = request.POST.get("entry") or request.GET.get("entry")
        if not raw:
            return None
        if not str(raw).isdigit() or (entry := catalog_entry_get(pk=int(raw))) is None:
            raise Http404
        return entry

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        entry = self._entry(request)
        existing = None
        if entry is not None:
            existing = RegisteredModel.objects.filter(organization=self.organization, catalog_entry=entry).first()
            if existing is not None:
                messages.info(request, _("This catalog model is already in the registry."))
                return redirect("registry:detail", org_slug=self.organization.slug, pk=existing.pk)
        form = RegisteredModelForm(organization=self.organization, catalog_entry=entry, initial={"owner": request.user})
        return self._render(request, form, entry)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        entry = self._entry(request)
        form = RegisteredModelForm(request.POST, organization=self.organization, catalog_entry=entry)
        if form.is_valid():
            values = {k: v for k, v in form.cleaned_data.items() if k in form.fields}
            try:
                registered = registered_model_create(
                    organization=self.organization, actor=request.user, catalog_entry=entry, **values
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)  # type: ignore[arg-type]
            else:
                messages.success(request, _("“%(name)s” added to the registry.") % {"name": registered.name})
                return redirect("registry:detail", org_slug=self.organization.slug, pk=registered.pk)
        return self._render(request, form, entry, status=400)

    def _render(self, request: HttpRequest, form: Any, entry: Any, status: int = 200) -> HttpResponse:
        context = {"form": form, "entry": entry}
        return render(request, self.template_name, context, status=status)


class RegistryEditView(_RegisteredMixin, View):
    read_roles = CONTRIBUTORS
    write_roles = CONTRIBUTORS
    template_name = "registry/form.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        registered = self.get_registered()
        form = RegisteredModelForm(
            instance=registered, organization=self.organization, catalog_entry=registered.catalog_entry
        )
        return self._render(request, form, registered)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        registered = self.get_registered()
        original = RegisteredModel.objects.get(pk=registered.pk)
        form = RegisteredModelForm(
            request.POST, instance=registered, organization=self.organization, catalog_entry=registered.catalog_entry
        )
        if form.is_valid():
            values = {k: v for k, v in form.cleaned_data.items() if k in form.fields}
            try:
                registered_model_update(
                    organization=self.organization, actor=request.user, registered_model=original, **values
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)  # type: ignore[arg-type]
            else:
                messages.success(request, _("Changes saved."))
                return redirect("registry:detail", org_slug=self.organization.slug, pk=original.pk)
        return self._render(request, form, registered, status=400)

    def _render(self, request: HttpRequest, form: Any, registered: Any, status: int = 200) -> HttpResponse:
        context = {
            "form": form,
            "entry": registered.catalog_entry,
            "registered": registered,
        }
        return render(request, self.template_name, context, status=status)


class RegistryDeleteView(_RegisteredMixin, View):
    read_roles = CONTRIBUTORS
    write_roles = CONTRIBUTORS

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        registered = self.get_registered()
        context = {"registered": registered}
        return render(request, "registry/delete.html", context)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        registered = self.get_registered()
        name = registered.name
        try:
            registered_model_delete(organization=self.organization, actor=request.user, registered_model=registered)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("registry:detail", org_slug=self.organization.slug, pk=registered.pk)
        messages.success(request, _("“%(name)s” removed from the registry.") % {"name": name})
        return redirect("registry:list", org_slug=self.organization.slug)
