"""Scorecards: a use case's weighted comparison of registered models, and the organization's scoring rules.

The maths lives in pure modules (``scoring``, ``checks``, ``costing``, ``evaluation``); these models only
hold what people enter. A frozen scorecard is immutable (services refuse, and on PostgreSQL a trigger
refuses too); editing it creates the next version of the same lineage.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.tenancy import OrganizationOwned
from apps.scorecards import checks as policy
from apps.scorecards.scoring import DEFAULT_WEIGHTS, FACTORS, MissingRule

MAX_WEIGHT = 100


class MissingRuleChoices(models.TextChoices):
    WORST = MissingRule.WORST.value, _("Worst (a missing value scores 0)")
    NEUTRAL = MissingRule.NEUTRAL.value, _("Neutral (a missing value scores 0.5)")
    MEAN = MissingRule.MEAN.value, _("Mean of the known values")


class PolicyVerdictChoices(models.TextChoices):
    ALLOWED = policy.PolicyVerdict.ALLOWED.value, _("Allowed")
    ALLOWED_WITH_DPA = policy.PolicyVerdict.ALLOWED_WITH_DPA.value, _("Allowed with a DPA")
    FORBIDDEN = policy.PolicyVerdict.FORBIDDEN.value, _("Forbidden")


class TransparencyLevel(models.IntegerChoices):
    UNDISCLOSED = 0, _("Undisclosed")
    PARTIAL = 1, _("Partly documented")
    OPEN = 2, _("Open training data")


def default_weights() -> dict[str, float]:
    return {f.value: float(w) for f, w in DEFAULT_WEIGHTS.items()}


def default_policy_rules() -> dict[str, str]:
    return {f"{c.value}:{h.value}": v.value for (c, h), v in policy.DEFAULT_POLICY.items()}


def validate_weights(value: Any, *, partial: bool = False) -> dict[str, float]:
    """``{factor: weight}`` with known factors and 0 ≤ weight ≤ 100; raises ValidationError."""
    if not isinstance(value, dict):
        raise ValidationError(_("Weights must be an object of factor → number."), code="invalid_weights")
    known = {f.value for f in FACTORS}
    unknown = sorted(set(map(str, value)) - known)
    if unknown:
        raise ValidationError(
            _("Unknown factor(s): %(names)s."), code="unknown_factor", params={"names": ", ".join(unknown)}
        )
    clean: dict[str, float] = {}
    for key, raw in value.items():
        try:
            number = float(Decimal(str(raw)))
        except (ArithmeticError, ValueError, TypeError):
            raise ValidationError(
                _("The weight of %(factor)s must be a number."), code="invalid_weight", params={"factor": key}
            ) from None
        if not (0 <= number <= MAX_WEIGHT):
            raise ValidationError(
                _("The weight of %(factor)s must be between 0 and %(max)s."),
                code="invalid_weight",
                params={"factor": key, "max": MAX_WEIGHT},
            )
        clean[str(key)] = number
    if not partial and sum(clean.get(f.value, 0.0) for f in FACTORS) <= 0:
        raise ValidationError(_("At least one weight must be greater than zero."), code="all_weights_zero")
    return clean


def validate_policy_rules(value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        raise ValidationError(_("The policy must be an object of cell → verdict."), code="invalid_policy")
    cells = set(default_policy_rules())
    verdicts = set(PolicyVerdictChoices.values)
    unknown = sorted(set(map(str, value)) - cells)
    if unknown:
        raise ValidationError(
            _("Unknown policy cell(s): %(names)s."), code="invalid_policy", params={"names": ", ".join(unknown)}
        )
    bad = sorted(k for k, v in value.items() if v not in verdicts)
    if bad:
        raise ValidationError(
            _("Invalid verdict for: %(names)s."), code="invalid_policy", params={"names": ", ".join(bad)}
        )
    return {**default_policy_rules(), **{str(k): str(v) for k, v in value.items()}}


def validate_currency_rates(value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        raise ValidationError(_("Exchange rates must be an object of currency → rate."), code="invalid_rates")
    clean: dict[str, str] = {}
    for code, raw in value.items():
        code_s = str(code).upper()
        if len(code_s) != 3 or not code_s.isalpha():
            raise ValidationError(
                _("“%(code)s” is not a three-letter currency code."), code="invalid_rates", params={"code": code}
            )
        try:
            rate = Decimal(str(raw))
        except ArithmeticError:
            rate = Decimal(0)
        if not rate.is_finite() or rate <= 0:
            raise ValidationError(
                _("The rate of %(code)s must be a positive number."), code="invalid_rates", params={"code": code_s}
            )
        clean[code_s] = str(rate)
    return clean


class WeightProfile(OrganizationOwned):
    """The organization's default weights (one per organization; admins edit it)."""

    weights = models.JSONField(_("weights"), default=default_weights)
    missing_rule = models.CharField(
        _("missing-value rule"), max_length=10, choices=MissingRuleChoices.choices, default=MissingRuleChoices.WORST
    )
    prefer_larger_models = models.BooleanField(
        _("prefer larger models"),
        default=False,
        help_text=_("Off: fewer parameters score better (cheaper to run and fine-tune). On: more parameters do."),
    )
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )

    class Meta:
        verbose_name = _("weight profile")
        verbose_name_plural = _("weight profiles")
        constraints = [models.UniqueConstraint(fields=["organization"], name="scorecards_one_weight_profile_per_org")]

    def __str__(self) -> str:
        return str(_("Default weights"))

    def clean(self) -> None:
        try:
            full = {f.value: 0.0 for f in FACTORS} | validate_weights(self.weights)
        except ValidationError as exc:
            raise ValidationError({"weights": exc.messages}) from exc
        self.weights = full


