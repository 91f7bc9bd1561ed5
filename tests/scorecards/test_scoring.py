"""The scoring maths on hand-computed examples (pure: no database)."""

from __future__ import annotations

import json
import math

import pytest

from apps.scorecards.scoring import (
    DEFAULT_SPECS,
    FACTORS,
    Check,
    CheckStatus,
    Direction,
    Factor,
    FactorSpec,
    MissingRule,
    RawValue,
    Scale,
    ScoreInput,
    ScoringError,
    SensitivityStatus,
    Source,
    normalise_column,
    score,
    specs_with,
)

LIN_UP = FactorSpec(Factor.QUALITY, Direction.HIGHER, Scale.LINEAR)
LIN_DOWN = FactorSpec(Factor.COST, Direction.LOWER, Scale.LINEAR)
LOG_UP = FactorSpec(Factor.CONTEXT_WINDOW, Direction.HIGHER, Scale.LOG)
FIXED = FactorSpec(Factor.TRANSPARENCY, Direction.HIGHER, Scale.FIXED, (0.0, 2.0))


def approx(values: list[float]) -> object:
    return pytest.approx(values, abs=1e-12)


class TestNormaliseColumn:
    def test_linear_higher_is_better(self) -> None:
        assert normalise_column(LIN_UP, [10, 20, 30]) == approx([0.0, 0.5, 1.0])

    def test_linear_lower_is_better(self) -> None:
        assert normalise_column(LIN_DOWN, [10, 20, 30]) == approx([1.0, 0.5, 0.0])

    def test_uneven_spacing(self) -> None:
        # (25 - 10) / (50 - 10) = 0.375
        assert normalise_column(LIN_UP, [10, 25, 50]) == approx([0.0, 0.375, 1.0])

    def test_log_scale_uses_log10_of_one_plus_x(self) -> None:
        # log10(10) = 1, log10(100) = 2, log10(1000) = 3
        assert normalise_column(LOG_UP, [9, 99, 999]) == approx([0.0, 0.5, 1.0])

    def test_log_scale_accepts_zero(self) -> None:
        # log10(1) = 0, log10(10) = 1, log10(100) = 2
        assert normalise_column(LOG_UP, [0, 9, 99]) == approx([0.0, 0.5, 1.0])

    def test_fixed_bounds_do_not_stretch_the_shortlist(self) -> None:
        # 1 and 2 on a 0–2 scale stay 0.5 and 1.0 even though 1 is the shortlist's minimum
        assert normalise_column(FIXED, [1, 2]) == approx([0.5, 1.0])

    def test_fixed_bounds_clip(self) -> None:
        assert normalise_column(FIXED, [-1, 3]) == approx([0.0, 1.0])

    def test_all_equal_column_scores_one(self) -> None:
        assert normalise_column(LIN_UP, [5, 5, 5]) == approx([1.0, 1.0, 1.0])
        assert normalise_column(LIN_DOWN, [5, 5]) == approx([1.0, 1.0])

    def test_single_value_is_all_equal(self) -> None:
        assert normalise_column(LIN_DOWN, [42]) == approx([1.0])

    @pytest.mark.parametrize(
        ("rule", "expected"),
        [(MissingRule.WORST, 0.0), (MissingRule.NEUTRAL, 0.5), (MissingRule.MEAN, 0.5)],
    )
    def test_missing_value_rules(self, rule: MissingRule, expected: float) -> None:
        # present: 10 → 0.0, 30 → 1.0; mean of present scores = 0.5
        assert normalise_column(LIN_UP, [10, None, 30], rule) == approx([0.0, expected, 1.0])

    def test_mean_rule_uses_scores_not_raw_values(self) -> None:
        # scores 0, 0.25, 1 → mean 1.25 / 3
        assert normalise_column(LIN_UP, [0, 10, 40, None], MissingRule.MEAN)[3] == pytest.approx(1.25 / 3)

    def test_missing_beside_all_equal(self) -> None:
        assert normalise_column(LIN_UP, [7, None, 7], MissingRule.WORST) == approx([1.0, 0.0, 1.0])
        assert normalise_column(LIN_UP, [7, None, 7], MissingRule.MEAN) == approx([1.0, 1.0, 1.0])

    @pytest.mark.parametrize(
        ("rule", "expected"), [(MissingRule.WORST, 0.0), (MissingRule.NEUTRAL, 0.5), (MissingRule.MEAN, 0.5)]
    )
    def test_all_missing(self, rule: MissingRule, expected: float) -> None:
        assert normalise_column(LIN_UP, [None, None], rule) == approx([expected, expected])

    def test_nan_counts_as_missing(self) -> None:
        assert normalise_column(LIN_UP, [1, math.nan, 3]) == approx([0.0, 0.0, 1.0])

    def test_fixed_spec_needs_bounds(self) -> None:
        with pytest.raises(ValueError):
            FactorSpec(Factor.LICENCE, Direction.HIGHER, Scale.FIXED)
        with pytest.raises(ValueError):
            FactorSpec(Factor.LICENCE, Direction.HIGHER, Scale.FIXED, (1.0, 1.0))


