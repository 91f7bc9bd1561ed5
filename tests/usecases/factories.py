"""Factories for use cases. Call inside ``org_scope(organization)``."""

from __future__ import annotations

import factory

from apps.usecases.models import PhaseTransition, UseCase


class UseCaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UseCase

    title = factory.Sequence(lambda n: f"Use case {n}")
    business_problem = "Agents spend too long drafting answers."
    expected_value = "Faster answers."
    business_unit = "Customer service"


class PhaseTransitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PhaseTransition

    use_case = factory.SubFactory(UseCaseFactory, organization=factory.SelfAttribute("..organization"))
    from_phase = "ideation"
    to_phase = "development"
    reason = "Prototype approved."
