from __future__ import annotations

from functools import cached_property
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from apps.core.tenancy import OrganizationOwned
from apps.datasources import readiness as rules
from apps.datasources.choices import (
    AccessStatus,
    Answer,
    Classification,
    DataFormat,
    Origin,
    PersonalDataCategory,
    Preprocessing,
    QualityAnswer,
    Relevance,
    SearchIndex,
    TermsAnswer,
    UpdateFrequency,
    VolumeUnit,
)
from apps.datasources.importing import LONG_TEXT_MAX_LENGTH, NAME_MAX_LENGTH, SHORT_TEXT_MAX_LENGTH, TAG_MAX_LENGTH
from apps.datasources.validation import datasource_cross_field_errors
from apps.usecases.choices import Currency
from apps.usecases.models import UseCase

LONG_TEXT = [MaxLengthValidator(LONG_TEXT_MAX_LENGTH)]


def _check_choice_list(value: Any, choices: type[models.TextChoices]) -> str | None:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return str(_("Expected a list of values."))
    unknown = [v for v in value if v not in choices.values]
    if unknown:
        return str(_("Unknown value(s): %(values)s.") % {"values": ", ".join(unknown)})
    return None


def _labels(choices: type[models.TextChoices], values: list[str]) -> list[str]:
    wanted = set(values or [])
    return [str(label) for value, label in choices.choices if value in wanted]


class Tag(OrganizationOwned):
    """A free label on data sources (unique per organization, case-insensitively)."""

    name = models.CharField(_("name"), max_length=TAG_MAX_LENGTH)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ("name",)
        constraints = [models.UniqueConstraint(Lower("name"), "organization", name="tag_name_unique_per_org")]

    def __str__(self) -> str:
        return self.name


