from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from apps.catalog.models import ModelKind
from apps.registry.models import Hosting, RegisteredModel, RegistryStatus
from apps.registry.services import EDITABLE_FIELDS


class RegisteredModelForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = RegisteredModel
        fields = EDITABLE_FIELDS
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 4}),
            "measured_at": forms.DateInput(attrs={"type": "date"}),
        }
        help_texts = {
            "own_licence_id": _(
                "Only for private models or a licence negotiated with the vendor; overrides the catalog."
            ),
            "quality_score": _("Your own evaluation result, 0–100 %."),
            "quality_evaluation_set": _("The evaluation set the quality score was measured on."),
        }

    def __init__(self, *args: Any, organization: Any, catalog_entry: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organization = organization
        User = get_user_model()
        self.fields["owner"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            memberships__organization=organization
        ).order_by("email")
        if catalog_entry is not None:
            self.fields["name"].required = False
            self.fields["name"].help_text = _("Leave empty to use the catalog name.")
            for name in ("provider", "kind"):
                self.fields.pop(name)


class RegistryFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *RegistryStatus.choices]
    )
    hosting = forms.ChoiceField(label=_("Hosting"), required=False, choices=[("", _("Any hosting")), *Hosting.choices])
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("Any kind")), *ModelKind.choices])

    def filters(self) -> dict[str, str]:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}
