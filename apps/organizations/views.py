from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from apps.accounts.models import ApiToken, User
from apps.accounts.services import api_token_create, api_token_revoke
from apps.core.forms import apply_validation_error
from apps.core.permissions import ADMINS, AUDIT_READERS
from apps.core.views import OrgMixin
from apps.organizations import selectors
from apps.organizations.forms import (
    ApiTokenForm,
    InvitationForm,
    MembershipRolesForm,
    OrganizationCreateForm,
    OrganizationEditForm,
)
from apps.organizations.models import Invitation, Membership
from apps.organizations.services import (
    invitation_accept,
    invitation_create,
    invitation_revoke,
    membership_remove,
    membership_update_roles,
    organization_create,
    organization_update,
)


class HomeView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        orgs = list(selectors.organizations_for_user(user=request.user)[:2])
        if len(orgs) == 1:
            return redirect("org_dashboard", org_slug=orgs[0].slug)
        return redirect("org_list")


class OrganizationListView(LoginRequiredMixin, TemplateView):
    template_name = "organizations/list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["organizations"] = selectors.organizations_for_user(user=self.request.user)
        return context


class OrganizationCreateView(LoginRequiredMixin, FormView):
    template_name = "organizations/create.html"
    form_class = OrganizationCreateForm

    def form_valid(self, form: OrganizationCreateForm) -> HttpResponse:
        try:
            org = organization_create(actor=self.request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Organization “%(name)s” created.") % {"name": org.name})
        return redirect("org_dashboard", org_slug=org.slug)


class OrganizationDashboardView(OrgMixin, TemplateView):
    template_name = "organizations/dashboard.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        overview = selectors.organization_overview(
            organization=self.organization, include_activity=self.can(*AUDIT_READERS)
        )
        context.update(overview=overview, member_count=overview.member_count)
        return context


class OrganizationSettingsView(OrgMixin, FormView):
    template_name = "organizations/settings.html"
    form_class = OrganizationEditForm
    read_roles = ADMINS
    write_roles = ADMINS

    def get_initial(self) -> dict[str, Any]:
        return {"name": self.organization.name, "description": self.organization.description}

    def form_valid(self, form: OrganizationEditForm) -> HttpResponse:
        try:
            organization_update(organization=self.organization, actor=self.request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Settings saved."))
        return redirect("org_settings", org_slug=self.organization.slug)


class MemberListView(OrgMixin, TemplateView):
    template_name = "organizations/members.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["members"] = selectors.organization_members(organization=self.organization)
        if self.can(*ADMINS):
            context["invitations"] = selectors.organization_invitations(organization=self.organization).filter(
                status=Invitation.Status.PENDING
            )
            context["invite_form"] = kwargs.get("invite_form") or InvitationForm()
        return context


class MemberEditView(OrgMixin, FormView):
    template_name = "organizations/member_edit.html"
    form_class = MembershipRolesForm
    read_roles = ADMINS
    write_roles = ADMINS

    def get_member(self) -> Membership:
        return get_object_or_404(Membership.objects.select_related("user"), pk=self.kwargs["pk"])

    def get_initial(self) -> dict[str, Any]:
        return {"roles": self.get_member().roles}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["member"] = self.get_member()
        return context

    def form_valid(self, form: MembershipRolesForm) -> HttpResponse:
        try:
            membership_update_roles(
                organization=self.organization,
                actor=self.request.user,
                membership=self.get_member(),
                roles=form.cleaned_data["roles"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Roles updated."))
        return redirect("org_members", org_slug=self.organization.slug)


class MemberRemoveView(OrgMixin, View):
    read_roles = ADMINS
    write_roles = ADMINS

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        member: Membership = get_object_or_404(Membership.objects.select_related("user"), pk=kwargs["pk"])
        return render(
            request,
            "organizations/member_remove.html",
            {"member": member},
        )

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        member: Membership = get_object_or_404(Membership.objects.select_related("user"), pk=kwargs["pk"])
        try:
            membership_remove(organization=self.organization, actor=request.user, membership=member)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("%(email)s was removed.") % {"email": member.user.email})
        if member.user_id == request.user.pk and not Membership.objects.filter(pk=member.pk).exists():
            return redirect("org_list")
        return redirect("org_members", org_slug=self.organization.slug)


class InvitationCreateView(OrgMixin, View):
    read_roles = ADMINS
    write_roles = ADMINS

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        form = InvitationForm(request.POST)
        if form.is_valid():
            try:
                invitation_create(organization=self.organization, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]})
                return redirect("org_members", org_slug=self.organization.slug)
        view = MemberListView()
        view.setup(request, **kwargs)
        view.organization, view.membership = self.organization, self.membership
        return render(request, view.template_name, view.get_context_data(invite_form=form), status=400)


class InvitationRevokeView(OrgMixin, View):
    read_roles = ADMINS
    write_roles = ADMINS

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        invitation = get_object_or_404(Invitation, pk=kwargs["pk"])
        try:
            invitation_revoke(organization=self.organization, actor=request.user, invitation=invitation)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Invitation revoked."))
        return redirect("org_members", org_slug=self.organization.slug)


class InvitationAcceptView(View):
    """Public landing page of an invitation link; accepting needs a signed-in account with the
    invited address (new people sign up first and come back)."""

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        invitation = selectors.invitation_by_token(token=token)
        if not request.user.is_authenticated:
            request.session["invitation_token"] = token
        return render(
            request,
            "organizations/invitation_accept.html",
            {"invitation": invitation, "token": token},
            status=200 if invitation else 404,
        )

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        if not request.user.is_authenticated:
            request.session["invitation_token"] = token
            return redirect(f"{reverse('account_login')}?next={reverse('invitation_accept', kwargs={'token': token})}")
        try:
            membership = invitation_accept(token=token, user=request.user)
        except ValidationError as exc:
            invitation = selectors.invitation_by_token(token=token)
            return render(
                request,
                "organizations/invitation_accept.html",
                {"invitation": invitation, "token": token, "errors": exc.messages},
                status=400,
            )
        request.session.pop("invitation_token", None)
        messages.success(request, _("Welcome to %(name)s.") % {"name": membership.organization.name})
        return redirect("org_dashboard", org_slug=membership.organization.slug)


class ApiTokenListView(OrgMixin, FormView):
    template_name = "organizations/tokens.html"
    form_class = ApiTokenForm
    write_roles = ("admin", "contributor", "approver", "auditor", "viewer")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        qs = ApiToken.objects.select_related("user").order_by("-created_at")
        if not self.can(*ADMINS):
            qs = qs.filter(user=cast(User, self.request.user))
        context["tokens"] = qs
        return context

    def form_valid(self, form: ApiTokenForm) -> HttpResponse:
        try:
            _token, raw = api_token_create(
                organization=self.organization,
                actor=self.request.user,
                name=form.cleaned_data["name"],
                expires_in_days=form.cleaned_data.get("expires_in_days"),
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
            return self.form_invalid(form)
        context = self.get_context_data(form=ApiTokenForm())
        context["new_token"] = raw
        return self.render_to_response(context)


class ApiTokenRevokeView(OrgMixin, View):
    write_roles = ("admin", "contributor", "approver", "auditor", "viewer")

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponseRedirect:
        token = get_object_or_404(ApiToken, pk=kwargs["pk"])
        try:
            api_token_revoke(organization=self.organization, actor=request.user, token=token)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Token revoked."))
        return redirect("org_tokens", org_slug=self.organization.slug)
