from __future__ import annotations

import re
from typing import Any, cast

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User
from apps.organizations.models import Organization
from apps.usecases.choices import LANGUAGE_CHOICES, Phase
from apps.usecases.models import UseCase
from apps.usecases.services import USECASE_FIELDS


class FlexibleDecimalField(forms.DecimalField):
    """Accepts ``1 234,5`` as well as ``1234.5`` whatever the interface language."""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = re.sub(r"[\s\u00a0\u202f]", "", value)
            if "," in value and "." not in value:
                value = value.replace(",", ".")
        return super().to_python(value)


def flexible_decimals(form: forms.BaseForm, *names: str) -> None:
    for name in names:
        field = form.fields[name]
        form.fields[name] = FlexibleDecimalField(
            label=field.label,
            required=field.required,
            help_text=field.help_text,
            max_digits=getattr(field, "max_digits", None),
            decimal_places=getattr(field, "decimal_places", None),
            min_value=0,
            widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        )


class MemberChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name} <{obj.email}>" if obj.full_name else obj.email


def member_queryset(organization: Organization) -> Any:
    return User.objects.filter(memberships__organization=organization).order_by("full_name", "email").distinct()


class UseCaseForm(forms.ModelForm):  # type: ignore[type-arg]
    """Create/edit a use case. The organization comes from the URL; the phase moves separately."""

    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("The languages of the inputs and outputs (hold Ctrl or ⌘ to pick several)."),
    )

    class Meta:
        model = UseCase
        fields = USECASE_FIELDS
        widgets = {
            "business_problem": forms.Textarea(attrs={"rows": 4}),
            "expected_value": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "business_problem": _("What problem the business has, in its own words."),
            "expected_value": _("What solving it is worth: time saved, revenue, risk reduced."),
            "min_context_tokens": _("The longest input the model must take at once, in tokens."),
            "max_latency_ms": _("The longest acceptable wait until the first token, in milliseconds."),
            "monthly_budget": _("What the organization is ready to spend on the model per month."),
            "data_residency_note": _("Required for “specific country” and “other”: name the country or rule."),
        }

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"] = MemberChoiceField(
            queryset=member_queryset(organization), required=False, label=_("Owner")
        )
        languages: list[tuple[str, str]] = [(code, gettext(name)) for code, name in LANGUAGE_CHOICES]
        languages.sort(key=lambda c: c[1])
        cast(forms.ChoiceField, self.fields["languages"]).choices = languages
        flexible_decimals(self, "monthly_budget")

    #: The sections of the form page (title, field names).
    sections = (
        (_("The problem"), ("title", "business_problem", "expected_value", "owner", "business_unit", "status")),
        (
            _("Requirements"),
            (
                "min_context_tokens",
                "max_latency_ms",
                "realtime",
                "monthly_requests",
                "input_tokens_per_request",
                "output_tokens_per_request",
                "monthly_budget",
                "budget_currency",
                "languages",
                "commercial_use",
                "data_residency",
                "data_residency_note",
                "fine_tuning_needed",
            ),
        ),
    )

    def section_fields(self) -> list[tuple[Any, list[forms.BoundField]]]:
        return [(title, [self[name] for name in names]) for title, names in self.sections]


class PhaseMoveForm(forms.Form):
    to_phase = forms.ChoiceField(label=_("Move to"), choices=Phase.choices)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why the use case moves: it is recorded in the phase history."),
    )

    def __init__(self, *args: Any, current_phase: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["to_phase"]).choices = [
            (v, label) for v, label in Phase.choices if v != current_phase
        ]

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Give the reason for the move."))
        return reason
