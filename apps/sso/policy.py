"""An organization's sign-in policy, checked when someone enters its pages.

For the lead: call :func:`org_login_policy_response` from ``apps.core.views.OrgMixin.dispatch`` right
after the membership is resolved (and :func:`check_org_login_policy` from the API base for
session-authenticated requests, answering 403 with its ``code``)::

    from apps.sso.policy import org_login_policy_response
    ...
    blocked = org_login_policy_response(request, self.organization, self.membership)
    if blocked is not None:
        return blocked

* **SSO required** — the member must have signed in, in this session, through one of this organization's
  enabled SSO connections (a password session, or one through another organization's IdP, is not
  enough). The emergency admin may use a password session, but only with two-factor authentication set up;
  each such session is an audit event.
* **MFA required** — admins and approvers who did not come in through this organization's SSO must have
  TOTP set up; otherwise they are sent to the TOTP setup page with an explanation.

:func:`password_login_response` is for ``AccountAdapter.pre_login``: it refuses a password sign-in of a
person all of whose organizations require SSO (the emergency admin excepted).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.db.models import Exists, OuterRef, Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from apps.audit.services import audit_record
from apps.core.tenancy import org_scope
from apps.organizations.models import Membership, Organization, Role
from apps.sso.models import SsoConnection, SsoPolicy

EXEMPT_VIEW_NAMES = frozenset({"sso:signin"})
BREAK_GLASS_SESSION_KEY = "sso_break_glass_orgs"


@dataclass(frozen=True)
class PolicyViolation:
    code: str  # "sso_required" | "mfa_required"
    message: str
    redirect_url: str


def _has_totp(user: Any) -> bool:
    return Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.TOTP).exists()


def signed_in_via(request: HttpRequest, provider_ids: set[str]) -> bool:
    records = get_authentication_records(request, request.user)
    return any(r.get("method") == "socialaccount" and r.get("provider") in provider_ids for r in records)


def _next_query(request: HttpRequest) -> str:
    return "?" + urlencode({"next": request.get_full_path()})


def check_org_login_policy(
    request: HttpRequest, organization: Organization, membership: Membership
) -> PolicyViolation | None:
    match = getattr(request, "resolver_match", None)
    if match is not None and match.view_name in EXEMPT_VIEW_NAMES:
        return None
    if getattr(membership, "login_policy_active", None) is False:
        return None  # known from the membership lookup (active_policy_exists): no query needed
    with org_scope(organization):
        policy = SsoPolicy.objects.filter(organization=organization).first()
        if policy is None or not (policy.sso_required or policy.mfa_required):
            return None
        provider_ids = set(
            SsoConnection.objects.filter(organization=organization, is_enabled=True).values_list(
                "provider_id", flat=True
            )
        )
    user: Any = request.user
    via_sso = signed_in_via(request, provider_ids)
    mfa_url = reverse("mfa_activate_totp") + _next_query(request)
    if policy.sso_required and not via_sso:
        if policy.break_glass_user_id != user.pk:
            return PolicyViolation(
                code="sso_required",
                message=_("%(org)s requires single sign-on. Sign in through your organization's identity provider.")
                % {"org": organization.name},
                redirect_url=reverse("sso:signin", kwargs={"org_slug": organization.slug}) + _next_query(request),
            )
        if not _has_totp(user):
            return PolicyViolation(
                code="mfa_required",
                message=_("As the emergency admin of %(org)s you must set up two-factor authentication first.")
                % {"org": organization.name},
                redirect_url=mfa_url,
            )
        used = request.session.get(BREAK_GLASS_SESSION_KEY, [])
        if organization.pk not in used:
            with org_scope(organization):
                audit_record(
                    organization=organization,
                    actor=user,
                    action="sso.break_glass.used",
                    target=user,
                    target_label=user.email,
                    data={"path": request.path[:300]},
                )
            request.session[BREAK_GLASS_SESSION_KEY] = [*used, organization.pk]
        return None
    if (
        policy.mfa_required
        and not via_sso
        and membership.has_any_role(Role.ADMIN, Role.APPROVER)
        and not _has_totp(user)
    ):
        return PolicyViolation(
            code="mfa_required",
            message=_("%(org)s requires two-factor authentication for admins and approvers. Set it up to continue.")
            % {"org": organization.name},
            redirect_url=mfa_url,
        )
    return None


def active_policy_exists() -> Exists:
    """An expression for the membership lookup: does the member's organization require SSO or MFA?
    Annotated as ``login_policy_active`` it spares the policy query on every request."""
    return Exists(
        SsoPolicy.objects.filter(organization=OuterRef("organization_id")).filter(
            Q(sso_required=True) | Q(mfa_required=True)
        )
    )


def org_login_policy_response(
    request: HttpRequest, organization: Organization, membership: Membership
) -> HttpResponse | None:
    violation = check_org_login_policy(request, organization, membership)
    if violation is None:
        return None
    messages.warning(request, violation.message)
    response = HttpResponseRedirect(violation.redirect_url)
    if request.headers.get("HX-Request"):
        response["HX-Redirect"] = violation.redirect_url
    return response


def password_login_response(
    request: HttpRequest, user: Any, *, signal_kwargs: dict[str, Any] | None
) -> HttpResponse | None:
    """For ``AccountAdapter.pre_login``: None, or a page explaining that this person must use SSO."""
    if (signal_kwargs or {}).get("sociallogin") is not None or user.pk is None:
        return None
    with scopes_disabled():  # the person's organizations, across tenants, before any is chosen
        org_ids = list(Membership.objects.filter(user=user).values_list("organization_id", flat=True))
        if not org_ids:
            return None
        policies = {p.organization_id: p for p in SsoPolicy.objects.filter(organization_id__in=org_ids)}
    blocking = [
        policies[o]
        for o in org_ids
        if o in policies and policies[o].sso_required and policies[o].break_glass_user_id != user.pk
    ]
    if len(blocking) != len(org_ids):
        return None
    from allauth.account.internal.stagekit import clear_login

    clear_login(request)
    organizations = list(Organization.objects.filter(pk__in=org_ids).order_by("name"))
    for org in organizations:
        with org_scope(org):
            audit_record(
                organization=org,
                actor=None,
                action="sso.password_login.blocked",
                target=user,
                target_label=user.email,
                data={},
            )
    return render(request, "sso/password_login_blocked.html", {"organizations": organizations}, status=403)
