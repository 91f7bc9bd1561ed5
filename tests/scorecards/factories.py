"""Factories for scorecards (and the catalog/registry rows they need). Tenant factories: call inside
``org_scope(organization)``."""

from __future__ import annotations

from decimal import Decimal

import factory

from apps.catalog.models import CatalogEntry
from apps.registry.models import RegisteredModel
from apps.scorecards.models import Scorecard, ScorecardCandidate
from tests.usecases.factories import UseCaseFactory


class CatalogEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CatalogEntry
        django_get_or_create = ("key",)

    key = factory.Sequence(lambda n: f"test:model-{n}")
    source = "manual"
    display_name = factory.Sequence(lambda n: f"Catalog model {n}")
    provider_name = "Test provider"
    kind = "proprietary_api"
    licence_id = "proprietary"
    commercial_use = "allowed"
    context_window = 128_000
    fine_tuning = "unknown"
    price_input_per_mtok = Decimal("2.5")
    price_output_per_mtok = Decimal("10")
    price_currency = "USD"


class RegisteredModelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RegisteredModel

    name = factory.Sequence(lambda n: f"Registered model {n}")
    provider = "Test provider"
    kind = "proprietary_api"
    hosting = "vendor_api"
    catalog_entry = factory.SubFactory(CatalogEntryFactory)


class ScorecardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Scorecard

    use_case = factory.SubFactory(UseCaseFactory, organization=factory.SelfAttribute("..organization"))
    title = factory.Sequence(lambda n: f"Scorecard {n}")


class CandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ScorecardCandidate

    scorecard = factory.SubFactory(ScorecardFactory, organization=factory.SelfAttribute("..organization"))
    registered_model = factory.SubFactory(RegisteredModelFactory, organization=factory.SelfAttribute("..organization"))
    position = factory.Sequence(lambda n: n)
