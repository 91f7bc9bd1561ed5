from __future__ import annotations

import secrets
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.organizations.models import Role
from apps.sso.domains import VERIFICATION_LOCAL_PARTS
from apps.sso.models import Protocol, SsoConnection

KEY_FIELD_HELP = _(
    "Lowercase letters, digits and hyphens. It becomes part of the addresses you register at the "
    "identity provider and cannot be changed later."
)


def https_urls(field: models.Field, **kwargs: Any) -> Any:  # type: ignore[type-arg]
    if isinstance(field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return field.formfield(**kwargs)


def new_key(protocol: str) -> str:
    return f"{protocol}-{secrets.token_hex(3)}"


def parse_group_role_map(text: str) -> list[dict[str, str]]:
    """One mapping per line: ``<group> = <role>`` (the last “=” separates, so LDAP DNs work)."""
    labels = {str(label).lower(): value for value, label in Role.choices}
    rows: list[dict[str, str]] = []
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        group, sep, role = line.rpartition("=")
        group, role = group.strip(), role.strip().lower()
        if not sep or not group:
            raise ValidationError(_("Line %(n)s: write “group = role”.") % {"n": number})
        role = role if role in Role.values else labels.get(role, "")
        if not role:
            raise ValidationError(
                _("Line %(n)s: the role must be one of %(roles)s.") % {"n": number, "roles": ", ".join(Role.values)}
            )
        rows.append({"group": group, "role": role})
    return rows


def format_group_role_map(rows: Any) -> str:
    return "\n".join(f"{r.get('group', '')} = {r.get('role', '')}" for r in rows or [] if isinstance(r, dict))


class ConnectionForm(forms.ModelForm):  # type: ignore[type-arg]
    group_role_map_text = forms.CharField(
        label=_("Group → role mapping"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": "charter-admins = admin\ncharter-approvers = approver"}),
        help_text=_(
            "One per line: “group = role”. Roles: admin, contributor, approver, auditor, viewer. When set, "
            "roles are re-applied at every sign-in (default role + mapped roles)."
        ),
    )

    protocol: str = ""
    common_fields = ["name", "is_enabled", "jit_provisioning", "default_role", "groups_claim"]

    def __init__(self, *args: Any, creating: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.creating = creating
        if creating:
            self.fields["key"] = forms.SlugField(
                label=_("Key"), max_length=40, initial=new_key(self.protocol), help_text=KEY_FIELD_HELP
            )
            self.order_fields(["name", "key"])
        elif self.instance.pk:
            self.fields["group_role_map_text"].initial = format_group_role_map(self.instance.group_role_map)

    def clean_group_role_map_text(self) -> list[dict[str, str]]:
        return parse_group_role_map(self.cleaned_data.get("group_role_map_text", ""))

    def clean_key(self) -> str:
        key = str(self.cleaned_data.get("key", "")).lower()
        if key.startswith("-") or key.endswith("-") or "_" in key:
            raise ValidationError(_("Use lowercase letters, digits and hyphens."))
        return key

    def service_fields(self) -> dict[str, Any]:
        """Everything the service takes, as keyword arguments."""
        data = {name: self.cleaned_data[name] for name in self._meta.fields or [] if name in self.cleaned_data}
        data["group_role_map"] = self.cleaned_data.get("group_role_map_text", [])
        return data


class OidcConnectionForm(ConnectionForm):
    protocol = Protocol.OIDC
    client_secret = forms.CharField(
        label=_("Client secret"),
        required=False,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("Stored encrypted and never shown again. Leave empty to keep the current secret."),
    )

    class Meta:
        model = SsoConnection
        formfield_callback = https_urls
        fields = [
            "name",
            "oidc_issuer",
            "oidc_client_id",
            "oidc_scopes",
            "oidc_pkce",
            "oidc_token_auth_method",
            "is_enabled",
            "jit_provisioning",
            "default_role",
            "groups_claim",
        ]


class SamlConnectionForm(ConnectionForm):
    protocol = Protocol.SAML
    refresh_metadata = forms.BooleanField(
        label=_("Fetch the metadata again"),
        required=False,
        help_text=_("Re-read the metadata URL now (e.g. after the IdP rolled over its certificate)."),
    )

    class Meta:
        model = SsoConnection
        formfield_callback = https_urls
        fields = [
            "name",
            "saml_metadata_url",
            "saml_metadata_xml",
            "saml_idp_entity_id",
            "saml_idp_sso_url",
            "saml_idp_slo_url",
            "saml_idp_certificate",
            "saml_uid_attribute",
            "saml_email_attribute",
            "saml_first_name_attribute",
            "saml_last_name_attribute",
            "saml_allow_idp_initiated",
            "saml_sign_requests",
            "is_enabled",
            "jit_provisioning",
            "default_role",
            "groups_claim",
        ]
        widgets = {
            "saml_metadata_xml": forms.Textarea(attrs={"rows": 4}),
            "saml_idp_certificate": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "saml_metadata_url": _(
                "Give the metadata URL, or paste the metadata XML, or fill in the IdP fields below by hand."
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.creating:
            del self.fields["refresh_metadata"]


FORMS: dict[str, type[ConnectionForm]] = {Protocol.OIDC: OidcConnectionForm, Protocol.SAML: SamlConnectionForm}


class DomainForm(forms.Form):
    domain = forms.CharField(label=_("Domain"), max_length=253, help_text=_("e.g. example.com"))


class DomainEmailForm(forms.Form):
    local_part = forms.ChoiceField(label=_("Send the link to"), choices=[(p, p) for p in VERIFICATION_LOCAL_PARTS])


class PolicyForm(forms.Form):
    sso_required = forms.BooleanField(
        label=_("Require single sign-on"),
        required=False,
        help_text=_("Members must sign in through one of this organization's SSO connections to open its pages."),
    )
    mfa_required = forms.BooleanField(
        label=_("Require two-factor authentication for admins and approvers"),
        required=False,
        help_text=_("Applies to admins and approvers who did not sign in through this organization's SSO."),
    )
    break_glass_user: forms.ModelChoiceField = forms.ModelChoiceField(  # type: ignore[type-arg]
        label=_("Emergency admin"),
        required=False,
        queryset=None,  # set in __init__
        help_text=_("May still sign in with a password (with two-factor authentication) when SSO is required."),
    )

    def __init__(self, *args: Any, admins: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["break_glass_user"].queryset = admins  # type: ignore[attr-defined]


class DiscoveryForm(forms.Form):
    email = forms.EmailField(
        label=_("Work e-mail"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "placeholder": "name@company.com"}),
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput, max_length=2000)
