"""The energy / carbon estimate (EcoLogits method) per million output tokens."""

from __future__ import annotations

from django.test import override_settings

from apps.catalog.energy import ecologits_parameters, estimate_per_million_output_tokens


def test_no_parameters_no_estimate() -> None:
    assert estimate_per_million_output_tokens(total_parameters=None) is None
    assert estimate_per_million_output_tokens(total_parameters=0) is None


def test_bigger_models_cost_more_energy() -> None:
    small = estimate_per_million_output_tokens(total_parameters=8_000_000_000)
    large = estimate_per_million_output_tokens(total_parameters=70_000_000_000)
    assert small is not None and large is not None
    assert 0 < small.energy_kwh < large.energy_kwh
    assert small.carbon_kgco2e > 0 and small.zone == "WOR"


def test_mixture_of_experts_uses_active_parameters() -> None:
    dense = estimate_per_million_output_tokens(total_parameters=100_000_000_000)
    moe = estimate_per_million_output_tokens(total_parameters=100_000_000_000, active_parameters=10_000_000_000)
    assert dense is not None and moe is not None
    assert moe.energy_kwh < dense.energy_kwh


def test_zone_changes_carbon_not_energy() -> None:
    world = estimate_per_million_output_tokens(total_parameters=8_000_000_000)
    with override_settings(CATALOG_ENERGY_ZONE="FRA"):
        france = estimate_per_million_output_tokens(total_parameters=8_000_000_000)
    assert world is not None and france is not None
    assert france.energy_kwh == world.energy_kwh
    assert france.carbon_kgco2e < world.carbon_kgco2e and france.zone == "FRA"


def test_unknown_zone_falls_back_to_world() -> None:
    with override_settings(CATALOG_ENERGY_ZONE="XXX"):
        estimate = estimate_per_million_output_tokens(total_parameters=8_000_000_000)
    assert estimate is not None and estimate.zone == "WOR"


def test_ecologits_knows_some_proprietary_models() -> None:
    known = ecologits_parameters("openai", "gpt-4o")
    assert known is not None and known[0] > 0
    assert ecologits_parameters("openai", "no-such-model") is None
    assert ecologits_parameters("unknown-provider", "gpt-4o") is None
