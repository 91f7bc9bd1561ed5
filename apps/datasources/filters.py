"""Search and filters of the data inventory and of assessments — one FilterSet each, used by the
list page and the API alike."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User
from apps.datasources.choices import Classification, Origin
from apps.datasources.models import DataAssessment, DataSource, Tag
from apps.usecases.models import UseCase


def _members(request: Any) -> QuerySet[User]:
    organization = getattr(request, "organization", None)
    if organization is None:
        return User.objects.none()
    return User.objects.filter(memberships__organization=organization).order_by("email").distinct()


class DataSourceFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search", max_length=200)
    origin = django_filters.ChoiceFilter(label=_("Origin"), choices=Origin.choices)
    classification = django_filters.MultipleChoiceFilter(label=_("Classification"), choices=Classification.choices)
    pii = django_filters.BooleanFilter(label=_("Personal data"), field_name="contains_personal_data")
    owner = django_filters.ModelChoiceFilter(label=_("Owner"), queryset=_members)
    tag = django_filters.CharFilter(label=_("Tag"), method="filter_tag", max_length=50)

    class Meta:
        model = DataSource
        fields = ("q", "origin", "classification", "pii", "owner", "tag")

    def search(self, queryset: QuerySet[DataSource], name: str, value: str) -> QuerySet[DataSource]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value) | Q(description__icontains=value) | Q(system_or_provider__icontains=value)
        )

    def filter_tag(self, queryset: QuerySet[DataSource], name: str, value: str) -> QuerySet[DataSource]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(pk__in=Tag.objects.filter(name__iexact=value).values("data_sources"))


def _use_cases(request: Any) -> QuerySet[UseCase]:
    return UseCase.objects.order_by("title")


def _data_sources(request: Any) -> QuerySet[DataSource]:
    return DataSource.objects.order_by("name")


class DataAssessmentFilter(django_filters.FilterSet):
    use_case = django_filters.ModelChoiceFilter(label=_("Use case"), queryset=_use_cases)
    data_source = django_filters.ModelChoiceFilter(label=_("Data source"), queryset=_data_sources)

    class Meta:
        model = DataAssessment
        fields = ("use_case", "data_source")
