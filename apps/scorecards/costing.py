"""Monthly cost and carbon of running one model for one use case (pure; no Django, no database).

Cost, per-token basis (vendor API, or a marketplace billed per token)::

    monthly_input_tokens  = monthly_requests × input_tokens_per_request
    monthly_output_tokens = monthly_requests × output_tokens_per_request
    cost = (monthly_input_tokens × input_price + monthly_output_tokens × output_price) / 1 000 000

Cost, hosting basis (self-hosted, or a marketplace billed per instance-hour)::

    average_tps = monthly_output_tokens / (hours_per_month × 3600)
    instances   = max(min_instances, ceil(average_tps × peak_factor / throughput_per_instance))
    cost        = instances × price_per_hour × hours_per_month

Carbon::

    energy_kWh = monthly_output_tokens / 1 000 000 × energy_kWh_per_million_output_tokens   (token basis)
    energy_kWh = instances × power_kW × hours_per_month × PUE                            (hosting basis,
                                                                                       when power is known)
    kgCO2e     = energy_kWh × grid_intensity(zone)      (EcoLogits' electricity mix, kgCO2e / kWh)

An unknown zone uses EcoLogits' world mix ("WOR") and says so. Every estimate lists what was missing
instead of guessing: a missing input gives ``None``, never zero.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache

__all__ = [
    "HOURS_PER_MONTH",
    "WORLD_ZONE",
    "Basis",
    "CarbonEstimate",
    "CostEstimate",
    "GridIntensity",
    "HostingEstimate",
    "TokenPrices",
    "Workload",
    "electricity_zones",
    "grid_intensity",
    "monthly_carbon",
    "monthly_cost",
]

HOURS_PER_MONTH = 730.0  # 365 × 24 / 12
WORLD_ZONE = "WOR"


class Basis(StrEnum):
    TOKENS = "tokens"
    HOSTING = "hosting"
    MISSING = "missing"


@dataclass(frozen=True, slots=True)
class Workload:
    monthly_requests: float | None
    input_tokens_per_request: float | None
    output_tokens_per_request: float | None

    @property
    def monthly_input_tokens(self) -> float | None:
        if self.monthly_requests is None or self.input_tokens_per_request is None:
            return None
        return float(self.monthly_requests) * float(self.input_tokens_per_request)

    @property
    def monthly_output_tokens(self) -> float | None:
        if self.monthly_requests is None or self.output_tokens_per_request is None:
            return None
        return float(self.monthly_requests) * float(self.output_tokens_per_request)

    def missing(self) -> list[str]:
        names = ("monthly_requests", "input_tokens_per_request", "output_tokens_per_request")
        return [n for n in names if getattr(self, n) is None]


@dataclass(frozen=True, slots=True)
class TokenPrices:
    input_per_million: float | None
    output_per_million: float | None


@dataclass(frozen=True, slots=True)
class HostingEstimate:
    """What the organization entered for running the model on its own (or rented) instances."""

    price_per_hour: float | None
    throughput_tokens_per_second: float | None  # output tokens per second one instance sustains
    hours_per_month: float = HOURS_PER_MONTH  # always-on by default
    peak_factor: float = 1.0  # busiest hour ÷ average hour
    min_instances: int = 1
    power_kw: float | None = None  # average electrical draw of one instance
    pue: float = 1.0  # data-centre power usage effectiveness applied to power_kw


@dataclass(frozen=True, slots=True)
class CostEstimate:
    monthly_cost: float | None
    basis: Basis
    missing: tuple[str, ...] = ()
    monthly_input_tokens: float | None = None
    monthly_output_tokens: float | None = None
    input_cost: float | None = None
    output_cost: float | None = None
    instances: int | None = None
    hours_per_month: float | None = None
    price_per_hour: float | None = None


@dataclass(frozen=True, slots=True)
class GridIntensity:
    zone: str  # the zone actually used
    kg_co2e_per_kwh: float
    fallback: bool  # True when the requested zone was unknown and the world mix was used
    requested: str | None = None


@dataclass(frozen=True, slots=True)
class CarbonEstimate:
    kg_co2e: float | None
    energy_kwh: float | None
    basis: Basis
    grid: GridIntensity
    missing: tuple[str, ...] = field(default_factory=tuple)


def monthly_cost(workload: Workload, prices: TokenPrices | None, hosting: HostingEstimate | None) -> CostEstimate:
    """Hosting basis when a hosting estimate is given, else the per-token basis."""
    if hosting is not None:
        return _hosting_cost(workload, hosting)
    return _token_cost(workload, prices or TokenPrices(None, None))


def _token_cost(workload: Workload, prices: TokenPrices) -> CostEstimate:
    missing = workload.missing()
    if prices.input_per_million is None:
        missing.append("input_price")
    if prices.output_per_million is None:
        missing.append("output_price")
    tin, tout = workload.monthly_input_tokens, workload.monthly_output_tokens
    if missing:
        return CostEstimate(None, Basis.MISSING, tuple(missing), tin, tout)
    assert tin is not None and tout is not None
    assert prices.input_per_million is not None and prices.output_per_million is not None
    cin = tin * float(prices.input_per_million) / 1_000_000
    cout = tout * float(prices.output_per_million) / 1_000_000
    return CostEstimate(cin + cout, Basis.TOKENS, (), tin, tout, input_cost=cin, output_cost=cout)


def required_instances(monthly_output_tokens: float, hosting: HostingEstimate) -> int:
    assert hosting.throughput_tokens_per_second
    average_tps = monthly_output_tokens / (hosting.hours_per_month * 3600)
    needed = math.ceil(average_tps * hosting.peak_factor / float(hosting.throughput_tokens_per_second) - 1e-9)
    return max(int(hosting.min_instances), needed)


def _hosting_cost(workload: Workload, hosting: HostingEstimate) -> CostEstimate:
    missing = [n for n in ("monthly_requests", "output_tokens_per_request") if getattr(workload, n) is None]
    if hosting.price_per_hour is None:
        missing.append("price_per_hour")
    if not hosting.throughput_tokens_per_second:
        missing.append("throughput")
    tin, tout = workload.monthly_input_tokens, workload.monthly_output_tokens
    if missing:
        return CostEstimate(None, Basis.MISSING, tuple(missing), tin, tout)
    assert tout is not None and hosting.price_per_hour is not None
    instances = required_instances(tout, hosting)
    cost = instances * float(hosting.price_per_hour) * hosting.hours_per_month
    return CostEstimate(
        cost,
        Basis.HOSTING,
        (),
        tin,
        tout,
        instances=instances,
        hours_per_month=hosting.hours_per_month,
        price_per_hour=float(hosting.price_per_hour),
    )


@lru_cache(maxsize=1)
def _mixes() -> dict[str, float]:
    from ecologits.electricity_mix_repository import electricity_mixes

    return {m.zone: float(m.gwp) for m in electricity_mixes.list_electricity_mixes()}


def electricity_zones() -> list[str]:
    """The zone codes EcoLogits knows (ISO 3166-1 alpha-3, plus WOR for the world mix)."""
    return sorted(_mixes())


def grid_intensity(zone: str | None) -> GridIntensity:
    mixes = _mixes()
    code = (zone or "").strip().upper()
    if code in mixes:
        return GridIntensity(code, mixes[code], fallback=False, requested=code)
    return GridIntensity(WORLD_ZONE, mixes[WORLD_ZONE], fallback=True, requested=code or None)


def monthly_carbon(
    workload: Workload,
    *,
    energy_kwh_per_million_output_tokens: float | None,
    zone: str | None,
    hosting: HostingEstimate | None = None,
    cost: CostEstimate | None = None,
) -> CarbonEstimate:
    """Hosting basis when the instance power and instance count are known, else the token basis."""
    grid = grid_intensity(zone)
    if hosting is not None and hosting.power_kw is not None and cost is not None and cost.instances is not None:
        energy = cost.instances * float(hosting.power_kw) * hosting.hours_per_month * float(hosting.pue)
        return CarbonEstimate(energy * grid.kg_co2e_per_kwh, energy, Basis.HOSTING, grid)
    missing = [n for n in ("monthly_requests", "output_tokens_per_request") if getattr(workload, n) is None]
    if energy_kwh_per_million_output_tokens is None:
        missing.append("energy_per_million_output_tokens")
    tout = workload.monthly_output_tokens
    if missing:
        return CarbonEstimate(None, None, Basis.MISSING, grid, tuple(missing))
    assert tout is not None and energy_kwh_per_million_output_tokens is not None
    energy = tout / 1_000_000 * float(energy_kwh_per_million_output_tokens)
    return CarbonEstimate(energy * grid.kg_co2e_per_kwh, energy, Basis.TOKENS, grid)
