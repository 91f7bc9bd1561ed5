"""Factories for the data inventory. Call inside ``org_scope(organization)``."""

from __future__ import annotations

import factory

from apps.datasources.models import DataAssessment, DataSource, Tag
from tests.usecases.factories import UseCaseFactory


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag

    name = factory.Sequence(lambda n: f"tag-{n}")


class DataSourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DataSource

    name = factory.Sequence(lambda n: f"Data source {n}")
    description = "Support tickets since 2015."
    origin = "internal"
    system_or_provider = "Zendesk"
    classification = "internal"
    contains_personal_data = False


class DataAssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DataAssessment

    use_case = factory.SubFactory(UseCaseFactory, organization=factory.SelfAttribute("..organization"))
    data_source = factory.SubFactory(DataSourceFactory, organization=factory.SelfAttribute("..organization"))
    relevance = "yes"
    accessible_today = "yes"
    access_status = "granted"
    terms_permit_use = "not_applicable"
    search_index = "none"
    meets_quality_standard = "yes"
    contains_confidential = "no"
    anonymisation_required = "no"
