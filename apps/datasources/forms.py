from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from apps.datasources.choices import DataFormat, PersonalDataCategory, Preprocessing
from apps.datasources.importing import MAX_IMPORT_BYTES, ImportFileError, check_size, file_kind, parse_tags
from apps.datasources.models import DataAssessment, DataSource
from apps.datasources.services import ASSESSMENT_FIELDS, DATASOURCE_FIELDS
from apps.organizations.models import Organization
from apps.usecases.forms import MemberChoiceField, flexible_decimals, member_queryset


class DataSourceForm(forms.ModelForm):  # type: ignore[type-arg]
    formats = forms.MultipleChoiceField(
        label=_("Formats"), choices=DataFormat.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    personal_data_categories = forms.MultipleChoiceField(
        label=_("Personal-data categories"),
        choices=PersonalDataCategory.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Required when the source holds personal data."),
    )
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=1100,
        help_text=_("Separated by commas, e.g. “support, emails”."),
    )

    class Meta:
        model = DataSource
        fields = DATASOURCE_FIELDS
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "access_restrictions": forms.Textarea(attrs={"rows": 2}),
            "licence": forms.Textarea(attrs={"rows": 2}),
        }

    sections = (
        (_("What it is"), ("name", "description", "owner", "origin", "system_or_provider", "formats", "tags")),
        (
            _("Size and cost"),
            ("volume", "volume_unit", "update_frequency", "storage_cost_monthly", "storage_cost_currency"),
        ),
        (
            _("Sensitivity and access"),
            (
                "classification",
                "contains_personal_data",
                "personal_data_categories",
                "access_restrictions",
                "access_granted_by",
                "licence",
            ),
        ),
    )

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        instance = kwargs.get("instance")
        if instance is not None and instance.pk:
            kwargs["initial"] = {
                "tags": ", ".join(t.name for t in instance.tags.all()),
                **(kwargs.get("initial") or {}),
            }
        super().__init__(*args, **kwargs)
        self.fields["owner"] = MemberChoiceField(
            queryset=member_queryset(organization), required=False, label=_("Owner")
        )
        flexible_decimals(self, "volume", "storage_cost_monthly")

    def clean_tags(self) -> list[str]:
        try:
            return parse_tags(self.cleaned_data.get("tags") or "")
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages) from exc

    def section_fields(self) -> list[tuple[Any, list[forms.BoundField]]]:
        return [(title, [self[name] for name in names]) for title, names in self.sections]


class AssessmentForm(forms.ModelForm):  # type: ignore[type-arg]
    """The three questions of design.md §1.1, one fieldset each."""

    data_source: forms.ModelChoiceField[DataSource] = forms.ModelChoiceField(
        label=_("Data source"),
        queryset=DataSource.objects.none(),  # set per request, inside the organization scope
        help_text=_("Only sources not yet assessed for this use case are listed."),
    )
    preprocessing = forms.MultipleChoiceField(
        label=_("Preprocessing needed"),
        choices=Preprocessing.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = DataAssessment
        fields = ("data_source", *ASSESSMENT_FIELDS)
        widgets = {
            "relevance": forms.RadioSelect,
            "accessible_today": forms.RadioSelect,
            "access_status": forms.RadioSelect,
            "terms_permit_use": forms.RadioSelect,
            "search_index": forms.RadioSelect,
            "meets_quality_standard": forms.RadioSelect,
            "contains_confidential": forms.RadioSelect,
            "anonymisation_required": forms.RadioSelect,
            "relevance_rationale": forms.Textarea(attrs={"rows": 3}),
            "availability_rationale": forms.Textarea(attrs={"rows": 3}),
            "standardisation_rationale": forms.Textarea(attrs={"rows": 3}),
        }

    fieldsets = (
        (
            "relevant",
            _("1. Relevant?"),
            _("Does the data hold what the task needs? (Internal or external is recorded on the data source.)"),
            ("relevance", "relevance_rationale"),
        ),
        (
            "available",
            _("2. Available?"),
            _("Can the model get the data: access, preprocessing, search index, cost, terms of use."),
            (
                "accessible_today",
                "access_status",
                "terms_permit_use",
                "preprocessing",
                "preprocessing_notes",
                "search_index",
                "extra_cost_monthly",
                "extra_cost_currency",
                "availability_rationale",
            ),
        ),
        (
            "standardised",
            _("3. Standardised?"),
            _("Does the data meet the quality standard, and may it leave the company?"),
            ("meets_quality_standard", "contains_confidential", "anonymisation_required", "standardisation_rationale"),
        ),
    )

    def __init__(self, *args: Any, data_sources: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if data_sources is None:
            del self.fields["data_source"]
        else:
            field = cast(forms.ModelChoiceField, self.fields["data_source"])  # type: ignore[type-arg]
            field.queryset = data_sources
            field.empty_label = None
        for radio in self.fields.values():
            if isinstance(radio, forms.ChoiceField) and isinstance(radio.widget, forms.RadioSelect):
                # the model's blank choice makes no sense for a radio group
                choices: list[tuple[Any, Any]] = list(radio.choices)  # type: ignore[arg-type]
                radio.choices = [c for c in choices if c[0] != ""]
        flexible_decimals(self, "extra_cost_monthly")

    def fieldset_fields(self) -> list[tuple[str, Any, Any, list[forms.BoundField]]]:
        return [(key, title, help_text, [self[n] for n in names]) for key, title, help_text, names in self.fieldsets]


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=format_lazy(
            _("A .csv or .xlsx file in the template's columns, at most {mb} MB."), mb=MAX_IMPORT_BYTES // (1024 * 1024)
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        try:
            file_kind(upload.name)
            check_size(upload.size)
        except ImportFileError as exc:
            raise forms.ValidationError(str(exc.message)) from exc
        return upload
