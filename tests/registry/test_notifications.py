"""Catalog changes reach the admins of the organizations that registered the model: once per org per event."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from django_scopes import scopes_disabled

from apps.audit.models import AuditEvent
from apps.catalog.models import CatalogChangeEvent, RefreshRun
from apps.catalog.services import refresh_run_start
from apps.catalog.tasks import catalog_event_fanout
from apps.core.tenancy import org_scope
from apps.registry.models import CatalogChangeNotification
from apps.registry.services import registered_model_create
from tests.catalog.fixtures import add_hub_entry
from tests.factories import OrganizationFactory
from tests.support.hub_server import HubServer


def audit_events(**filters: Any) -> Any:
    with scopes_disabled():
        return list(AuditEvent.objects.filter(**filters))


pytestmark = pytest.mark.django_db(transaction=True)


def refresh_hub() -> RefreshRun:
    run, _created = refresh_run_start(source="hub", trigger="manual")
    run.refresh_from_db()
    return run


def test_licence_change_notifies_each_registering_org_once(
    hub: HubServer, org_a: Any, members_a: Any, org_b: Any, members_b: Any, client_for: Callable[[Any], Any]
) -> None:
    hub.add_repo("acme/open-7b", licence="apache-2.0")
    entry = add_hub_entry("acme/open-7b")
    bystander = OrganizationFactory(slug="org-c")
    refresh_hub()
    members_b["admin"].preferred_language = "ru"
    members_b["admin"].save()
    for org, members in ((org_a, members_a), (org_b, members_b)):
        with org_scope(org):
            registered_model_create(organization=org, actor=members["contributor"], catalog_entry=entry)
    mail.outbox.clear()

    hub.update_repo("acme/open-7b", licence="cc-by-nc-4.0")
    refresh_hub()
    refresh_hub()

    events = list(CatalogChangeEvent.objects.filter(entry=entry).order_by("kind"))
    assert [e.kind for e in events] == ["commercial_use", "licence"]
    with scopes_disabled():
        notifications = CatalogChangeNotification.objects.all()
        assert sorted((n.organization_id, n.event_id) for n in notifications) == sorted(
            (org.pk, e.pk) for org in (org_a, org_b) for e in events
        )
        assert not CatalogChangeNotification.objects.filter(organization=bystander).exists()
        assert all(n.sent_at for n in notifications)
    # one e-mail per admin per event; each org has one admin here
    assert len(mail.outbox) == 4
    by_recipient: dict[str, list[str]] = {}
    for message in mail.outbox:
        by_recipient.setdefault(message.to[0], []).append(message.subject)
    assert set(by_recipient) == {members_a["admin"].email, members_b["admin"].email}
    assert any("Licence changed" in s for s in by_recipient[members_a["admin"].email])
    assert all("Charter" in s for s in by_recipient[members_b["admin"].email])
    assert any("Изменилась лицензия" in s for s in by_recipient[members_b["admin"].email])  # in Russian
    assert len(audit_events(organization=org_a, action="registry.catalog_change_notified")) == 2

    # the fan-out running again (a redelivered task) sends nothing more
    for event in events:
        catalog_event_fanout.delay(event.pk)
    assert len(mail.outbox) == 4

    # the diff is visible on the registered model's page, and org B's alerts never show in org A
    with org_scope(org_a):
        registered = entry.registrations.get(organization=org_a)
    page = client_for(members_a["viewer"]).get(
        reverse("registry:detail", kwargs={"org_slug": org_a.slug, "pk": registered.pk})
    )
    html = page.content.decode()
    assert "CC-BY-NC-4.0" in html and "Apache-2.0" in html and "Licence changed" in html
    with org_scope(org_a):
        shown = list(page.context["notifications"])
    assert {n.organization_id for n in shown} == {org_a.pk}


def test_notification_task_rechecks_scope(hub: HubServer, org_a: Any, members_a: Any) -> None:
    from apps.registry.tasks import registry_notify_catalog_event

    hub.add_repo("acme/x", licence="mit")
    entry = add_hub_entry("acme/x", licence_id="mit")
    refresh_hub()
    hub.update_repo("acme/x", licence="gpl-3.0")
    refresh_hub()  # nobody registered it: no notification
    event = CatalogChangeEvent.objects.get(entry=entry, kind="licence")
    with scopes_disabled():
        assert not CatalogChangeNotification.objects.exists()
    # a task for an organization that did not register the model does nothing
    assert registry_notify_catalog_event.delay(organization_id=org_a.pk, event_id=event.pk).get() is False
    assert registry_notify_catalog_event.delay(organization_id=999999, event_id=event.pk).get() is False
