"""Fail-closed tenancy.

Every tenant-owned model inherits :class:`OrganizationOwned`. Its ``objects`` manager is a
django-scopes ``ScopedManager``: a query outside ``scope(organization=…)`` raises ``ScopeError``
instead of returning every organization's rows, and inside a scope every query is filtered to that
organization. The scope is opened in exactly one place per entry point: :class:`apps.core.views.
OrgMixin` for pages, :class:`apps.core.api.viewsets.OrgViewSetMixin` for the API, ``org_scope`` for
tasks and commands. Greppable escapes: ``scopes_disabled()`` (admin, migrations, cross-org jobs).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from django.db import models
from django_scopes import ScopedManager, scope, scopes_disabled

if TYPE_CHECKING:
    from apps.organizations.models import Organization

__all__ = ["OrganizationOwned", "org_scope", "scopes_disabled", "tenant_models"]


class OrganizationOwned(models.Model):
    """Abstract base of every tenant-owned row.

    ``organization`` is non-editable (forms and serializers never accept it; services set it),
    has no default, and subclasses scope their uniqueness with it.
    """

    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.CASCADE,
        editable=False,
        related_name="+",
    )

    objects = ScopedManager(organization="organization")

    class Meta:
        abstract = True


@contextmanager
def org_scope(organization: Organization) -> Iterator[None]:
    """Open the tenancy scope for one organization (tasks, commands, services called outside views)."""
    if organization is None or getattr(organization, "pk", None) is None:
        raise ValueError("org_scope needs a saved organization")
    with scope(organization=organization):
        yield


def tenant_models() -> list[type[models.Model]]:
    from django.apps import apps

    return [m for m in apps.get_models() if issubclass(m, OrganizationOwned)]


def assert_same_org(organization: Organization, *objects: Any) -> None:
    """Refuse objects of another organization (used by services for FK arguments)."""
    for obj in objects:
        if obj is not None and getattr(obj, "organization_id", organization.pk) != organization.pk:
            raise PermissionError("object belongs to another organization")
