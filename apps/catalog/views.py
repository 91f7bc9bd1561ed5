"""Catalog pages (under an organization's URL: any member reads; admins refresh and edit the schedule)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from apps.core.permissions import ADMINS, ALL_ROLES, CONTRIBUTORS
from apps.core.views import OrgMixin

from . import selectors
from .forms import CatalogFilterForm, RefreshForm, ScheduleForm
from .licences import licence_facts
from .models import TRACKED_FIELDS, CatalogEntry, RefreshRun
from .services import catalog_refresh_request, catalog_schedule_update

# the factor sheet: every tracked fact but the ones shown elsewhere on the page
FACT_FIELDS = tuple(
    f
    for f in TRACKED_FIELDS
    if f not in ("display_name", "commercial_use_condition", "capabilities", "hf_sha", "hf_gated")
)


def entry_facts(entry: CatalogEntry) -> list[dict[str, Any]]:
    facts = []
    for name in FACT_FIELDS:
        field = CatalogEntry._meta.get_field(name)
        value: Any = getattr(entry, name)
        display = getattr(entry, f"get_{name}_display")() if getattr(field, "choices", None) else value
        if isinstance(value, list):
            display = ", ".join(str(v) for v in value)
        facts.append(
            {
                "name": name,
                "label": getattr(field, "verbose_name", name),
                "value": value,
                "display": display,
                "empty": value in (None, "", []),
                "provenance": entry.provenance_for(name),
            }
        )
    return facts


class CatalogListView(OrgMixin, TemplateView):
    template_name = "catalog/list.html"
    read_roles = ALL_ROLES

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = CatalogFilterForm(self.request.GET or None)
        filters = form.filters() if self.request.GET else {}
        paginator = Paginator(selectors.catalog_search(**filters), 50)  # type: ignore[arg-type]
        page = paginator.get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            form=form,
            page=page,
            entries=page.object_list,
            querystring=query.urlencode(),
            can_register=self.can(*CONTRIBUTORS),
        )
        return context


class CatalogDetailView(OrgMixin, TemplateView):
    template_name = "catalog/detail.html"
    read_roles = ALL_ROLES

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        from apps.registry.models import RegisteredModel

        context = super().get_context_data(**kwargs)
        entry = selectors.catalog_entry_get(pk=self.kwargs["pk"])
        if entry is None:
            raise Http404
        context.update(
            entry=entry,
            facts=entry_facts(entry),
            licence=licence_facts(entry.licence_id),
            history=selectors.catalog_entry_history(entry=entry),
            events=entry.change_events.all()[:20],
            registered=RegisteredModel.objects.filter(organization=self.organization, catalog_entry=entry).first(),
            can_register=self.can(*CONTRIBUTORS),
        )
        return context


class RefreshRunListView(OrgMixin, TemplateView):
    template_name = "catalog/runs.html"
    read_roles = ALL_ROLES

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        schedule_forms = []
        for source, task in selectors.schedules():
            crontab = task.crontab if task is not None else None
            initial = {
                "source": source,
                "enabled": bool(task and task.enabled),
                "hour": _int(crontab.hour if crontab else "3"),
                "minute": _int(crontab.minute if crontab else "0"),
            }
            schedule_forms.append((RefreshRun.Source(source).label, task, ScheduleForm(initial=initial)))
        context.update(
            runs=selectors.refresh_runs(),
            active=selectors.active_runs(),
            sources=RefreshRun.Source.choices,
            schedule_forms=schedule_forms,
            is_admin=self.can(*ADMINS),
        )
        return context


def _int(value: str) -> int | None:
    return int(value) if str(value).isdigit() else None


class RefreshRunDetailView(OrgMixin, TemplateView):
    template_name = "catalog/run_detail.html"
    read_roles = ALL_ROLES

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        run = selectors.refresh_run_get(pk=self.kwargs["pk"])
        if run is None:
            raise Http404
        context["run"] = _with_progress(run)
        context["changes"] = run.changes.select_related("entry").order_by("entry__display_name", "field")[:500]
        return context


class RefreshRunProgressView(RefreshRunDetailView):
    """The small partial htmx polls every 2 s while a run is active."""

    template_name = "catalog/_run_progress.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super(RefreshRunDetailView, self).get_context_data(**kwargs)
        run = selectors.refresh_run_get(pk=self.kwargs["pk"])
        if run is None:
            raise Http404
        context["run"] = _with_progress(run)
        return context


def _with_progress(run: RefreshRun) -> RefreshRun:
    from .services import refresh_run_counts

    if run.is_active:
        counts = refresh_run_counts(run)
        run.checked, run.changed, run.failed, run.offline = (
            counts["checked"],
            counts["changed"],
            counts["failed"],
            counts["offline"],
        )
        run.total = max(run.total, counts["total"])
    run.percent = int(100 * run.checked / run.total) if run.total else (100 if run.finished_at else 0)  # type: ignore[attr-defined]
    return run


class RefreshNowView(OrgMixin, View):
    read_roles = ADMINS
    write_roles = ADMINS

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = RefreshForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose a source to refresh."))
            return redirect("catalog:runs", org_slug=self.organization.slug)
        run, created = catalog_refresh_request(
            organization=self.organization, actor=request.user, source=form.cleaned_data["source"]
        )
        if created:
            messages.success(request, _("Refresh started."))
        else:
            messages.info(request, _("A refresh of this source is already running; showing it."))
        return redirect("catalog:run_detail", org_slug=self.organization.slug, pk=run.pk)


class ScheduleUpdateView(OrgMixin, View):
    read_roles = ADMINS
    write_roles = ADMINS

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # The schedule is shared by every organization: one tenant's admin must not change it for
        # all the others, so it takes an admin who is also site staff (the operator).
        if not request.user.is_staff:
            raise PermissionDenied
        form = ScheduleForm(request.POST)
        if not form.is_valid():
            errors = "; ".join(
                f"{form.fields[f].label if f in form.fields else ''}: {' '.join(str(m) for m in e)}"
                for f, e in form.errors.items()
            )
            messages.error(request, _("The schedule was not changed: %(errors)s") % {"errors": errors})
            return redirect("catalog:runs", org_slug=self.organization.slug)
        data = form.cleaned_data
        try:
            catalog_schedule_update(
                organization=self.organization,
                actor=request.user,
                source=data["source"],
                enabled=data["enabled"],
                minute=str(data["minute"]),
                hour=str(data["hour"]),
            )
        except ValidationError as exc:
            messages.error(request, _("The schedule was not changed: %(errors)s") % {"errors": "; ".join(exc.messages)})
        else:
            messages.success(request, _("Schedule saved."))
        return redirect("catalog:runs", org_slug=self.organization.slug)


class ChangeEventListView(OrgMixin, TemplateView):
    template_name = "catalog/events.html"
    read_roles = ALL_ROLES

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["events"] = selectors.change_events_since().reverse()[:200]
        return context