def cand(key: str, checks: tuple[Check, ...] = (), **values: float | None) -> ScoreInput:
    return ScoreInput(
        key=key,
        label=key.upper(),
        values={
            Factor(f): RawValue(v, Source.CATALOG) if v is not None else RawValue.missing() for f, v in values.items()
        },
        checks=checks,
    )


FAIL = Check("commercial_use", CheckStatus.FAIL, "licence_forbids_commercial")
WARN = Check("context_window", CheckStatus.WARN, "context_unknown")

# The worked example of docs/scoring.md.
A = cand("a", quality=80, cost=100)
B = cand("b", quality=90, cost=300)
C = cand("c", quality=70, cost=200)
WEIGHTS = {"quality": 3, "cost": 1}


class TestScore:
    def test_worked_example_totals_and_ranks(self) -> None:
        result = score([A, B, C], WEIGHTS)
        # quality: A .5, B 1, C 0 ; cost (lower better): A 1, B 0, C .5 ; shares .75 / .25
        assert [c.key for c in result.ranked] == ["b", "a", "c"]
        assert result.candidate("b").total == pytest.approx(75.0)
        assert result.candidate("a").total == pytest.approx(62.5)
        assert result.candidate("c").total == pytest.approx(12.5)
        assert [c.rank for c in result.ranked] == [1, 2, 3]
        assert not any(c.tied for c in result.ranked)
        assert [w.key for w in result.winners] == ["b"]

    def test_contributions_add_up_to_the_total(self) -> None:
        result = score([A, B, C], WEIGHTS)
        a = result.candidate("a")
        assert a.factor(Factor.QUALITY).contribution == pytest.approx(37.5)
        assert a.factor(Factor.COST).contribution == pytest.approx(25.0)
        assert a.factor(Factor.SPEED).contribution == 0.0
        for c in result.candidates:
            assert math.fsum(f.contribution for f in c.factors) == pytest.approx(c.total)

    def test_shares_and_weights(self) -> None:
        result = score([A, B, C], WEIGHTS)
        assert result.shares[Factor.QUALITY] == pytest.approx(0.75)
        assert result.shares[Factor.COST] == pytest.approx(0.25)
        assert math.fsum(result.shares.values()) == pytest.approx(1.0)
        assert result.weights[Factor.SPEED] == 0.0

    def test_weights_are_relative(self) -> None:
        doubled = score([A, B, C], {"quality": 6, "cost": 2})
        assert [c.total for c in doubled.ranked] == pytest.approx([c.total for c in score([A, B, C], WEIGHTS).ranked])

    def test_enum_keys_work_like_strings(self) -> None:
        result = score([A, B, C], {Factor.QUALITY: 3, Factor.COST: 1})
        assert result.candidate("a").total == pytest.approx(62.5)

    def test_missing_value_is_flagged_and_scored_by_rule(self) -> None:
        d = cand("d", quality=None, cost=100)
        worst = score([A, B, d], WEIGHTS)
        fs = worst.candidate("d").factor(Factor.QUALITY)
        assert fs.missing and fs.raw is None and fs.source is Source.MISSING and fs.score == 0.0
        # quality among present (80, 90): A 0, B 1 ; cost (100,300,100): A 1, B 0, D 1
        assert worst.candidate("d").total == pytest.approx(25.0)
        neutral = score([A, B, d], WEIGHTS, missing_rule=MissingRule.NEUTRAL)
        assert neutral.candidate("d").factor(Factor.QUALITY).score == 0.5
        assert neutral.candidate("d").total == pytest.approx(75 * 0.5 + 25.0)
        mean = score([A, B, d], WEIGHTS, missing_rule=MissingRule.MEAN)
        assert mean.candidate("d").factor(Factor.QUALITY).score == pytest.approx(0.5)

    def test_missing_factor_key_counts_as_missing(self) -> None:
        result = score([A, B], WEIGHTS)
        fs = result.candidate("a").factor(Factor.POPULARITY)
        assert fs.missing and fs.score == 0.0 and fs.contribution == 0.0

    def test_source_is_carried(self) -> None:
        measured = ScoreInput("m", "M", {Factor.QUALITY: RawValue(88, Source.OWN)})
        result = score([measured, A], {"quality": 1})
        assert result.candidate("m").factor(Factor.QUALITY).source is Source.OWN
        assert result.candidate("m").factor(Factor.QUALITY).raw == 88

    def test_ties_share_a_rank(self) -> None:
        twin = cand("a2", quality=80, cost=100)
        result = score([A, B, C, twin], {"cost": 1})
        # cost: A 1, A2 1, C .5, B 0
        assert [(c.key, c.rank, c.tied) for c in result.ranked] == [
            ("a", 1, True),
            ("a2", 1, True),
            ("c", 3, False),
            ("b", 4, False),
        ]
        assert {w.key for w in result.winners} == {"a", "a2"}
        assert result.sensitivity.status is SensitivityStatus.TIE

    def test_ties_below_the_top_are_not_a_top_tie(self) -> None:
        twin_c = cand("c2", quality=70, cost=200)
        result = score([A, B, C, twin_c], WEIGHTS)
        assert [(c.key, c.rank) for c in result.ranked] == [("b", 1), ("a", 2), ("c", 3), ("c2", 3)]
        assert result.sensitivity.status is SensitivityStatus.STABLE

    def test_all_equal_columns_give_everyone_full_marks(self) -> None:
        x = cand("x", quality=50, cost=10)
        y = cand("y", quality=50, cost=10)
        result = score([x, y], WEIGHTS)
        assert [c.total for c in result.ranked] == [100.0, 100.0]
        assert result.bounds[Factor.QUALITY].all_equal

    def test_excluded_candidate_is_visible_but_not_ranked_and_not_in_bounds(self) -> None:
        cheap_but_forbidden = cand("z", (FAIL,), quality=95, cost=10)
        result = score([A, B, C, cheap_but_forbidden], WEIGHTS)
        assert [c.key for c in result.ranked] == ["b", "a", "c"]
        z = result.candidate("z")
        assert not z.eligible and z.rank is None and z.failed_checks == (FAIL,)
        # bounds come from A, B, C only: ranked totals unchanged
        assert result.candidate("a").total == pytest.approx(62.5)
        # z's own scores use those bounds, clipped: quality 95 > 90 → 1, cost 10 < 100 → 1
        assert z.factor(Factor.QUALITY).score == 1.0 and z.factor(Factor.COST).score == 1.0
        assert result.candidates[-1].key == "z"
        assert result.excluded == (z,)

    def test_warning_does_not_exclude(self) -> None:
        warned = cand("w", (WARN,), quality=85, cost=150)
        result = score([A, warned], WEIGHTS)
        assert result.candidate("w").eligible and result.candidate("w").warnings == (WARN,)

    def test_everyone_excluded_uses_all_for_bounds(self) -> None:
        result = score([cand("x", (FAIL,), quality=1), cand("y", (FAIL,), quality=3)], {"quality": 1})
        assert result.ranked == () and result.winners == ()
        assert result.candidate("y").factor(Factor.QUALITY).score == 1.0
        assert result.sensitivity.status is SensitivityStatus.NONE

    def test_empty_shortlist(self) -> None:
        result = score([], WEIGHTS)
        assert result.candidates == () and result.sensitivity.status is SensitivityStatus.NONE

    @pytest.mark.parametrize(
        ("weights", "code"),
        [
            ({}, "all_weights_zero"),
            ({"quality": 0}, "all_weights_zero"),
            ({"quality": -1}, "invalid_weight"),
            ({"quality": math.inf}, "invalid_weight"),
            ({"quality": 1, "vibes": 2}, "unknown_factor"),
        ],
    )
    def test_invalid_weights(self, weights: dict[str, float], code: str) -> None:
        with pytest.raises(ScoringError) as err:
            score([A], weights)
        assert err.value.code == code

    def test_duplicate_keys_rejected(self) -> None:
        with pytest.raises(ScoringError) as err:
            score([A, A], WEIGHTS)
        assert err.value.code == "duplicate_candidate"

    def test_parameters_direction_is_configurable(self) -> None:
        small = cand("s", parameters=7e9)
        large = cand("l", parameters=70e9)
        assert score([small, large], {"parameters": 1}).winners[0].key == "s"
        larger = score([small, large], {"parameters": 1}, specs=specs_with(prefer_larger_models=True))
        assert larger.winners[0].key == "l"

    def test_default_specs_cover_every_factor(self) -> None:
        assert set(DEFAULT_SPECS) == set(FACTORS) and len(FACTORS) == 10

    def test_to_dict_is_json_and_deterministic(self) -> None:
        result = score([A, B, C], WEIGHTS)
        blob = json.dumps(result.to_dict(), sort_keys=True)
        again = json.dumps(score([C, A, B], WEIGHTS).to_dict(), sort_keys=True)
        assert blob == again
        data = json.loads(blob)
        assert data["candidates"][0]["key"] == "b"
        assert data["missing_rule"] == "worst"
        assert data["sensitivity"]["status"] == "stable"