class DataSource(OrganizationOwned):
    """An entry of the organization's data inventory."""

    name = models.CharField(_("name"), max_length=NAME_MAX_LENGTH)
    description = models.TextField(_("description"), max_length=LONG_TEXT_MAX_LENGTH, blank=True, validators=LONG_TEXT)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    origin = models.CharField(_("origin"), max_length=16, choices=Origin.choices)
    system_or_provider = models.CharField(
        _("system or provider"),
        max_length=SHORT_TEXT_MAX_LENGTH,
        blank=True,
        help_text=_("The internal system the data lives in, or the external provider."),
    )
    formats = models.JSONField(_("formats"), default=list, blank=True)
    volume = models.DecimalField(
        _("approximate volume"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    volume_unit = models.CharField(_("volume unit"), max_length=16, choices=VolumeUnit.choices, blank=True)
    update_frequency = models.CharField(
        _("update frequency"), max_length=16, choices=UpdateFrequency.choices, blank=True
    )
    classification = models.CharField(_("classification"), max_length=16, choices=Classification.choices)
    contains_personal_data = models.BooleanField(_("contains personal data"), default=False)
    personal_data_categories = models.JSONField(_("personal-data categories"), default=list, blank=True)
    access_restrictions = models.TextField(
        _("access restrictions"), max_length=LONG_TEXT_MAX_LENGTH, blank=True, validators=LONG_TEXT
    )
    access_granted_by = models.CharField(
        _("access granted by"),
        max_length=SHORT_TEXT_MAX_LENGTH,
        blank=True,
        help_text=_("The person or team that grants access."),
    )
    storage_cost_monthly = models.DecimalField(
        _("storage cost per month"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    storage_cost_currency = models.CharField(
        _("storage cost currency"), max_length=3, choices=Currency.choices, blank=True
    )
    licence = models.TextField(
        _("licence or terms of use"),
        max_length=LONG_TEXT_MAX_LENGTH,
        blank=True,
        validators=LONG_TEXT,
        help_text=_("Required for external data."),
    )
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="data_sources")

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("data source")
        verbose_name_plural = _("data sources")
        ordering = ("name", "pk")
        constraints = [
            models.UniqueConstraint(Lower("name"), "organization", name="datasource_name_unique_per_org"),
        ]
        indexes = [
            models.Index(fields=["organization", "classification"], name="datasource_org_class_idx"),
            models.Index(fields=["organization", "origin"], name="datasource_org_origin_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if message := _check_choice_list(self.formats, DataFormat):
            errors["formats"] = message
        if message := _check_choice_list(self.personal_data_categories, PersonalDataCategory):
            errors["personal_data_categories"] = message
        values = {f: getattr(self, f) for f in CROSS_FIELD_NAMES}
        for key, cross_message in datasource_cross_field_errors(values).items():
            errors.setdefault(key, cross_message)
        if errors:
            raise ValidationError(errors)

    def get_formats_display(self) -> list[str]:
        return _labels(DataFormat, self.formats)

    def get_personal_data_categories_display(self) -> list[str]:
        return _labels(PersonalDataCategory, self.personal_data_categories)

    @property
    def classification_rank(self) -> int:
        from apps.datasources.choices import CLASSIFICATION_RANK

        return CLASSIFICATION_RANK.get(self.classification, 0)


CROSS_FIELD_NAMES = (
    "origin",
    "licence",
    "volume",
    "volume_unit",
    "storage_cost_monthly",
    "storage_cost_currency",
    "contains_personal_data",
    "personal_data_categories",
)


class DataAssessment(OrganizationOwned):
    """The three questions (design.md §1.1) answered for one data source and one use case. The
    readiness verdict is computed from the answers on every read (:mod:`apps.datasources.readiness`),
    so it never goes stale when the source or the use case changes."""

    use_case = models.ForeignKey(
        UseCase, verbose_name=_("use case"), on_delete=models.CASCADE, related_name="data_assessments"
    )
    data_source = models.ForeignKey(
        DataSource, verbose_name=_("data source"), on_delete=models.PROTECT, related_name="assessments"
    )

    # 1. relevant
    relevance = models.CharField(
        _("does it hold what the task needs?"), max_length=16, choices=Relevance.choices, default=Relevance.UNKNOWN
    )
    relevance_rationale = models.TextField(
        _("rationale"), max_length=LONG_TEXT_MAX_LENGTH, blank=True, validators=LONG_TEXT
    )

    # 2. available
    accessible_today = models.CharField(
        _("is it accessible today?"), max_length=16, choices=Answer.choices, default=Answer.UNKNOWN
    )
    access_status = models.CharField(
        _("access for this use case"),
        max_length=16,
        choices=AccessStatus.choices,
        default=AccessStatus.NOT_REQUESTED,
    )
    terms_permit_use = models.CharField(
        _("do the licence or terms of use permit this use?"),
        max_length=16,
        choices=TermsAnswer.choices,
        default=TermsAnswer.UNKNOWN,
    )
    preprocessing = models.JSONField(_("preprocessing needed"), default=list, blank=True)
    preprocessing_notes = models.CharField(_("preprocessing details"), max_length=SHORT_TEXT_MAX_LENGTH, blank=True)
    search_index = models.CharField(
        _("needs a text-search or vector index?"),
        max_length=16,
        choices=SearchIndex.choices,
        default=SearchIndex.UNKNOWN,
    )
    extra_cost_monthly = models.DecimalField(
        _("estimated extra storage/processing cost per month"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    extra_cost_currency = models.CharField(_("extra cost currency"), max_length=3, choices=Currency.choices, blank=True)
    availability_rationale = models.TextField(
        _("rationale"), max_length=LONG_TEXT_MAX_LENGTH, blank=True, validators=LONG_TEXT
    )

    # 3. standardised
    meets_quality_standard = models.CharField(
        _("does it meet the data-quality standard?"),
        max_length=16,
        choices=QualityAnswer.choices,
        default=QualityAnswer.UNKNOWN,
    )
    contains_confidential = models.CharField(
        _("does it hold confidential information that must stay inside the company?"),
        max_length=16,
        choices=Answer.choices,
        default=Answer.UNKNOWN,
    )
    anonymisation_required = models.CharField(
        _("is anonymisation required before use?"), max_length=16, choices=Answer.choices, default=Answer.UNKNOWN
    )
    standardisation_rationale = models.TextField(
        _("rationale"), max_length=LONG_TEXT_MAX_LENGTH, blank=True, validators=LONG_TEXT
    )

    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last assessed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("data assessment")
        verbose_name_plural = _("data assessments")
        ordering = ("use_case_id", "data_source__name", "pk")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "use_case", "data_source"], name="assessment_unique_per_usecase_source"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.data_source} → {self.use_case}"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if message := _check_choice_list(self.preprocessing, Preprocessing):
            errors["preprocessing"] = message
        if self.extra_cost_monthly is not None and not self.extra_cost_currency:
            errors["extra_cost_currency"] = _("Give the currency of the extra cost.")
        if Preprocessing.OTHER in (self.preprocessing or []) and not (self.preprocessing_notes or "").strip():
            errors["preprocessing_notes"] = _("Describe the other preprocessing needed.")
        if self.organization_id is not None:
            if self.use_case_id is not None and self.use_case.organization_id != self.organization_id:
                errors["use_case"] = _("Unknown use case.")
            if self.data_source_id is not None and self.data_source.organization_id != self.organization_id:
                errors["data_source"] = _("Unknown data source.")
        if errors:
            raise ValidationError(errors)

    def get_preprocessing_display(self) -> list[str]:
        return _labels(Preprocessing, self.preprocessing)

    def facts(self) -> rules.AssessmentFacts:
        source, use_case = self.data_source, self.use_case
        return rules.AssessmentFacts(
            origin=source.origin,
            classification=source.classification,
            contains_personal_data=source.contains_personal_data,
            relevance=self.relevance,
            accessible_today=self.accessible_today,
            access_status=self.access_status,
            terms_permit_use=self.terms_permit_use,
            preprocessing=tuple(self.preprocessing or ()),
            search_index=self.search_index,
            extra_cost_monthly=self.extra_cost_monthly,
            extra_cost_currency=self.extra_cost_currency,
            meets_quality_standard=self.meets_quality_standard,
            contains_confidential=self.contains_confidential,
            anonymisation_required=self.anonymisation_required,
            budget_monthly=use_case.monthly_budget,
            budget_currency=use_case.budget_currency,
        )

    @cached_property
    def readiness(self) -> rules.Readiness:
        return rules.assess(self.facts())
