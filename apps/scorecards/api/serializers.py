"""Scorecard API serializers: HTTP ↔ service arguments. Foreign ids are looked up inside the request's
organization scope, so another organization's id answers 400 ("does not exist")."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.core.api.fields import ScopedRelatedField
from apps.registry.models import RegisteredModel
from apps.scorecards.models import (
    DataPolicy,
    MissingRuleChoices,
    PolicyVerdictChoices,
    Scorecard,
    ScorecardCandidate,
    TransparencyLevel,
    WeightProfile,
    default_policy_rules,
)
from apps.scorecards.scoring import FACTORS
from apps.scorecards.services import CANDIDATE_FIELDS
from apps.usecases.models import UseCase

FACTOR_KEYS = [f.value for f in FACTORS]


class WeightsField(serializers.DictField):
    """``{factor: weight}``; unknown factors and values outside 0–100 are refused."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(child=serializers.FloatField(min_value=0, max_value=100), **kwargs)

    def to_internal_value(self, data: Any) -> dict[str, float]:
        value = super().to_internal_value(data)
        unknown = sorted(set(value) - set(FACTOR_KEYS))
        if unknown:
            raise serializers.ValidationError(
                _("Unknown factor(s): %(names)s.") % {"names": ", ".join(unknown)}, code="unknown_factor"
            )
        return value


class ScorecardSerializer(serializers.ModelSerializer[Scorecard]):
    use_case = ScopedRelatedField(model=UseCase)
    registered_models = ScopedRelatedField(
        model=RegisteredModel, many=True, write_only=True, required=False, help_text=_("Initial shortlist.")
    )
    weight_overrides = WeightsField(required=False)
    currency_rates = serializers.DictField(
        child=serializers.DecimalField(max_digits=20, decimal_places=8), required=False
    )
    missing_rule = serializers.ChoiceField(choices=MissingRuleChoices.choices, allow_blank=True, required=False)
    candidate_count = serializers.SerializerMethodField()

    class Meta:
        model = Scorecard
        fields = (
            "id",
            "use_case",
            "title",
            "description",
            "weight_overrides",
            "missing_rule",
            "currency_rates",
            "registered_models",
            "candidate_count",
            "lineage",
            "version",
            "previous",
            "status",
            "frozen_at",
            "frozen_by",
            "snapshot_sha256",
            "created_at",
            "updated_at",
        )
        read_only_fields = (
            "id",
            "lineage",
            "version",
            "previous",
            "status",
            "frozen_at",
            "frozen_by",
            "snapshot_sha256",
            "created_at",
            "updated_at",
        )

    def get_candidate_count(self, obj: Scorecard) -> int:
        annotated = getattr(obj, "candidate_count", None)
        return int(annotated) if annotated is not None else obj.candidates.count()

    def validate_use_case(self, value: UseCase) -> UseCase:
        if self.instance is not None and value.pk != self.instance.use_case_id:
            raise serializers.ValidationError(_("The use case of a scorecard cannot change."), code="immutable")
        return value

    def validate_currency_rates(self, value: dict[str, Any]) -> dict[str, str]:
        return {str(k): str(v) for k, v in value.items()}


class CandidateSerializer(serializers.ModelSerializer[ScorecardCandidate]):
    scorecard = ScopedRelatedField(model=Scorecard)
    registered_model = ScopedRelatedField(model=RegisteredModel)
    registered_model_name = serializers.CharField(source="registered_model.name", read_only=True)
    transparency = serializers.ChoiceField(choices=TransparencyLevel.choices, allow_null=True, required=False)

    class Meta:
        model = ScorecardCandidate
        fields = ("id", "scorecard", "registered_model", "registered_model_name", *CANDIDATE_FIELDS, "position")
        read_only_fields = ("id", "position")
        validators: list[Any] = []  # the service checks the shortlist's uniqueness

    def _immutable(self, name: str, value: Any) -> Any:
        if self.instance is not None and value.pk != getattr(self.instance, f"{name}_id"):
            raise serializers.ValidationError(_("This cannot change; remove the candidate and add another."))
        return value

    def validate_scorecard(self, value: Scorecard) -> Scorecard:
        return self._immutable("scorecard", value)  # type: ignore[no-any-return]

    def validate_registered_model(self, value: RegisteredModel) -> RegisteredModel:
        return self._immutable("registered_model", value)  # type: ignore[no-any-return]


class WeightProfileSerializer(serializers.ModelSerializer[WeightProfile]):
    weights = WeightsField()
    missing_rule = serializers.ChoiceField(choices=MissingRuleChoices.choices, required=False)

    class Meta:
        model = WeightProfile
        fields = ("id", "weights", "missing_rule", "prefer_larger_models", "updated_at", "updated_by")
        read_only_fields = ("id", "updated_at", "updated_by")


class DataPolicySerializer(serializers.ModelSerializer[DataPolicy]):
    rules = serializers.DictField(
        child=serializers.ChoiceField(choices=PolicyVerdictChoices.choices),
        help_text=_('“classification:hosting” → verdict, e.g. {"confidential:vendor_api": "allowed_with_dpa"}.'),
    )

    class Meta:
        model = DataPolicy
        fields = ("id", "rules", "updated_at", "updated_by")
        read_only_fields = ("id", "updated_at", "updated_by")

    def validate_rules(self, value: dict[str, str]) -> dict[str, str]:
        unknown = sorted(set(value) - set(default_policy_rules()))
        if unknown:
            raise serializers.ValidationError(
                _("Unknown policy cell(s): %(names)s.") % {"names": ", ".join(unknown)}, code="invalid_policy"
            )
        return value
