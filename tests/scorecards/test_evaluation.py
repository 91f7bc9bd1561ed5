"""Facts → cost, carbon, checks, scores (pure: no database), and the proprietary vs open summary."""

from __future__ import annotations

import json

import pytest

from apps.scorecards.checks import Classification, CommercialUse, HostingOption, ModelKind, Requirements
from apps.scorecards.comparison import Aspect, Tone, build_summary
from apps.scorecards.costing import HostingEstimate, Workload, grid_intensity
from apps.scorecards.evaluation import CandidateFacts, evaluate
from apps.scorecards.scoring import DEFAULT_WEIGHTS, CheckStatus, Factor, RawValue, Source


def rv(value: float, source: Source = Source.CATALOG) -> RawValue:
    return RawValue(value, source)


VENDOR_A = CandidateFacts(
    key="vendor-a",
    label="Vendor A Large",
    kind=ModelKind.PROPRIETARY,
    hosting=HostingOption.VENDOR_API,
    provider="Vendor A",
    hosting_location="DE",
    hosting_zone="DEU",
    dpa_in_place=True,
    latency_ms=rv(700, Source.OWN),
    quality=rv(88, Source.OWN),
    transparency=rv(0),
    context_window=rv(128_000),
    fine_tuning=rv(1),
    commercial_use=CommercialUse.ALLOWED,
    input_price=rv(2.5),
    output_price=rv(10.0),
    energy_per_million_output_tokens=rv(4.0),
)
VENDOR_B = CandidateFacts(
    key="vendor-b",
    label="Vendor B Pro",
    kind=ModelKind.PROPRIETARY,
    hosting=HostingOption.VENDOR_API,
    provider="Vendor B",
    hosting_location="IE",
    dpa_in_place=False,  # confidential data needs a DPA → excluded by policy
    quality=rv(90),
    context_window=rv(200_000),
    commercial_use=CommercialUse.ALLOWED,
    input_price=rv(3.0),
    output_price=rv(15.0),
)
LLAMA = CandidateFacts(
    key="llama",
    label="Open Llama 70B",
    kind=ModelKind.OPEN_WEIGHTS,
    hosting=HostingOption.SELF_HOSTED,
    hosting_location="DE",
    hosting_zone="DEU",
    latency_ms=rv(900, Source.OWN),
    quality=rv(84, Source.OWN),
    transparency=rv(1),
    context_window=rv(128_000),
    fine_tuning=rv(2),
    commercial_use=CommercialUse.CONDITIONAL,
    parameters=rv(70e9),
    popularity=rv(5_000_000),
    hosting_estimate=HostingEstimate(4.0, 400, power_kw=1.4, pue=1.3),
)
MISTRAL = CandidateFacts(
    key="mistral",
    label="Open Mistral 7B",
    kind=ModelKind.OPEN_WEIGHTS,
    hosting=HostingOption.SELF_HOSTED,
    hosting_location="FR",
    hosting_zone="FRA",
    latency_ms=rv(300),
    quality=rv(70),
    transparency=rv(1),
    context_window=rv(32_000),
    fine_tuning=rv(2),
    commercial_use=CommercialUse.ALLOWED,
    parameters=rv(7e9),
    popularity=rv(2_000_000),
    hosting_estimate=HostingEstimate(1.0, 800),
    energy_per_million_output_tokens=rv(0.3),
)
RESEARCH = CandidateFacts(
    key="research",
    label="Research Model",
    kind=ModelKind.OPEN_WEIGHTS,
    hosting=HostingOption.SELF_HOSTED,
    hosting_location="DE",
    quality=rv(86),
    context_window=rv(64_000),
    fine_tuning=rv(2),
    commercial_use=CommercialUse.NOT_ALLOWED,
    hosting_estimate=HostingEstimate(2.0, 400),
)
CANDIDATES = [VENDOR_A, VENDOR_B, LLAMA, MISTRAL, RESEARCH]
REQ = Requirements(
    min_context_window=16_000,
    max_latency_ms=1500,
    monthly_budget=5_000,
    commercial_use=True,
    residency=frozenset({"DE", "FR", "IE"}),
    residency_label="EU",
    data_classification=Classification.CONFIDENTIAL,
)
WORK = Workload(200_000, 1_500, 400)  # 300 M in, 80 M out


@pytest.fixture(scope="module")
def ev():  # type: ignore[no-untyped-def]
    return evaluate(requirements=REQ, workload=WORK, candidates=CANDIDATES, weights=DEFAULT_WEIGHTS)


def test_costs_per_basis(ev) -> None:  # type: ignore[no-untyped-def]
    # vendor A: 300 M × 2.5 + 80 M × 10 = 750 + 800 = $1 550
    assert ev.candidate("vendor-a").cost.monthly_cost == pytest.approx(1550.0)
    # llama: 80 M / (730 × 3600) = 30.4 tok/s → 1 instance × $4 × 730 = $2 920
    assert ev.candidate("llama").cost.monthly_cost == pytest.approx(2920.0)
    assert ev.candidate("llama").cost.instances == 1


def test_carbon_per_basis(ev) -> None:  # type: ignore[no-untyped-def]
    # vendor A: 80 M × 4 kWh/M = 320 kWh × DEU mix
    assert ev.candidate("vendor-a").carbon.kg_co2e == pytest.approx(320 * grid_intensity("DEU").kg_co2e_per_kwh)
    # llama: 1 × 1.4 kW × 730 h × 1.3 = 1 328.6 kWh
    assert ev.candidate("llama").carbon.energy_kwh == pytest.approx(1328.6)
    # vendor B has no energy figure: missing, not zero
    assert ev.candidate("vendor-b").carbon.kg_co2e is None
    assert ev.result.candidate("vendor-b").factor(Factor.CARBON).missing