class TestSensitivity:
    def test_worked_example(self) -> None:
        s = score([A, B, C], WEIGHTS).sensitivity
        assert s.status is SensitivityStatus.STABLE and s.winner == "b"
        # N_A = 3·.5 + 1·1 = 2.5, N_B = 3 ; cost: δ = (3 − 2.5) / (1 − 0) = +0.5 → A ties at cost weight 1.5
        assert s.smallest is not None
        assert s.smallest.factor is Factor.COST
        assert s.smallest.direction == "increase"
        assert s.smallest.weight_from == 1.0
        assert s.smallest.weight_to == pytest.approx(1.5)
        assert s.smallest.challenger == "a"
        assert s.smallest.share_from == pytest.approx(0.25)
        assert s.smallest.share_to == pytest.approx(1.5 / 4.5)
        by = {(c.factor, c.direction): c for c in s.per_factor}
        # quality: δ = 0.5 / (0.5 − 1) = −1 → A ties at quality weight 2 (C would need −2.5)
        assert by[(Factor.QUALITY, "decrease")].weight_to == pytest.approx(2.0)
        assert by[(Factor.QUALITY, "decrease")].challenger == "a"
        # nobody beats B on quality, so no quality increase helps
        assert (Factor.QUALITY, "increase") not in by
        # factors everyone misses (score 0 for all) cannot change anything
        assert not any(c.factor is Factor.SPEED for c in s.per_factor)

    def test_threshold_really_ties_and_beyond_it_the_winner_changes(self) -> None:
        s = score([A, B, C], WEIGHTS).sensitivity
        assert s.smallest is not None
        at = score([A, B, C], {"quality": 3, "cost": s.smallest.weight_to})
        assert at.candidate("a").total == pytest.approx(at.candidate("b").total)
        beyond = score([A, B, C], {"quality": 3, "cost": s.smallest.weight_to + 0.01})
        assert beyond.winners[0].key == "a"
        below = score([A, B, C], {"quality": 3, "cost": s.smallest.weight_to - 0.01})
        assert below.winners[0].key == "b"

    def test_zero_weight_factor_can_be_raised(self) -> None:
        # A, B only: quality A 0, B 1 ; cost A 1, B 0. N_B = 3, N_A = 0 → δ = (3 − 0) / (1 − 0) = 3
        s = score([A, B], {"quality": 3}).sensitivity
        by = {(c.factor, c.direction): c for c in s.per_factor}
        assert by[(Factor.COST, "increase")].weight_from == 0.0
        assert by[(Factor.COST, "increase")].weight_to == pytest.approx(3.0)

    def test_decrease_that_would_need_a_negative_weight_is_not_offered(self) -> None:
        # A, B only: quality A 0, B 1 ; cost A 1, B 0. Weights quality 1, cost 0.5: N_B = 1, N_A = 0.5,
        # a quality decrease needs δ = 0.5 / (0 − 1) = −0.5 → quality weight 0.5: feasible
        s = score([A, B], {"quality": 1, "cost": 0.5}).sensitivity
        by = {(c.factor, c.direction): c for c in s.per_factor}
        assert by[(Factor.QUALITY, "decrease")].weight_to == pytest.approx(0.5)
        # quality alone: δ = 1 / (0 − 1) = −1 → every weight at zero: not a valid profile, not offered
        s0 = score([A, B], {"quality": 1}).sensitivity
        assert not any(c.factor is Factor.QUALITY and c.direction == "decrease" for c in s0.per_factor)

    def test_single_candidate(self) -> None:
        s = score([A], WEIGHTS).sensitivity
        assert s.status is SensitivityStatus.SINGLE and s.winner == "a" and s.smallest is None

    def test_dominating_winner_is_unbreakable(self) -> None:
        best = cand("best", quality=100, cost=1)
        worse = cand("worse", quality=50, cost=10)
        s = score([best, worse], {"quality": 1, "cost": 1}).sensitivity
        assert s.status is SensitivityStatus.UNBREAKABLE and s.smallest is None and s.winner == "best"

    def test_challenger_order_is_deterministic_on_equal_thresholds(self) -> None:
        a1 = cand("a1", quality=80, cost=100)
        a2 = cand("a2", quality=80, cost=100)
        s = score([a2, B, a1], WEIGHTS).sensitivity
        assert s.smallest is not None and s.smallest.challenger == "a1"
