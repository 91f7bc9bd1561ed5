from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.core.api.fields import MemberField
from apps.datasources.selectors import usecase_readiness
from apps.usecases.choices import LANGUAGE_CHOICES, Phase
from apps.usecases.models import PhaseTransition, UseCase
from apps.usecases.services import USECASE_FIELDS


class ReadinessRollupSerializer(serializers.Serializer[Any]):
    verdict = serializers.CharField()
    verdict_label = serializers.CharField(source="get_verdict_display")
    counts = serializers.DictField(child=serializers.IntegerField())
    total = serializers.IntegerField()


class UseCaseSerializer(serializers.ModelSerializer[UseCase]):
    owner = MemberField(allow_null=True, required=False)
    languages = serializers.ListField(
        child=serializers.ChoiceField(choices=LANGUAGE_CHOICES), required=False, max_length=50
    )
    highest_classification = serializers.SerializerMethodField(
        help_text=_("The most sensitive classification among the assessed data sources (derived).")
    )
    readiness = serializers.SerializerMethodField(help_text=_("Roll-up of the data assessments' verdicts."))
    monthly_input_tokens = serializers.IntegerField(read_only=True, allow_null=True)
    monthly_output_tokens = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = UseCase
        fields = (
            "id",
            *USECASE_FIELDS,
            "phase",
            "phase_changed_at",
            "highest_classification",
            "readiness",
            "monthly_input_tokens",
            "monthly_output_tokens",
            "created_at",
            "updated_at",
        )
        read_only_fields = ("id", "phase", "phase_changed_at", "created_at", "updated_at")
        validators: list[Any] = []  # uniqueness is the service's job (per organization)

    def get_highest_classification(self, obj: UseCase) -> str | None:
        return obj.highest_classification()

    def get_readiness(self, obj: UseCase) -> dict[str, Any]:
        return dict(ReadinessRollupSerializer(usecase_readiness(use_case=obj)).data)


class PhaseMoveSerializer(serializers.Serializer[Any]):
    to_phase = serializers.ChoiceField(choices=Phase.choices)
    reason = serializers.CharField(max_length=5000)


class PhaseTransitionSerializer(serializers.ModelSerializer[PhaseTransition]):
    actor_email = serializers.EmailField(source="actor.email", read_only=True, default=None)

    class Meta:
        model = PhaseTransition
        fields = ("id", "use_case", "from_phase", "to_phase", "reason", "actor", "actor_email", "created_at")
        read_only_fields = fields