def test_exclusions_with_reasons(ev) -> None:  # type: ignore[no-untyped-def]
    excluded = {c.key: [(k.code, k.reason) for k in c.failed_checks] for c in ev.result.excluded}
    assert excluded == {
        "research": [("commercial_use", "licence_forbids_commercial")],
        "vendor-b": [("data_policy", "policy_needs_dpa")],
    }
    llama = ev.result.candidate("llama")
    assert [(w.code, w.status) for w in llama.warnings] == [("commercial_use", CheckStatus.WARN)]


def test_ranking_covers_the_eligible_mix(ev) -> None:  # type: ignore[no-untyped-def]
    ranked = ev.result.ranked
    assert {c.key for c in ranked} == {"vendor-a", "llama", "mistral"}
    assert [c.rank for c in ranked] == [1, 2, 3]
    assert ranked[0].total >= ranked[1].total >= ranked[2].total
    assert {c.kind for c in ranked} == {"proprietary_api", "open_weights"}


def test_sources_are_shown(ev) -> None:  # type: ignore[no-untyped-def]
    a = ev.result.candidate("vendor-a")
    assert a.factor(Factor.QUALITY).source is Source.OWN
    assert a.factor(Factor.CONTEXT_WINDOW).source is Source.CATALOG
    assert a.factor(Factor.COST).source is Source.COMPUTED
    assert a.factor(Factor.PARAMETERS).source is Source.MISSING


def test_licence_factor_values(ev) -> None:  # type: ignore[no-untyped-def]
    assert ev.result.candidate("llama").factor(Factor.LICENCE).raw == 0.5
    assert ev.result.candidate("mistral").factor(Factor.LICENCE).score == 1.0
    unknown = evaluate(
        requirements=Requirements(),
        workload=WORK,
        candidates=[CandidateFacts("u", "U", ModelKind.OPEN_WEIGHTS, HostingOption.SELF_HOSTED)],
        weights={"licence": 1},
    )
    assert unknown.result.candidate("u").factor(Factor.LICENCE).missing


def test_snapshot_data_is_json(ev) -> None:  # type: ignore[no-untyped-def]
    data = ev.to_dict()
    blob = json.dumps(data, sort_keys=True)
    assert json.loads(blob)["requirements"]["residency"] == ["DE", "FR", "IE"]
    assert data["policy"]["restricted:vendor_api"] == "forbidden"
    assert data["candidates"][0]["facts"]["kind"] == "proprietary_api"
    assert data["result"]["candidates"][0]["rank"] == 1
    again = evaluate(requirements=REQ, workload=WORK, candidates=CANDIDATES, weights=DEFAULT_WEIGHTS)
    assert json.dumps(again.to_dict(), sort_keys=True) == blob


class TestSummary:
    def test_rows_and_counts(self) -> None:
        summary = build_summary(CANDIDATES)
        assert summary.proprietary_count == 2 and summary.open_weights_count == 3
        assert [r.aspect for r in summary.rows] == list(Aspect)
        data = {r.aspect: r for r in summary.rows}[Aspect.DATA]
        assert data.proprietary.framing == "data.proprietary_api"
        assert [(f.key, f.tone, f.reason) for f in data.proprietary.facts] == [
            ("vendor-a", Tone.CAUTION, "data_vendor_dpa"),
            ("vendor-b", Tone.BAD, "data_vendor"),
        ]
        assert data.open_weights.counts["good"] == 3

    def test_commercial_and_customisation(self) -> None:
        rows = {r.aspect: r for r in build_summary(CANDIDATES).rows}
        tones = {f.key: f.tone for f in rows[Aspect.COMMERCIAL_USE].open_weights.facts}
        assert tones == {"llama": Tone.CAUTION, "mistral": Tone.GOOD, "research": Tone.BAD}
        custom = {f.key: f.reason for f in rows[Aspect.CUSTOMISATION].proprietary.facts}
        assert custom == {"vendor-a": "fine_tuning_vendor", "vendor-b": "fine_tuning_unknown"}

    def test_open_weights_through_a_vendor_api_sends_data_out(self) -> None:
        hosted = CandidateFacts("h", "Hosted open", ModelKind.OPEN_WEIGHTS, HostingOption.VENDOR_API)
        data = build_summary([hosted]).rows[0]
        assert data.open_weights.facts[0].reason == "data_vendor" and data.proprietary.facts == ()

    def test_support(self) -> None:
        rows = {r.aspect: r for r in build_summary(CANDIDATES).rows}
        assert {f.reason for f in rows[Aspect.SUPPORT].proprietary.facts} == {"support_vendor_assumed"}
        assert {f.reason for f in rows[Aspect.SUPPORT].open_weights.facts} == {"support_unknown"}


def test_snapshot_reevaluates_to_the_same_data(ev) -> None:  # type: ignore[no-untyped-def]
    from apps.scorecards.evaluation import reevaluate_snapshot

    data = json.loads(json.dumps(ev.to_dict()))  # as stored in a JSON column
    again = reevaluate_snapshot(data)
    assert json.dumps(again.to_dict(), sort_keys=True) == json.dumps(data, sort_keys=True)
    assert [c.key for c in again.result.ranked] == [c.key for c in ev.result.ranked]
