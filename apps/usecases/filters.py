from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User
from apps.datasources.choices import CLASSIFICATION_RANK, Classification
from apps.usecases.choices import Phase, UseCaseStatus
from apps.usecases.models import PhaseTransition, UseCase


def _members(request: Any) -> QuerySet[User]:
    organization = getattr(request, "organization", None)
    if organization is None:
        return User.objects.none()
    return User.objects.filter(memberships__organization=organization).order_by("email").distinct()


class UseCaseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search", max_length=200)
    phase = django_filters.ChoiceFilter(label=_("Phase"), choices=Phase.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=UseCaseStatus.choices)
    owner = django_filters.ModelChoiceFilter(label=_("Owner"), queryset=_members)
    business_unit = django_filters.CharFilter(label=_("Business unit"), lookup_expr="iexact", max_length=120)
    highest_classification = django_filters.ChoiceFilter(
        label=_("Touches data classified"), choices=Classification.choices, method="filter_classification"
    )

    class Meta:
        model = UseCase
        fields = ("q", "phase", "status", "owner", "business_unit", "highest_classification")

    def search(self, queryset: QuerySet[UseCase], name: str, value: str) -> QuerySet[UseCase]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(business_problem__icontains=value))

    def filter_classification(self, queryset: QuerySet[UseCase], name: str, value: str) -> QuerySet[UseCase]:
        """Use cases whose most sensitive data source has exactly this classification (needs the
        ``highest_classification_rank`` annotation of the list selector)."""
        if not value:
            return queryset
        return queryset.filter(**{"highest_classification_rank": CLASSIFICATION_RANK[value]})


class PhaseTransitionFilter(django_filters.FilterSet):
    use_case = django_filters.ModelChoiceFilter(
        label=_("Use case"), queryset=lambda request: UseCase.objects.order_by("title")
    )

    class Meta:
        model = PhaseTransition
        fields = ("use_case",)
