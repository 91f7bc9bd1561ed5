from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.core.api.fields import MemberField, ScopedRelatedField
from apps.datasources.choices import DataFormat, PersonalDataCategory, Preprocessing
from apps.datasources.importing import MAX_TAGS, TAG_MAX_LENGTH
from apps.datasources.models import DataAssessment, DataSource
from apps.datasources.services import ASSESSMENT_FIELDS, DATASOURCE_FIELDS
from apps.usecases.models import UseCase


class ReasonSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    severity = serializers.CharField()
    question = serializers.CharField()
    message = serializers.CharField()


class ReadinessSerializer(serializers.Serializer[Any]):
    verdict = serializers.CharField()
    verdict_label = serializers.CharField(source="get_verdict_display")
    reasons = ReasonSerializer(many=True)


class TagListField(serializers.ListField):
    """Tag names in, tag names out (the model side is a many-to-many of Tag rows)."""

    def to_representation(self, data: Any) -> list[str]:
        return [tag.name for tag in data.all()] if hasattr(data, "all") else list(data)


class DataSourceSerializer(serializers.ModelSerializer[DataSource]):
    owner = MemberField(allow_null=True, required=False)
    formats = serializers.ListField(child=serializers.ChoiceField(choices=DataFormat.choices), required=False)
    personal_data_categories = serializers.ListField(
        child=serializers.ChoiceField(choices=PersonalDataCategory.choices), required=False
    )
    tags = TagListField(child=serializers.CharField(max_length=TAG_MAX_LENGTH), required=False, max_length=MAX_TAGS)
    assessment_count = serializers.IntegerField(read_only=True, default=None)

    class Meta:
        model = DataSource
        fields = ("id", *DATASOURCE_FIELDS, "assessment_count", "created_at", "updated_at")
        read_only_fields = ("id", "created_at", "updated_at")
        validators: list[Any] = []  # uniqueness per organization is the service's job


class DataAssessmentSerializer(serializers.ModelSerializer[DataAssessment]):
    use_case = ScopedRelatedField(model=UseCase)
    data_source = ScopedRelatedField(model=DataSource)
    preprocessing = serializers.ListField(child=serializers.ChoiceField(choices=Preprocessing.choices), required=False)
    readiness = ReadinessSerializer(read_only=True)
    assessed_by_email = serializers.EmailField(source="assessed_by.email", read_only=True, default=None)

    class Meta:
        model = DataAssessment
        fields = (
            "id",
            "use_case",
            "data_source",
            *ASSESSMENT_FIELDS,
            "readiness",
            "assessed_by",
            "assessed_by_email",
            "created_at",
            "updated_at",
        )
        read_only_fields = ("id", "assessed_by", "created_at", "updated_at")
        validators: list[Any] = []  # one assessment per (use case, source): the service checks it

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is not None:
            # the pair an assessment is about does not change; assess the other source instead
            for name in ("use_case", "data_source"):
                if name in attrs and attrs[name].pk != getattr(self.instance, f"{name}_id"):
                    raise serializers.ValidationError({name: _("This cannot be changed; create a new assessment.")})
        return attrs


class ImportRowErrorSerializer(serializers.Serializer[Any]):
    row = serializers.IntegerField(allow_null=True)
    column = serializers.CharField(allow_null=True)
    message = serializers.CharField()


class ImportResultSerializer(serializers.Serializer[Any]):
    created = serializers.IntegerField()
    ids = serializers.ListField(child=serializers.IntegerField())


class ImportUploadSerializer(serializers.Serializer[Any]):
    file = serializers.FileField()
