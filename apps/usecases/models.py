from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.core.tenancy import OrganizationOwned
from apps.usecases.choices import LANGUAGE_CHOICES, LANGUAGE_CODES, Currency, DataResidency, Phase, UseCaseStatus

_LANGUAGE_NAMES = dict(LANGUAGE_CHOICES)


class UseCase(OrganizationOwned):
    """A business problem an LLM might solve, with the requirements that drive model selection.

    ``phase`` is not edited directly: :func:`apps.usecases.services.usecase_move_phase` changes it and
    records a :class:`PhaseTransition`. The highest data classification it touches is derived from
    its data assessments (see :mod:`apps.datasources.selectors`), never stored.
    """

    title = models.CharField(_("title"), max_length=200)
    business_problem = models.TextField(
        _("business problem"), max_length=10_000, validators=[MaxLengthValidator(10_000)]
    )
    expected_value = models.TextField(
        _("expected value"), max_length=10_000, blank=True, validators=[MaxLengthValidator(10_000)]
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    business_unit = models.CharField(_("business unit"), max_length=120, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=UseCaseStatus.choices, default=UseCaseStatus.DRAFT)
    phase = models.CharField(_("phase"), max_length=16, choices=Phase.choices, default=Phase.IDEATION, editable=False)
    phase_changed_at = models.DateTimeField(_("phase changed"), null=True, blank=True, editable=False)

    # requirements
    min_context_tokens = models.PositiveIntegerField(
        _("minimum context window (tokens)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100_000_000)],
    )
    max_latency_ms = models.PositiveIntegerField(
        _("maximum latency to first token (ms)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(3_600_000)],
    )
    realtime = models.BooleanField(_("real-time use"), default=False)
    monthly_requests = models.PositiveBigIntegerField(
        _("expected requests per month"), null=True, blank=True, validators=[MaxValueValidator(10**13)]
    )
    input_tokens_per_request = models.PositiveIntegerField(
        _("input tokens per request"), null=True, blank=True, validators=[MaxValueValidator(100_000_000)]
    )
    output_tokens_per_request = models.PositiveIntegerField(
        _("output tokens per request"), null=True, blank=True, validators=[MaxValueValidator(100_000_000)]
    )
    monthly_budget = models.DecimalField(
        _("monthly budget"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    budget_currency = models.CharField(_("budget currency"), max_length=3, choices=Currency.choices, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    commercial_use = models.BooleanField(_("commercial use intended"), default=False)
    data_residency = models.CharField(
        _("data residency"), max_length=20, choices=DataResidency.choices, default=DataResidency.NONE
    )
    data_residency_note = models.CharField(_("data residency details"), max_length=300, blank=True)
    fine_tuning_needed = models.BooleanField(_("fine-tuning needed"), default=False)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("use case")
        verbose_name_plural = _("use cases")
        ordering = ("title", "pk")
        constraints = [
            models.UniqueConstraint(Lower("title"), "organization", name="usecase_title_unique_per_org"),
        ]
        indexes = [models.Index(fields=["organization", "phase"], name="usecase_org_phase_idx")]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.monthly_budget is not None and not self.budget_currency:
            errors["budget_currency"] = _("Give the currency of the budget.")
        if (
            self.data_residency in (DataResidency.SPECIFIC_COUNTRY, DataResidency.OTHER)
            and not (self.data_residency_note or "").strip()
        ):
            errors["data_residency_note"] = _("Describe the data-residency constraint.")
        if not isinstance(self.languages, list) or not all(isinstance(c, str) for c in self.languages):
            errors["languages"] = _("Languages must be a list of language codes.")
        else:
            unknown = [c for c in self.languages if c not in LANGUAGE_CODES]
            if unknown:
                errors["languages"] = _("Unknown language code(s): %(codes)s.") % {"codes": ", ".join(unknown)}
            elif len(set(self.languages)) != len(self.languages):
                self.languages = list(dict.fromkeys(self.languages))
        if errors:
            raise ValidationError(errors)

    # -- derived values ---------------------------------------------------------------------------

    @property
    def monthly_input_tokens(self) -> int | None:
        if self.monthly_requests is None or self.input_tokens_per_request is None:
            return None
        return self.monthly_requests * self.input_tokens_per_request

    @property
    def monthly_output_tokens(self) -> int | None:
        if self.monthly_requests is None or self.output_tokens_per_request is None:
            return None
        return self.monthly_requests * self.output_tokens_per_request

    def get_languages_display(self) -> str:
        return ", ".join(gettext(_LANGUAGE_NAMES.get(c, c)) for c in self.languages or [])

    def highest_classification(self) -> str | None:
        """The most sensitive classification among its assessed data sources (``None`` if none).
        Derived on read — from prefetched assessments or the list annotation when present, else one
        query — so it can never go stale."""
        from apps.datasources.selectors import usecase_highest_classification

        return usecase_highest_classification(use_case=self)

    def get_highest_classification_display(self) -> str:
        from apps.datasources.choices import Classification

        value = self.highest_classification()
        return str(Classification(value).label) if value else ""


class PhaseTransition(OrganizationOwned):
    """One move of a use case between life-cycle phases: who, when, from, to and why."""

    use_case = models.ForeignKey(
        UseCase, verbose_name=_("use case"), on_delete=models.CASCADE, related_name="phase_transitions"
    )
    from_phase = models.CharField(_("from phase"), max_length=16, choices=Phase.choices)
    to_phase = models.CharField(_("to phase"), max_length=16, choices=Phase.choices)
    reason = models.TextField(_("reason"), max_length=5000, validators=[MaxLengthValidator(5000)])
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("moved at"), default=timezone.now)

    class Meta:
        verbose_name = _("phase transition")
        verbose_name_plural = _("phase transitions")
        ordering = ("created_at", "pk")

    def __str__(self) -> str:
        return f"{self.use_case_id}: {self.from_phase} → {self.to_phase}"

    def clean(self) -> None:
        if self.from_phase == self.to_phase:
            raise ValidationError({"to_phase": _("The use case is already in this phase.")})
        if not (self.reason or "").strip():
            raise ValidationError({"reason": _("Give the reason for the move.")})
