"""Energy and carbon estimate per million output tokens, with the EcoLogits methodology.

The method (documented in docs/catalog.md): EcoLogits' LLM inference model estimates the energy of a generation
request from the model's *active* parameter count (GPU energy per token, regression on measured data) and its
*total* parameter count (how many 80 GB GPUs are needed to hold the weights, hence the server's share). We ask it
for a request of one million output tokens with no latency cap, multiply by the data-centre PUE, and convert the
energy to kg CO2e with the electricity mix of a configurable zone (``CATALOG_ENERGY_ZONE``, the world average by
default) bundled with ``ecologits``. A model without a parameter count gets no estimate (never a guess); when
EcoLogits only knows a range of parameters (undisclosed proprietary models), the midpoint of the resulting range
is stored and the range is kept in the provenance note.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from ecologits.electricity_mix_repository import ElectricityMixRepository
from ecologits.impacts.llm import compute_llm_impacts
from ecologits.model_repository import ModelRepository, ParametersMoE
from ecologits.utils.range_value import RangeValue

from . import conf

TOKENS = 1_000_000
METHOD = "ecologits-llm-inference"

# models.dev provider ids → EcoLogits provider names, for looking up parameter counts of proprietary models.
_ECOLOGITS_PROVIDERS = {
    "openai": "openai",
    "anthropic": "anthropic",
    "mistral": "mistralai",
    "google": "google_genai",
    "cohere": "cohere",
}


@dataclass(frozen=True)
class EnergyEstimate:
    energy_kwh: float
    carbon_kgco2e: float
    zone: str
    method: str
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "energy_kwh": self.energy_kwh,
            "carbon_kgco2e": self.carbon_kgco2e,
            "zone": self.zone,
            "method": self.method,
            "note": self.note,
        }


@cache
def _mixes() -> ElectricityMixRepository:
    return ElectricityMixRepository.from_json()


@cache
def _models() -> ModelRepository:
    return ModelRepository.from_json()


def _mid(value: Any) -> float:
    if isinstance(value, RangeValue):
        return (float(value.min) + float(value.max)) / 2
    return float(value)


def estimate_per_million_output_tokens(
    *, total_parameters: int | None, active_parameters: int | None = None, zone: str | None = None
) -> EnergyEstimate | None:
    """Estimate energy (kWh) and emissions (kg CO2e) for one million output tokens, or None without parameters."""
    if not total_parameters or total_parameters <= 0:
        return None
    active = active_parameters if active_parameters and 0 < active_parameters <= total_parameters else total_parameters
    zone = (zone or str(conf.get("CATALOG_ENERGY_ZONE"))).upper()
    mix = _mixes().find_electricity_mix(zone)
    if mix is None:
        zone = "WOR"
        mix = _mixes().find_electricity_mix(zone)
    assert mix is not None
    pue = float(conf.get("CATALOG_DATACENTER_PUE"))
    impacts = compute_llm_impacts(
        model_active_parameter_count=active / 1e9,
        model_total_parameter_count=total_parameters / 1e9,
        output_token_count=TOKENS,
        if_electricity_mix_adpe=mix.adpe,
        if_electricity_mix_pe=mix.pe,
        if_electricity_mix_gwp=mix.gwp,
        if_electricity_mix_wue=mix.wue,
        datacenter_pue=pue,
        datacenter_wue=0.0,
    )
    energy = _mid(impacts.energy.value)
    carbon = _mid(impacts.usage.gwp.value)
    return EnergyEstimate(
        energy_kwh=round(energy, 6),
        carbon_kgco2e=round(carbon, 6),
        zone=zone,
        method=METHOD,
        note=f"PUE {pue}, {mix.gwp} kgCO2e/kWh ({zone})",
    )


def ecologits_parameters(provider_id: str, model_id: str) -> tuple[int, int | None, bool] | None:
    """(total, active or None, is_estimate) parameters EcoLogits knows for a provider's model, else None.

    ``is_estimate`` is true when EcoLogits flags the architecture as not released (an estimate or a range).
    """
    provider = _ECOLOGITS_PROVIDERS.get(provider_id)
    if provider is None:
        return None
    repository = _models()
    model = repository.find_model(provider, model_id)
    if model is None:
        return None
    params = model.architecture.parameters
    estimate = any("not-released" in str(w) for w in (model.warnings or []))
    if isinstance(params, ParametersMoE):
        total = _mid(params.total)
        active = _mid(params.active)
        estimate = estimate or isinstance(params.total, RangeValue) or isinstance(params.active, RangeValue)
        return int(total * 1e9), int(active * 1e9), estimate
    estimate = estimate or isinstance(params, RangeValue)
    return int(_mid(params) * 1e9), None, estimate
