"""SSO pages. Organization pages (admins configure connections, domains and the policy; every member
can reach the organization's sign-in page) inherit OrgMixin; the public views are the login discovery,
the start of a sign-in, our SAML service-provider metadata and the domain-verification link."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from allauth.socialaccount.adapter import get_adapter as get_social_adapter
from allauth.socialaccount.models import SocialApp
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView
from onelogin.saml2.settings import OneLogin_Saml2_Settings

from apps.core.forms import apply_validation_error
from apps.core.permissions import ADMINS, ALL_ROLES
from apps.core.tenancy import org_scope
from apps.core.views import OrgMixin
from apps.organizations.models import Membership
from apps.sso import selectors, services
from apps.sso.adapters import safe_local_path
from apps.sso.crypto import SecretDecryptionError
from apps.sso.forms import FORMS, DiscoveryForm, DomainEmailForm, DomainForm, PolicyForm
from apps.sso.models import Protocol, SsoConnection, SsoDomain
from apps.sso.socialapps import app_settings_for, endpoints, runtime_settings


# -- starting a sign-in ---------------------------------------------------------------------------
def start_login(
    request: HttpRequest, connection: SsoConnection, *, next_url: str | None, login_hint: str = ""
) -> HttpResponse:
    """Redirect the browser to the connection's identity provider (allauth stashes the state)."""
    try:
        provider = get_social_adapter(request).get_provider(request, provider=connection.provider_id)
    except SocialApp.DoesNotExist as exc:
        raise Http404 from exc
    kwargs: dict[str, Any] = {}
    if connection.is_oidc and login_hint:
        kwargs["auth_params"] = {**provider.get_auth_params(), "login_hint": login_hint}
    return provider.redirect(request, process="login", next_url=safe_local_path(next_url), **kwargs)


class DiscoveryView(View):
    """The login page's e-mail step: a verified domain with SSO → its IdP; otherwise → the password form."""

    template_name = "sso/discovery.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        form = DiscoveryForm(initial={"next": safe_local_path(request.GET.get("next")) or ""})
        return render(request, self.template_name, {"form": form})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = DiscoveryForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        email = form.cleaned_data["email"].strip().lower()
        next_url = safe_local_path(form.cleaned_data.get("next"))
        organization, found = selectors.connections_for_email(email)
        if not found:
            query: dict[str, str] = {"email": email}
            if next_url:
                query["next"] = next_url
            messages.info(request, _("No single sign-on is set up for this address; sign in with your password."))
            return HttpResponseRedirect(reverse("account_login") + "?" + urlencode(query))
        if len(found) == 1:
            return start_login(request, found[0], next_url=next_url, login_hint=email)
        return render(
            request,
            "sso/choose_connection.html",
            {"connections": found, "sso_organization": organization, "email": email, "next": next_url or ""},
        )