class DataPolicy(OrganizationOwned):
    """Where data of each classification may go, per hosting option (one per organization; admins edit it)."""

    rules = models.JSONField(_("rules"), default=default_policy_rules)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )

    class Meta:
        verbose_name = _("data policy")
        verbose_name_plural = _("data policies")
        constraints = [models.UniqueConstraint(fields=["organization"], name="scorecards_one_data_policy_per_org")]

    def __str__(self) -> str:
        return str(_("Data policy"))

    def clean(self) -> None:
        try:
            self.rules = validate_policy_rules(self.rules)
        except ValidationError as exc:
            raise ValidationError({"rules": exc.messages}) from exc

    def as_table(self) -> dict[tuple[policy.Classification, policy.HostingOption], policy.PolicyVerdict]:
        rules = {**default_policy_rules(), **(self.rules or {})}
        out = {}
        for key, verdict in rules.items():
            c, h = key.split(":", 1)
            out[(policy.Classification(c), policy.HostingOption(h))] = policy.PolicyVerdict(verdict)
        return out


class Scorecard(OrganizationOwned):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        FROZEN = "frozen", _("Frozen")

    use_case = models.ForeignKey(
        "usecases.UseCase", verbose_name=_("use case"), on_delete=models.PROTECT, related_name="scorecards"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(
        _("description"), blank=True, max_length=10_000, validators=[MaxLengthValidator(10_000)]
    )
    weight_overrides = models.JSONField(
        _("weight overrides"),
        default=dict,
        blank=True,
        help_text=_("Factor weights that differ from the organization's default profile."),
    )
    missing_rule = models.CharField(
        _("missing-value rule"),
        max_length=10,
        choices=MissingRuleChoices.choices,
        blank=True,
        help_text=_("Empty: the organization's default."),
    )
    currency_rates = models.JSONField(
        _("exchange rates"),
        default=dict,
        blank=True,
        help_text=_("Units of each currency per 1 USD, to convert budgets and prices that are not in USD."),
    )

    lineage = models.UUIDField(default=uuid.uuid4, editable=False, db_index=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    previous = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, editable=False)
    frozen_at = models.DateTimeField(_("frozen at"), null=True, blank=True, editable=False)
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    snapshot = models.JSONField(_("snapshot"), null=True, blank=True, editable=False)
    snapshot_sha256 = models.CharField(_("snapshot SHA-256"), max_length=64, blank=True, editable=False)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("scorecard")
        verbose_name_plural = _("scorecards")
        ordering = ("-updated_at", "-id")
        constraints = [
            models.UniqueConstraint(fields=["organization", "lineage", "version"], name="scorecard_version_unique"),
        ]
        indexes = [models.Index(fields=["organization", "use_case"], name="scorecard_org_usecase_idx")]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"

    @property
    def is_frozen(self) -> bool:
        return self.status == self.Status.FROZEN

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        try:
            self.weight_overrides = validate_weights(self.weight_overrides or {}, partial=True)
        except ValidationError as exc:
            errors["weight_overrides"] = exc.messages
        try:
            self.currency_rates = validate_currency_rates(self.currency_rates or {})
        except ValidationError as exc:
            errors["currency_rates"] = exc.messages
        if errors:
            raise ValidationError(errors)


class ScorecardCandidate(OrganizationOwned):
    """One registered model on a scorecard's shortlist, with what only this comparison knows about it."""

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="candidates")
    registered_model = models.ForeignKey(
        "registry.RegisteredModel", verbose_name=_("registered model"), on_delete=models.PROTECT, related_name="+"
    )
    hosting_country = models.CharField(
        _("hosting country"),
        max_length=2,
        blank=True,
        help_text=_("Where the model runs for this use case (ISO code, e.g. DE). Empty: unknown."),
    )
    dpa_in_place = models.BooleanField(_("DPA in place with the provider"), default=False)
    support_contract = models.BooleanField(_("support contract"), null=True, blank=True)
    transparency = models.PositiveSmallIntegerField(
        _("training-data transparency"), choices=TransparencyLevel.choices, null=True, blank=True
    )
    # hosting estimate (self-hosted, or rented instances)
    price_per_hour = models.DecimalField(
        _("instance price per hour (USD)"),
        max_digits=12,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    throughput_tps = models.DecimalField(
        _("throughput per instance (output tokens/s)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("Empty: the registry's measured throughput."),
    )
    hours_per_month = models.DecimalField(
        _("hours per month"),
        max_digits=6,
        decimal_places=1,
        default=Decimal("730"),
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("744"))],
    )
    peak_factor = models.DecimalField(
        _("peak factor"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("100"))],
    )
    min_instances = models.PositiveSmallIntegerField(
        _("minimum instances"), default=1, validators=[MaxValueValidator(10_000)]
    )
    power_kw = models.DecimalField(
        _("power per instance (kW)"),
        max_digits=8,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    pue = models.DecimalField(
        _("PUE"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("1.0"),
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("3"))],
    )
    notes = models.TextField(_("notes"), blank=True, max_length=5_000, validators=[MaxLengthValidator(5_000)])
    position = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        ordering = ("position", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["scorecard", "registered_model"],
                name="scorecard_candidate_unique_model",
                violation_error_message=_("This model is already on the shortlist."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scorecard_id}: {self.registered_model_id}"

    @property
    def has_hosting_estimate(self) -> bool:
        return self.price_per_hour is not None

    def clean(self) -> None:
        code = (self.hosting_country or "").strip().upper()
        if code:
            from apps.scorecards.regions import is_country

            if not is_country(code):
                raise ValidationError({"hosting_country": _("Use a two-letter ISO country code, e.g. DE.")})
        self.hosting_country = code
