"""Cost and carbon for a use case, on hand-computed examples (pure: no database)."""

from __future__ import annotations

import pytest

from apps.scorecards.costing import (
    HOURS_PER_MONTH,
    WORLD_ZONE,
    Basis,
    HostingEstimate,
    TokenPrices,
    Workload,
    electricity_zones,
    grid_intensity,
    monthly_carbon,
    monthly_cost,
)

# 10 000 requests a month, 1 000 tokens in and 500 out per request → 10 M in, 5 M out.
WORK = Workload(10_000, 1_000, 500)


class TestTokenCost:
    def test_hand_computed(self) -> None:
        est = monthly_cost(WORK, TokenPrices(3.0, 15.0), None)
        # 10 M × $3 / M = $30 ; 5 M × $15 / M = $75
        assert est.basis is Basis.TOKENS
        assert est.input_cost == pytest.approx(30.0)
        assert est.output_cost == pytest.approx(75.0)
        assert est.monthly_cost == pytest.approx(105.0)
        assert est.monthly_input_tokens == 10_000_000 and est.monthly_output_tokens == 5_000_000

    def test_free_model_costs_zero_not_missing(self) -> None:
        est = monthly_cost(WORK, TokenPrices(0.0, 0.0), None)
        assert est.monthly_cost == 0.0 and est.basis is Basis.TOKENS

    @pytest.mark.parametrize(
        ("work", "prices", "missing"),
        [
            (WORK, TokenPrices(None, 15.0), ("input_price",)),
            (WORK, None, ("input_price", "output_price")),
            (Workload(None, 1000, 500), TokenPrices(1, 1), ("monthly_requests",)),
            (Workload(10, None, None), TokenPrices(1, 1), ("input_tokens_per_request", "output_tokens_per_request")),
        ],
    )
    def test_missing_input_gives_none_and_says_what(self, work, prices, missing) -> None:  # type: ignore[no-untyped-def]
        est = monthly_cost(work, prices, None)
        assert est.monthly_cost is None and est.basis is Basis.MISSING and est.missing == missing


class TestHostingCost:
    def test_small_load_needs_the_minimum_instance(self) -> None:
        # 5 M tokens / (730 h × 3600 s) = 1.90 tok/s ≪ 50 → 1 instance × $2.50 × 730 h = $1 825
        est = monthly_cost(WORK, TokenPrices(3.0, 15.0), HostingEstimate(2.5, 50))
        assert est.basis is Basis.HOSTING
        assert est.instances == 1
        assert est.monthly_cost == pytest.approx(1825.0)
        assert est.hours_per_month == HOURS_PER_MONTH

    def test_peak_factor_scales_instances(self) -> None:
        # 10 M requests × 500 = 5 G tokens → 1 902.6 tok/s average ; × 2 peak = 3 805.2 → 4 × 1 000 tok/s
        big = Workload(10_000_000, 1_000, 500)
        est = monthly_cost(big, None, HostingEstimate(2.5, 1000, peak_factor=2.0))
        assert est.instances == 4
        assert est.monthly_cost == pytest.approx(4 * 2.5 * 730)
        assert monthly_cost(big, None, HostingEstimate(2.5, 1000)).instances == 2

    def test_exact_capacity_does_not_round_up(self) -> None:
        # exactly 100 tok/s on average, 100 tok/s per instance → 1 instance
        work = Workload(730 * 3600, 0, 100)
        assert monthly_cost(work, None, HostingEstimate(1.0, 100, min_instances=0)).instances == 1

    def test_part_time_hosting(self) -> None:
        est = monthly_cost(WORK, None, HostingEstimate(4.0, 50, hours_per_month=200, min_instances=2))
        assert est.instances == 2 and est.monthly_cost == pytest.approx(2 * 4.0 * 200)

    def test_missing_hosting_inputs(self) -> None:
        est = monthly_cost(WORK, None, HostingEstimate(None, None))
        assert est.monthly_cost is None and est.missing == ("price_per_hour", "throughput")

    def test_hosting_ignores_input_tokens(self) -> None:
        est = monthly_cost(Workload(100, None, 10), None, HostingEstimate(1.0, 10))
        assert est.monthly_cost == pytest.approx(730.0)


class TestCarbon:
    def test_grid_intensity_from_ecologits(self) -> None:
        fra = grid_intensity("fra")
        assert fra.zone == "FRA" and not fra.fallback and 0 < fra.kg_co2e_per_kwh < 0.2
        assert grid_intensity("POL").kg_co2e_per_kwh > fra.kg_co2e_per_kwh

    def test_unknown_zone_falls_back_to_the_world_mix_and_says_so(self) -> None:
        g = grid_intensity("XXX")
        assert g.zone == WORLD_ZONE and g.fallback and g.requested == "XXX"
        assert grid_intensity(None).fallback and grid_intensity(None).requested is None

    def test_zones_are_listed(self) -> None:
        zones = electricity_zones()
        assert "WOR" in zones and "DEU" in zones and len(zones) > 100

    def test_token_basis(self) -> None:
        # 5 M output tokens × 0.5 kWh / M = 2.5 kWh × grid
        est = monthly_carbon(WORK, energy_kwh_per_million_output_tokens=0.5, zone="FRA")
        assert est.basis is Basis.TOKENS
        assert est.energy_kwh == pytest.approx(2.5)
        assert est.kg_co2e == pytest.approx(2.5 * grid_intensity("FRA").kg_co2e_per_kwh)

    def test_hosting_basis_uses_instance_power_and_pue(self) -> None:
        hosting = HostingEstimate(2.5, 50, power_kw=0.7, pue=1.2)
        cost = monthly_cost(WORK, None, hosting)
        est = monthly_carbon(WORK, energy_kwh_per_million_output_tokens=0.5, zone="SWE", hosting=hosting, cost=cost)
        # 1 instance × 0.7 kW × 730 h × 1.2 = 613.2 kWh
        assert est.basis is Basis.HOSTING
        assert est.energy_kwh == pytest.approx(613.2)
        assert est.kg_co2e == pytest.approx(613.2 * grid_intensity("SWE").kg_co2e_per_kwh)

    def test_hosting_without_power_falls_back_to_tokens(self) -> None:
        hosting = HostingEstimate(2.5, 50)
        cost = monthly_cost(WORK, None, hosting)
        est = monthly_carbon(WORK, energy_kwh_per_million_output_tokens=0.5, zone="SWE", hosting=hosting, cost=cost)
        assert est.basis is Basis.TOKENS and est.energy_kwh == pytest.approx(2.5)

    def test_missing_energy(self) -> None:
        est = monthly_carbon(WORK, energy_kwh_per_million_output_tokens=None, zone="DEU")
        assert est.kg_co2e is None and est.missing == ("energy_per_million_output_tokens",)
        assert est.grid.zone == "DEU"
