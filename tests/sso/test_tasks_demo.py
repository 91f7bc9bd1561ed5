from __future__ import annotations

from typing import Any

from django_scopes import scopes_disabled

from apps.core.tenancy import org_scope
from apps.sso.demo import seed_demo
from apps.sso.models import SsoConnection, SsoDomain
from apps.sso.tasks import refresh_all_saml_metadata, refresh_saml_metadata
from tests.sso.helpers import events
from tests.support.saml_idp import SamlIdp, generate_key_pair


def test_metadata_refresh_picks_up_a_new_certificate(org_a: Any, saml_idp: SamlIdp) -> None:
    from apps.sso import services

    with org_scope(org_a):
        connection = services.connection_create(
            organization=org_a,
            actor=None,
            protocol="saml",
            name="Meta",
            key="rollover",
            saml_metadata_url=saml_idp.metadata_url,
            is_enabled=True,
        )
    assert refresh_saml_metadata(organization_id=org_a.pk, connection_id=connection.pk) is False  # unchanged
    old_keys = saml_idp.keys
    saml_idp.keys = generate_key_pair("Rolled over")
    saml_idp._write_keys("idp", saml_idp.keys)
    try:
        assert refresh_all_saml_metadata() == 1  # eager in tests: runs the per-connection task
        with scopes_disabled():
            connection.refresh_from_db()
        assert connection.saml_idp_certificate == saml_idp.keys.cert_base64
        assert events(org_a, "sso.connection.metadata_refreshed")
    finally:
        saml_idp.keys = old_keys
        saml_idp._write_keys("idp", old_keys)


def test_seed_demo_is_idempotent(org_a: Any, members_a: Any) -> None:
    with org_scope(org_a):
        seed_demo(organization=org_a, members=members_a)
        seed_demo(organization=org_a, members=members_a)
        assert SsoDomain.objects.get().is_verified
        connection = SsoConnection.objects.get()
        assert not connection.is_enabled and connection.social_app_id is None
