from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.organizations.models import SLUG_VALIDATOR, Role


class OrganizationCreateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    slug = forms.CharField(
        label=_("Address"),
        max_length=50,
        validators=[SLUG_VALIDATOR],
        help_text=_("Used in links: /o/<address>/. Lowercase letters, digits and hyphens."),
    )
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class OrganizationEditForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class RolesField(forms.MultipleChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            choices=Role.choices,
            widget=forms.CheckboxSelectMultiple,
            label=kwargs.pop("label", _("Roles")),
            error_messages={"required": _("Choose at least one role.")},
            **kwargs,
        )


class MembershipRolesForm(forms.Form):
    roles = RolesField()


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    roles = RolesField(initial=[Role.VIEWER])


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, help_text=_("What the token is for, e.g. “CI export”."))
    expires_in_days = forms.IntegerField(
        label=_("Expires in (days)"),
        min_value=1,
        max_value=365,
        initial=90,
        required=False,
        help_text=_("Leave empty for a token that does not expire."),
    )
