"""The one place the API resolves the organization from the URL, checks membership, token scope and
roles, and opens the tenancy scope. Tenant viewsets inherit :class:`OrgViewSetMixin` (or one of the
ready-made combinations) and don't override ``initial``/``dispatch``."""

from __future__ import annotations

from contextlib import ExitStack
from typing import Any, ClassVar

from django.http import HttpRequest
from django_scopes import scope
from rest_framework import exceptions, mixins, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.permissions import ALL_ROLES
from apps.organizations.models import Membership, Organization
from apps.organizations.selectors import membership_for
from apps.sso.policy import check_org_login_policy

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class OrgViewSetMixin:
    """Resolves ``org_slug``; a non-member (or a token of another organization) gets 404."""

    read_roles: ClassVar[tuple[str, ...]] = ALL_ROLES
    write_roles: ClassVar[tuple[str, ...]] = ()
    action_roles: ClassVar[dict[str, tuple[str, ...]]] = {}

    organization: Organization
    membership: Membership

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        self._scope_stack = ExitStack()
        with self._scope_stack:
            response = super().dispatch(request, *args, **kwargs)  # type: ignore[misc]
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()
            return response

    def allowed_roles(self, request: Request) -> tuple[str, ...]:
        action = getattr(self, "action", None)
        if action in self.action_roles:
            return self.action_roles[action]
        return self.read_roles if request.method in SAFE_METHODS else self.write_roles

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        found = membership_for(user=request.user, org_slug=kwargs.get("org_slug", ""))
        token = getattr(request, "auth", None)
        if found is None or (token is not None and getattr(token, "organization_id", None) != found[0].pk):
            raise exceptions.NotFound()
        self.organization, self.membership = found
        if token is None:  # a session: the organization's SSO/MFA policy applies
            violation = check_org_login_policy(request._request, self.organization, self.membership)
            if violation is not None:
                raise exceptions.PermissionDenied(detail=violation.message, code=violation.code)
        request.organization = self.organization  # type: ignore[attr-defined]
        if not self.membership.has_any_role(*self.allowed_roles(request)):
            raise exceptions.PermissionDenied()
        self._scope_stack.enter_context(scope(organization=self.organization))

    def get_serializer_context(self) -> dict[str, Any]:
        context: dict[str, Any] = super().get_serializer_context()  # type: ignore[misc]
        context["organization"] = getattr(self, "organization", None)
        return context


class OrgReadOnlyViewSet(OrgViewSetMixin, viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    pass


class OrgModelViewSet(OrgViewSetMixin, viewsets.ModelViewSet):  # type: ignore[type-arg]
    """CRUD whose writes go through services: subclasses implement ``perform_create``,
    ``perform_update`` and ``perform_destroy`` by calling the app's service functions."""


class OrgGenericViewSet(OrgViewSetMixin, viewsets.GenericViewSet):  # type: ignore[type-arg]
    pass


__all__ = [
    "OrgGenericViewSet",
    "OrgModelViewSet",
    "OrgReadOnlyViewSet",
    "OrgViewSetMixin",
    "Response",
    "mixins",
]
