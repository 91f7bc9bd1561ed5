from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.utils.dateparse import parse_date
from django.views.generic import TemplateView

from apps.audit.selectors import audit_events_for_org
from apps.core.permissions import AUDIT_READERS
from apps.core.views import OrgMixin


class AuditLogView(OrgMixin, TemplateView):
    """The organization's audit log with filters (action prefix, actor, target type, date range)."""

    template_name = "audit/log.html"
    read_roles = AUDIT_READERS

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        params = self.request.GET
        qs = audit_events_for_org(organization=self.organization)
        if action := params.get("action", "").strip():
            qs = qs.filter(action__startswith=action[:100])
        if actor := params.get("actor", "").strip():
            qs = qs.filter(actor_label__icontains=actor[:254])
        if target := params.get("target_type", "").strip():
            qs = qs.filter(target_type=target[:100])
        if (since := parse_date(params.get("since", "") or "")) is not None:
            qs = qs.filter(created_at__date__gte=since)
        if (until := parse_date(params.get("until", "") or "")) is not None:
            qs = qs.filter(created_at__date__lte=until)
        page = Paginator(qs, 50).get_page(params.get("page"))
        context.update({"page": page, "events": page.object_list, "filters": params})
        return context
