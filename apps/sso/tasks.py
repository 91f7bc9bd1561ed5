"""Periodic refresh of SAML IdP metadata (certificate rollover). Beat entry for the lead:
``"sso-refresh-saml-metadata": {"task": "apps.sso.tasks.refresh_all_saml_metadata", "schedule": 6 * 3600}``."""

from __future__ import annotations

import logging

from celery import shared_task
from django.core.exceptions import ValidationError
from django_scopes import scopes_disabled

from apps.core.tenancy import org_scope
from apps.organizations.models import Organization
from apps.sso import services
from apps.sso.models import SsoConnection

logger = logging.getLogger(__name__)


@shared_task
def refresh_all_saml_metadata() -> int:
    """Queue one refresh per SAML connection that has a metadata URL; returns how many."""
    with scopes_disabled():  # a cross-organization sweep; each refresh re-enters its own scope
        rows = list(
            SsoConnection.objects.filter(protocol="saml")
            .exclude(saml_metadata_url="")
            .values_list("organization_id", "pk")
        )
    for organization_id, connection_id in rows:
        refresh_saml_metadata.delay(organization_id=organization_id, connection_id=connection_id)
    return len(rows)


@shared_task
def refresh_saml_metadata(*, organization_id: int, connection_id: int) -> bool:
    organization = Organization.objects.get(pk=organization_id)
    with org_scope(organization):
        connection = SsoConnection.objects.filter(pk=connection_id).first()
        if connection is None:
            return False
        try:
            return services.connection_refresh_saml_metadata(
                organization=organization, actor=None, connection=connection
            )
        except ValidationError as exc:
            logger.warning("SAML metadata refresh failed for %s: %s", connection.provider_id, exc.messages)
            return False
