"""From what is known about each candidate to a scored, checked scorecard (pure; no database).

The database layer (selectors) maps registry/catalog/use-case rows to :class:`CandidateFacts` and
:class:`~apps.scorecards.checks.Requirements`; everything from there on happens here, so the page,
the API, the frozen snapshot and the benchmark all run the same code.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

from apps.scorecards.checks import (
    CheckSubject,
    Classification,
    CommercialUse,
    HostingOption,
    ModelKind,
    PolicyVerdict,
    Requirements,
    evaluate_checks,
)
from apps.scorecards.costing import (
    CarbonEstimate,
    CostEstimate,
    HostingEstimate,
    TokenPrices,
    Workload,
    monthly_carbon,
    monthly_cost,
)
from apps.scorecards.scoring import (
    Direction,
    Factor,
    FactorSpec,
    MissingRule,
    RawValue,
    Scale,
    ScorecardResult,
    ScoreInput,
    Source,
    score,
)

__all__ = [
    "LICENCE_SCORES",
    "SNAPSHOT_SCHEMA",
    "CandidateFacts",
    "EvaluatedCandidate",
    "Evaluation",
    "evaluate",
    "reevaluate_snapshot",
]

SNAPSHOT_SCHEMA = 1

MISSING = RawValue(None, Source.MISSING)

# The licence factor's raw value (fixed 0–1 scale); "unknown" is a missing value, not a zero.
LICENCE_SCORES: Mapping[CommercialUse, float | None] = {
    CommercialUse.ALLOWED: 1.0,
    CommercialUse.CONDITIONAL: 0.5,
    CommercialUse.NOT_ALLOWED: 0.0,
    CommercialUse.UNKNOWN: None,
}


@dataclass(frozen=True, slots=True)
class CandidateFacts:
    key: str
    label: str
    kind: ModelKind
    hosting: HostingOption
    provider: str = ""
    hosting_location: str | None = None  # code compared with the use case's residency codes
    hosting_zone: str | None = None  # EcoLogits electricity-mix zone (ISO alpha-3); None → world mix
    dpa_in_place: bool = False
    vendor_support: bool | None = None  # a support contract / SLA exists (None: unknown)
    latency_ms: RawValue = MISSING
    quality: RawValue = MISSING
    transparency: RawValue = MISSING  # 0 undisclosed, 1 partly documented, 2 open training data
    context_window: RawValue = MISSING
    fine_tuning: RawValue = MISSING  # 0 none, 1 through the vendor's service, 2 full weights
    commercial_use: CommercialUse | None = None
    commercial_use_source: Source = Source.CATALOG
    input_price: RawValue = MISSING  # per million tokens
    output_price: RawValue = MISSING
    energy_per_million_output_tokens: RawValue = MISSING  # kWh
    parameters: RawValue = MISSING  # parameter count
    popularity: RawValue = MISSING  # downloads (or likes) on the hub
    hosting_estimate: HostingEstimate | None = None


@dataclass(frozen=True, slots=True)
class EvaluatedCandidate:
    facts: CandidateFacts
    cost: CostEstimate
    carbon: CarbonEstimate


@dataclass(frozen=True, slots=True)
class Evaluation:
    requirements: Requirements
    workload: Workload
    policy: Mapping[tuple[Classification, HostingOption], PolicyVerdict]
    candidates: tuple[EvaluatedCandidate, ...]
    result: ScorecardResult
    extra: Mapping[str, Any] = field(default_factory=dict)

    def candidate(self, key: str) -> EvaluatedCandidate:
        for c in self.candidates:
            if c.facts.key == key:
                return c
        raise KeyError(key)

    def to_dict(self) -> dict[str, Any]:
        """Canonical-ready data of the inputs, sources, weights and results (for frozen snapshots)."""
        req = asdict(self.requirements)
        req["residency"] = sorted(req["residency"]) if req["residency"] is not None else None
        return plain(
            {
                "schema": SNAPSHOT_SCHEMA,
                "requirements": req,
                "workload": asdict(self.workload),
                "policy": {f"{c.value}:{h.value}": v.value for (c, h), v in sorted(self.policy.items())},
                "candidates": [
                    {"facts": asdict(c.facts), "cost": asdict(c.cost), "carbon": asdict(c.carbon)}
                    for c in self.candidates
                ],
                "result": self.result.to_dict(),
            }
        )


def plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k.value if isinstance(k, StrEnum) else k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | frozenset | set):
        items = [plain(v) for v in value]
        return sorted(items) if isinstance(value, frozenset | set) else items
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _num(rv: RawValue) -> float | None:
    return None if rv.is_missing else float(rv.value)  # type: ignore[arg-type]


def evaluate(
    *,
    requirements: Requirements,
    workload: Workload,
    candidates: Sequence[CandidateFacts],
    weights: Mapping[Factor | str, float],
    missing_rule: MissingRule = MissingRule.WORST,
    policy: Mapping[tuple[Classification, HostingOption], PolicyVerdict] | None = None,
    specs: Mapping[Factor, FactorSpec] | None = None,
) -> Evaluation:
    from apps.scorecards.checks import DEFAULT_POLICY

    policy = dict(DEFAULT_POLICY) if policy is None else dict(policy)
    evaluated: list[EvaluatedCandidate] = []
    inputs: list[ScoreInput] = []
    for facts in candidates:
        prices = TokenPrices(_num(facts.input_price), _num(facts.output_price))
        cost = monthly_cost(workload, prices, facts.hosting_estimate)
        carbon = monthly_carbon(
            workload,
            energy_kwh_per_million_output_tokens=_num(facts.energy_per_million_output_tokens),
            zone=facts.hosting_zone,
            hosting=facts.hosting_estimate,
            cost=cost,
        )
        evaluated.append(EvaluatedCandidate(facts, cost, carbon))
        subject = CheckSubject(
            kind=facts.kind,
            hosting=facts.hosting,
            hosting_location=facts.hosting_location,
            dpa_in_place=facts.dpa_in_place,
            context_window=_num(facts.context_window),
            latency_ms=_num(facts.latency_ms),
            monthly_cost=cost.monthly_cost,
            commercial_use=facts.commercial_use,
            fine_tuning=None if facts.fine_tuning.is_missing else int(facts.fine_tuning.value),  # type: ignore[arg-type]
        )
        licence = LICENCE_SCORES[facts.commercial_use or CommercialUse.UNKNOWN]
        values: dict[Factor, RawValue] = {
            Factor.SPEED: facts.latency_ms,
            Factor.QUALITY: facts.quality,
            Factor.TRANSPARENCY: facts.transparency,
            Factor.CONTEXT_WINDOW: facts.context_window,
            Factor.FINE_TUNING: facts.fine_tuning,
            Factor.LICENCE: MISSING if licence is None else RawValue(licence, facts.commercial_use_source),
            Factor.COST: MISSING if cost.monthly_cost is None else RawValue(cost.monthly_cost, Source.COMPUTED),
            Factor.CARBON: MISSING if carbon.kg_co2e is None else RawValue(carbon.kg_co2e, Source.COMPUTED),
            Factor.PARAMETERS: facts.parameters,
            Factor.POPULARITY: facts.popularity,
        }
        inputs.append(
            ScoreInput(
                key=facts.key,
                label=facts.label,
                values=values,
                checks=evaluate_checks(requirements, subject, policy),
                kind=facts.kind.value,
            )
        )
    result = score(inputs, weights, missing_rule=missing_rule, specs=specs)
    return Evaluation(requirements, workload, policy, tuple(evaluated), result)


# --- snapshots back to inputs ----------------------------------------------------------------------


def _raw_from(data: Any) -> RawValue:
    if not data:
        return MISSING
    return RawValue(data.get("value"), Source(data.get("source", Source.CATALOG.value)), data.get("detail", ""))


def _facts_from(data: Mapping[str, Any]) -> CandidateFacts:
    raw_fields = {
        "latency_ms",
        "quality",
        "transparency",
        "context_window",
        "fine_tuning",
        "input_price",
        "output_price",
        "energy_per_million_output_tokens",
        "parameters",
        "popularity",
    }
    kwargs: dict[str, Any] = {}
    for key, value in data.items():
        if key in raw_fields:
            kwargs[key] = _raw_from(value)
        elif key == "kind":
            kwargs[key] = ModelKind(value)
        elif key == "hosting":
            kwargs[key] = HostingOption(value)
        elif key == "commercial_use":
            kwargs[key] = CommercialUse(value) if value is not None else None
        elif key == "commercial_use_source":
            kwargs[key] = Source(value)
        elif key == "hosting_estimate":
            kwargs[key] = HostingEstimate(**value) if value is not None else None
        else:
            kwargs[key] = value
    return CandidateFacts(**kwargs)


def reevaluate_snapshot(data: Mapping[str, Any]) -> Evaluation:
    """Run the engine again on a snapshot's own inputs: the frozen page shows exactly what was frozen,
    and comparing ``to_dict()`` with the stored data proves the snapshot consistent."""
    req = dict(data["requirements"])
    req["residency"] = frozenset(req["residency"]) if req.get("residency") is not None else None
    if req.get("data_classification") is not None:
        req["data_classification"] = Classification(req["data_classification"])
    policy = {}
    for key, verdict in data["policy"].items():
        c, h = key.split(":", 1)
        policy[(Classification(c), HostingOption(h))] = PolicyVerdict(verdict)
    result = data["result"]
    specs = {
        Factor(k): FactorSpec(
            Factor(k),
            Direction(v["direction"]),
            Scale(v["scale"]),
            tuple(v["bounds"]) if v.get("bounds") is not None else None,  # type: ignore[arg-type]
        )
        for k, v in result["specs"].items()
    }
    return evaluate(
        requirements=Requirements(**req),
        workload=Workload(**data["workload"]),
        candidates=[_facts_from(c["facts"]) for c in data["candidates"]],
        weights=result["weights"],
        missing_rule=MissingRule(result["missing_rule"]),
        policy=policy,
        specs=specs,
    )
