"""Demo data: two organizations with a user of every role, then each app's own demo content.

Idempotent: run it twice and nothing is duplicated. Apps contribute content through
``apps/<app>/demo.py: seed_demo(*, organization, members)`` (called inside the org scope; a
shared-data app — SHARED_DATA_APPS — is first called once with ``organization=None``)."""

from __future__ import annotations

import importlib
import importlib.util
from typing import Any

from django.apps import apps as django_apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django_scopes import scopes_disabled

from apps.accounts.models import User
from apps.audit.services import audit_record
from apps.core.tenancy import org_scope
from apps.organizations.models import Membership, Organization, Role

DEMO_PASSWORD = "charter-demo-2026"  # noqa: S105 - documented demo credential
DEMO_ORGS = [
    ("acme", "Acme Insurance", "Claims, underwriting and customer service."),
    ("globex", "Globex Bank", "Retail banking and compliance."),
]


SHARED_DATA_APPS = {"catalog"}


def demo_email(slug: str, role: str) -> str:
    return f"{role}@{slug}.example"


class Command(BaseCommand):
    help = "Create (or refresh) the demo organizations, users and content."

    def handle(self, *args: Any, **options: Any) -> None:
        modules = []
        for app in settings.LOCAL_APPS:
            label = app.rsplit(".", 1)[-1]
            if importlib.util.find_spec(f"{app}.demo") is not None and django_apps.is_installed(app):
                modules.append((label, importlib.import_module(f"{app}.demo")))
        with transaction.atomic():
            superuser = User.objects.filter(email="admin@charter.example").first()
            if superuser is None:
                User.objects.create_superuser("admin@charter.example", DEMO_PASSWORD, full_name="Site Admin")
            for label, module in modules:
                if label in SHARED_DATA_APPS:
                    with scopes_disabled():
                        module.seed_demo(organization=None, members={})
            for slug, name, description in DEMO_ORGS:
                org, created = Organization.objects.get_or_create(
                    slug=slug, defaults={"name": name, "description": description}
                )
                members: dict[str, User] = {}
                with org_scope(org):
                    for role in Role.values:
                        email = demo_email(slug, role)
                        user = User.objects.filter(email=email).first()
                        if user is None:
                            user = User.objects.create_user(
                                email, DEMO_PASSWORD, full_name=f"{role.title()} {name.split()[0]}"
                            )
                        membership, m_created = Membership.objects.get_or_create(organization=org, user=user)
                        if m_created:
                            membership.set_roles([role])
                            membership.save()
                            audit_record(
                                organization=org,
                                actor=None,
                                action="membership.created",
                                target=membership,
                                target_label=email,
                                data={"roles": [role], "seed": True},
                            )
                        members[role] = user
                    if created:
                        audit_record(
                            organization=org,
                            actor=None,
                            action="organization.created",
                            target=org,
                            data={"name": name, "slug": slug, "seed": True},
                        )
                    for _label, module in modules:
                        module.seed_demo(organization=org, members=members)
        self.stdout.write("Demo organizations: " + ", ".join(s for s, _n, _d in DEMO_ORGS))
        self.stdout.write(f"Every demo user's password: {DEMO_PASSWORD}")
        for slug, _n, _d in DEMO_ORGS:
            for role in Role.values:
                self.stdout.write(f"  {demo_email(slug, role)}  ({role}, {slug})")
        self.stdout.write("  admin@charter.example  (site staff: /admin/)")
