from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from apps.core.navigation import items_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from apps.organizations.selectors import organizations_for_user

    context: dict[str, Any] = {"user_organizations": organizations_for_user(user=user)}
    organization = getattr(request, "organization", None)
    membership = getattr(request, "membership", None)
    if organization is not None and membership is not None:
        # every page under /o/<slug>/ gets these (set by OrgMixin), whatever view renders it
        context["organization"] = organization
        context["membership"] = membership
        context["current_organization"] = organization
        context["org_nav"] = items_for(organization=organization, membership=membership, current_path=request.path)
    return context
