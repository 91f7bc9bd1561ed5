from __future__ import annotations

from typing import Any

import django_filters

from apps.audit.api.serializers import AuditEventSerializer
from apps.audit.models import AuditEvent
from apps.audit.selectors import audit_events_for_org
from apps.core.api.filters import UtcIsoDateTimeFilter
from apps.core.api.viewsets import OrgReadOnlyViewSet
from apps.core.permissions import AUDIT_READERS


class AuditEventFilter(django_filters.FilterSet):
    action = django_filters.CharFilter(field_name="action", lookup_expr="startswith")
    actor = django_filters.CharFilter(field_name="actor_label", lookup_expr="icontains")
    target_type = django_filters.CharFilter(field_name="target_type")
    target_id = django_filters.CharFilter(field_name="target_id")
    since = UtcIsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    until = UtcIsoDateTimeFilter(field_name="created_at", lookup_expr="lte")

    class Meta:
        model = AuditEvent
        fields = ("action", "actor", "target_type", "target_id", "since", "until")


class AuditEventViewSet(OrgReadOnlyViewSet):
    """The organization's audit events (auditors and admins), newest first."""

    serializer_class = AuditEventSerializer
    read_roles = AUDIT_READERS
    filterset_class = AuditEventFilter
    queryset = AuditEvent.objects.none()

    def get_queryset(self) -> Any:
        return audit_events_for_org(organization=self.organization)
