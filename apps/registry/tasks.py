"""Registry tasks: thin, org-scoped (they take ``organization_id`` and re-open the scope)."""

from __future__ import annotations

from celery import shared_task

from apps.catalog.models import CatalogChangeEvent
from apps.core.tenancy import org_scope
from apps.organizations.models import Organization
from apps.registry import services


@shared_task(
    name="registry.notify_catalog_event",
    acks_late=True,
    ignore_result=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def registry_notify_catalog_event_task(*, organization_id: int, event_id: int) -> bool:
    organization = Organization.objects.filter(pk=organization_id).first()
    event = CatalogChangeEvent.objects.select_related("entry").filter(pk=event_id).first()
    if organization is None or event is None:
        return False
    with org_scope(organization):
        return services.registry_notify_catalog_event(organization=organization, event=event) is not None


registry_notify_catalog_event = registry_notify_catalog_event_task
