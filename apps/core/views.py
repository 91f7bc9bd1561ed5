"""The one place pages resolve the organization from the URL, check membership and roles, and open
the tenancy scope. Page views for tenant data inherit :class:`OrgMixin` and receive
``self.organization`` and ``self.membership``; they don't override ``dispatch``."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponseBase
from django_scopes import scope

from apps.core.permissions import ALL_ROLES
from apps.organizations.models import Membership, Organization
from apps.organizations.selectors import membership_for
from apps.sso.policy import org_login_policy_response


class OrgMixin(LoginRequiredMixin):
    """Resolve ``org_slug`` → organization; non-members get 404; members without the role get 403."""

    read_roles: ClassVar[tuple[str, ...]] = ALL_ROLES
    write_roles: ClassVar[tuple[str, ...]] = ()

    organization: Organization
    membership: Membership

    def allowed_roles(self, request: HttpRequest) -> tuple[str, ...]:
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return self.read_roles
        return self.write_roles

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        found = membership_for(user=request.user, org_slug=kwargs.get("org_slug", ""))
        if found is None:
            raise Http404
        self.organization, self.membership = found
        blocked = org_login_policy_response(request, self.organization, self.membership)
        if blocked is not None:  # the organization requires SSO or MFA for this member
            return blocked
        request.organization = self.organization  # type: ignore[attr-defined]
        request.membership = self.membership  # type: ignore[attr-defined]
        if not self.membership.has_any_role(*self.allowed_roles(request)):
            raise PermissionDenied
        with scope(organization=self.organization):
            response = super().dispatch(request, *args, **kwargs)  # type: ignore[misc]
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()
        return response

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        context["organization"] = self.organization
        context["membership"] = self.membership
        return context

    def can(self, *roles: str) -> bool:
        return self.membership.has_any_role(*roles)