class StartView(View):
    """POST-only start of a sign-in through one connection (buttons on the chooser and sign-in pages)."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        connection = selectors.connection_by_provider_id(str(request.POST.get("connection", "")))
        if connection is None or not connection.is_enabled or connection.social_app_id is None:
            raise Http404
        return start_login(
            request, connection, next_url=request.POST.get("next"), login_hint=str(request.POST.get("email", ""))[:254]
        )


class SamlMetadataView(View):
    """Our service-provider metadata for one SAML connection (its URL is also our SP entity ID): the ACS,
    the NameID format we ask for and, when the connection signs its requests, the signing certificate with
    ``AuthnRequestsSigned="true"``."""

    def get(self, request: HttpRequest, provider_id: str) -> HttpResponse:
        connection = selectors.connection_by_provider_id(provider_id)
        if connection is None or not connection.is_saml:
            raise Http404
        from allauth.socialaccount.providers.saml.utils import build_saml_config

        app = SocialApp(
            provider="saml", provider_id=provider_id, client_id=provider_id, settings=app_settings_for(connection)
        )
        try:
            runtime_settings(app, connection)  # python3-saml wants the SP key to publish the signing cert
        except SecretDecryptionError as exc:
            raise Http404 from exc
        config = build_saml_config(request, app.settings, provider_id)
        saml_settings = OneLogin_Saml2_Settings(settings=config, sp_validation_only=True)
        metadata = saml_settings.get_sp_metadata()
        return HttpResponse(metadata, content_type="application/samlmetadata+xml")


class DomainConfirmView(View):
    """The one-time link e-mailed to admin@/hostmaster@… of a domain. GET asks, POST confirms (so that
    mail scanners following links do not verify anything)."""

    template_name = "sso/domain_confirm.html"

    def _domain(self, token: str) -> SsoDomain:
        domain = services.domain_for_email_token(token)
        if domain is None:
            raise Http404
        return domain

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        domain = self._domain(token)
        return render(request, self.template_name, {"domain": domain, "sso_organization": domain.organization})

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        domain = self._domain(token)
        actor = request.user if request.user.is_authenticated else None
        try:
            services.domain_confirm_email(organization=domain.organization, actor=actor, domain=domain, token=token)
        except ValidationError as exc:
            return render(
                request,
                self.template_name,
                {"domain": domain, "sso_organization": domain.organization, "error": exc.messages[0]},
                status=400,
            )
        return render(
            request, self.template_name, {"domain": domain, "sso_organization": domain.organization, "confirmed": True}
        )


# -- organization pages ---------------------------------------------------------------------------
class AdminPage(OrgMixin):
    read_roles = ADMINS
    write_roles = ADMINS

    def connection(self, pk: int) -> SsoConnection:
        return get_object_or_404(selectors.connections(organization=self.organization), pk=pk)

    def domain(self, pk: int) -> SsoDomain:
        return get_object_or_404(selectors.domains(organization=self.organization), pk=pk)


class SsoIndexView(AdminPage, TemplateView):
    template_name = "sso/index.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["connections"] = selectors.connections(organization=self.organization)
        context["domains"] = selectors.domains(organization=self.organization)
        context["policy"] = selectors.policy(organization=self.organization)
        return context


class ConnectionCreateView(AdminPage, View):
    template_name = "sso/connection_form.html"

    def _protocol(self, request: HttpRequest) -> str:
        protocol = request.POST.get("protocol") or request.GET.get("protocol") or ""
        return protocol if protocol in Protocol.values else ""

    def get(self, request: HttpRequest, org_slug: str) -> HttpResponse:
        protocol = self._protocol(request)
        if not protocol:
            return render(
                request,
                "sso/connection_choose.html",
                {},
            )
        form = FORMS[protocol](creating=True)
        return self._render(form, protocol)

    def _render(self, form: Any, protocol: str, status: int = 200) -> HttpResponse:
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "protocol": protocol,
                "protocol_label": Protocol(protocol).label,
                "creating": True,
            },
            status=status,
        )

    def post(self, request: HttpRequest, org_slug: str) -> HttpResponse:
        protocol = self._protocol(request)
        if not protocol:
            raise Http404
        form = FORMS[protocol](request.POST, creating=True)
        if form.is_valid():
            try:
                connection = services.connection_create(
                    organization=self.organization,
                    actor=request.user,
                    protocol=protocol,
                    key=form.cleaned_data["key"],
                    client_secret=form.cleaned_data.get("client_secret") or None,
                    **form.service_fields(),
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("Connection “%(name)s” created.") % {"name": connection.name})
                return redirect("sso:connection_detail", org_slug=self.organization.slug, pk=connection.pk)
        return self._render(form, protocol, status=400)


class ConnectionDetailView(AdminPage, TemplateView):
    template_name = "sso/connection_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        connection = self.connection(self.kwargs["pk"])
        context["connection"] = connection
        context["endpoints"] = endpoints(connection)
        return context


class ConnectionEditView(AdminPage, View):
    template_name = "sso/connection_form.html"

    def _render(self, form: Any, connection: SsoConnection, status: int = 200) -> HttpResponse:
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "connection": connection,
                "protocol": connection.protocol,
                "protocol_label": connection.get_protocol_display(),
                "endpoints": endpoints(connection),
            },
            status=status,
        )

    def get(self, request: HttpRequest, org_slug: str, pk: int) -> HttpResponse:
        connection = self.connection(pk)
        return self._render(FORMS[connection.protocol](instance=connection), connection)

    def post(self, request: HttpRequest, org_slug: str, pk: int) -> HttpResponse:
        connection = self.connection(pk)
        form = FORMS[connection.protocol](request.POST, instance=SsoConnection.objects.get(pk=connection.pk))
        if form.is_valid():
            try:
                services.connection_update(
                    organization=self.organization,
                    actor=request.user,
                    connection=connection,
                    client_secret=form.cleaned_data.get("client_secret") or None,
                    refresh_metadata=bool(form.cleaned_data.get("refresh_metadata")),
                    **form.service_fields(),
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("Connection saved."))
                return redirect("sso:connection_detail", org_slug=self.organization.slug, pk=connection.pk)
        return self._render(form, connection, status=400)


class ConnectionTestView(AdminPage, View):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, org_slug: str, pk: int) -> HttpResponse:
        connection = self.connection(pk)
        report = services.connection_test(organization=self.organization, actor=request.user, connection=connection)
        connection.refresh_from_db()
        return render(
            request,
            "sso/connection_detail.html",
            {
                "connection": connection,
                "endpoints": endpoints(connection),
                "report": report,
            },
        )


class ConnectionDeleteView(AdminPage, View):
    def get(self, request: HttpRequest, org_slug: str, pk: int) -> HttpResponse:
        return render(
            request,
            "sso/connection_delete.html",
            {"connection": self.connection(pk)},
        )

    def post(self, request: HttpRequest, org_slug: str, pk: int) -> HttpResponse:
        connection = self.connection(pk)
        try:
            services.connection_delete(organization=self.organization, actor=request.user, connection=connection)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("sso:connection_detail", org_slug=self.organization.slug, pk=connection.pk)
        messages.success(request, _("Connection “%(name)s” deleted.") % {"name": connection.name})
        return redirect("sso:index", org_slug=self.organization.slug)


class DomainListView(AdminPage, View):
    template_name = "sso/domains.html"

    def _render(self, form: DomainForm, status: int = 200) -> HttpResponse:
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "domains": selectors.domains(organization=self.organization),
            },
            status=status,
        )

    def get(self, request: HttpRequest, org_slug: str) -> HttpResponse:
        return self._render(DomainForm())

    def post(self, request: HttpRequest, org_slug: str) -> HttpResponse:
        form = DomainForm(request.POST)
        if form.is_valid():
            try:
                domain = services.domain_add(
                    organization=self.organization, actor=request.user, domain=form.cleaned_data["domain"]
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                return redirect("sso:domain_detail", org_slug=self.organization.slug, pk=domain.pk)
        return self._render(form, status=400)


class DomainDetailView(AdminPage, View):
    template_name = "sso/domain_detail.html"

    def render_page(
        self, domain: SsoDomain, *, email_form: DomainEmailForm | None = None, status: int = 200
    ) -> HttpResponse:
        return render(
            self.request,
            self.template_name,
            {
                "domain": domain,
                "email_form": email_form or DomainEmailForm(),
            },
            status=status,
        )

    def get(self, request: HttpRequest, org_slug: str, pk: int) -> HttpResponse:
        return self.render_page(self.domain(pk))


class DomainVerifyDnsView(DomainDetailView):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, org_slug: str, pk: int) -> HttpResponse:
        domain = self.domain(pk)
        try:
            services.domain_verify_dns(organization=self.organization, actor=request.user, domain=domain)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return self.render_page(self.domain(pk), status=400)
        messages.success(request, _("%(domain)s is verified.") % {"domain": domain.domain})
        return redirect("sso:domain_detail", org_slug=self.organization.slug, pk=domain.pk)


class DomainSendEmailView(DomainDetailView):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, org_slug: str, pk: int) -> HttpResponse:
        domain = self.domain(pk)
        form = DomainEmailForm(request.POST)
        if form.is_valid():
            try:
                domain = services.domain_send_verification_email(
                    organization=self.organization,
                    actor=request.user,
                    domain=domain,
                    local_part=form.cleaned_data["local_part"],
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(
                    request, _("A verification link was sent to %(address)s.") % {"address": domain.email_address}
                )
                return redirect("sso:domain_detail", org_slug=self.organization.slug, pk=domain.pk)
        return self.render_page(domain, email_form=form, status=400)


class DomainDeleteView(AdminPage, View):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, org_slug: str, pk: int) -> HttpResponse:
        domain = self.domain(pk)
        services.domain_delete(organization=self.organization, actor=request.user, domain=domain)
        messages.success(request, _("%(domain)s removed.") % {"domain": domain.domain})
        return redirect("sso:domains", org_slug=self.organization.slug)


class PolicyView(AdminPage, View):
    template_name = "sso/policy.html"

    def _admins(self) -> Any:
        from apps.accounts.models import User

        admin_ids = Membership.objects.filter(organization=self.organization, is_admin=True).values("user_id")
        return User.objects.filter(pk__in=admin_ids).order_by("email")

    def _render(self, form: PolicyForm, status: int = 200) -> HttpResponse:
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "connections": selectors.enabled_connections(organization=self.organization),
            },
            status=status,
        )

    def get(self, request: HttpRequest, org_slug: str) -> HttpResponse:
        policy = selectors.policy(organization=self.organization)
        form = PolicyForm(
            admins=self._admins(),
            initial={
                "sso_required": policy.sso_required,
                "mfa_required": policy.mfa_required,
                "break_glass_user": policy.break_glass_user_id,
            },
        )
        return self._render(form)

    def post(self, request: HttpRequest, org_slug: str) -> HttpResponse:
        form = PolicyForm(request.POST, admins=self._admins())
        if form.is_valid():
            try:
                services.policy_update(organization=self.organization, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("Sign-in policy saved."))
                return redirect("sso:policy", org_slug=self.organization.slug)
        return self._render(form, status=400)


class OrgSignInView(OrgMixin, TemplateView):
    """Where a member is sent when the organization requires SSO and the session did not come through it.
    Exempt from the policy check itself (apps.sso.policy.EXEMPT_VIEW_NAMES)."""

    template_name = "sso/signin.html"
    read_roles = ALL_ROLES

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        with org_scope(self.organization):
            context["connections"] = selectors.enabled_connections(organization=self.organization)
        context["next"] = safe_local_path(self.request.GET.get("next")) or reverse(
            "org_dashboard", kwargs={"org_slug": self.organization.slug}
        )
        return context
