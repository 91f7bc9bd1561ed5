from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .licences import CommercialUse
from .models import ModelKind, RefreshRun
from .selectors import SORTS

SORT_CHOICES = [
    ("name", _("Name")),
    ("-downloads", _("Most downloaded")),
    ("-context", _("Largest context window")),
    ("price", _("Lowest input price")),
    ("-release", _("Newest")),
]
MODALITY_CHOICES = [
    ("", _("Any input")),
    ("text", _("Text")),
    ("image", _("Image")),
    ("audio", _("Audio")),
    ("video", _("Video")),
    ("pdf", _("PDF")),
]


class CatalogFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("Any kind")), *ModelKind.choices])
    commercial_use = forms.ChoiceField(
        label=_("Commercial use"), required=False, choices=[("", _("Any verdict")), *CommercialUse.choices]
    )
    provider = forms.CharField(label=_("Provider"), required=False, max_length=100)
    modality = forms.ChoiceField(label=_("Input modality"), required=False, choices=MODALITY_CHOICES)
    min_context = forms.IntegerField(
        label=_("Minimum context window"), required=False, min_value=0, max_value=100_000_000
    )
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORT_CHOICES)

    def filters(self) -> dict[str, object]:
        if not self.is_valid():
            return {}
        data = {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}
        if data.get("sort") not in SORTS:
            data.pop("sort", None)
        return data


class RefreshForm(forms.Form):
    source = forms.ChoiceField(label=_("Source"), choices=RefreshRun.Source.choices)


class ScheduleForm(forms.Form):
    source = forms.ChoiceField(label=_("Source"), choices=RefreshRun.Source.choices, widget=forms.HiddenInput)
    enabled = forms.BooleanField(label=_("Enabled"), required=False)
    hour = forms.IntegerField(label=_("Hour (UTC)"), min_value=0, max_value=23)
    minute = forms.IntegerField(label=_("Minute"), min_value=0, max_value=59)
