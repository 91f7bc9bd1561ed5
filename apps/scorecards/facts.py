"""Database rows → the engine's inputs. The only module that knows both the registry/use-case models and
the pure engine's dataclasses; everything it decides is documented in docs/scoring.md §1 and §4–6."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import pycountry

from apps.registry.selectors import SOURCE_OWN, registered_model_factor_map
from apps.scorecards.checks import Classification, CommercialUse, HostingOption, ModelKind, Requirements
from apps.scorecards.costing import HOURS_PER_MONTH, HostingEstimate, Workload
from apps.scorecards.evaluation import CandidateFacts
from apps.scorecards.regions import electricity_zone, residency_countries
from apps.scorecards.scoring import RawValue, Source

if TYPE_CHECKING:
    from apps.scorecards.models import Scorecard, ScorecardCandidate
    from apps.usecases.models import UseCase

BASE_CURRENCY = "USD"
MISSING = RawValue(None, Source.MISSING)


def _num(value: Any) -> float | None:
    if value is None or value == "":
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _detail(factor: Any) -> str:
    parts = [p for p in (factor.source, factor.as_of[:10] if factor.as_of else "", factor.detail) if p]
    return ", ".join(parts)


def _raw(fmap: Mapping[str, Any], key: str, convert: Any = _num) -> RawValue:
    factor = fmap.get(key)
    if factor is None or factor.value in (None, ""):
        return MISSING
    value = convert(factor.value)
    if value is None:
        return MISSING
    source = Source.OWN if factor.source_kind == SOURCE_OWN else Source.CATALOG
    return RawValue(value, source, _detail(factor))


def to_usd(amount: float | None, currency: str, rates: Mapping[str, str]) -> tuple[float | None, bool]:
    """(amount in USD, converted?) — ``(None, False)`` when a needed rate is missing."""
    if amount is None:
        return None, True
    code = (currency or BASE_CURRENCY).upper()
    if code == BASE_CURRENCY:
        return amount, True
    rate = rates.get(code)
    if rate is None:
        return None, False
    return amount / float(Decimal(rate)), True


def _price(fmap: Mapping[str, Any], key: str, currency: str, rates: Mapping[str, str]) -> RawValue:
    rv = _raw(fmap, key)
    if rv.is_missing:
        return rv
    usd, ok = to_usd(float(rv.value), currency, rates)  # type: ignore[arg-type]
    if not ok:
        return RawValue(None, Source.MISSING, f"{currency} price, no exchange rate")
    detail = rv.detail if currency.upper() in ("", BASE_CURRENCY) else f"{rv.detail}; {currency} → USD"
    return RawValue(usd, rv.source, detail)


def _fine_tuning_level(kind: ModelKind, fmap: Mapping[str, Any]) -> RawValue:
    factor = fmap.get("fine_tuning")
    if factor is None:
        return MISSING
    value = factor.value
    if value == "available":
        level = 2.0 if kind is ModelKind.OPEN_WEIGHTS else 1.0
    elif value == "not_available":
        level = 0.0
    else:
        return MISSING
    return RawValue(level, Source.OWN if factor.source_kind == SOURCE_OWN else Source.CATALOG, _detail(factor))


def _transparency(candidate: ScorecardCandidate, fmap: Mapping[str, Any]) -> RawValue:
    """Assessed on the candidate (the catalog only has free text about training data, shown as evidence)."""
    factor = fmap.get("training_data")
    evidence = str(getattr(factor, "value", "") or "")[:300]
    if candidate.transparency is not None:
        return RawValue(float(candidate.transparency), Source.SCORECARD, evidence)
    return RawValue(None, Source.MISSING, evidence)


def candidate_facts(candidate: ScorecardCandidate, rates: Mapping[str, str]) -> CandidateFacts:
    rm = candidate.registered_model
    fmap = registered_model_factor_map(rm)
    kind = ModelKind(rm.kind) if rm.kind in ModelKind.__members__.values() else ModelKind.PROPRIETARY
    currency_factor = fmap.get("currency")
    currency = str(getattr(currency_factor, "value", "") or BASE_CURRENCY)
    verdict_factor = fmap.get("commercial_use")
    verdict_value = str(getattr(verdict_factor, "value", "") or "")
    commercial = CommercialUse(verdict_value) if verdict_value in CommercialUse._value2member_map_ else None
    hosting_estimate = None
    if candidate.price_per_hour is not None:
        throughput = _num(candidate.throughput_tps)
        if throughput is None:
            throughput = _num(getattr(fmap.get("throughput_tps"), "value", None))
        hosting_estimate = HostingEstimate(
            price_per_hour=float(candidate.price_per_hour),
            throughput_tokens_per_second=throughput,
            hours_per_month=float(candidate.hours_per_month or HOURS_PER_MONTH),
            peak_factor=float(candidate.peak_factor or 1),
            min_instances=int(candidate.min_instances),
            power_kw=_num(candidate.power_kw),
            pue=float(candidate.pue or 1),
        )
    return CandidateFacts(
        key=str(candidate.pk),
        label=rm.name,
        kind=kind,
        hosting=HostingOption(rm.hosting),
        provider=rm.provider or (rm.catalog_entry.provider_name if rm.catalog_entry else ""),
        hosting_location=candidate.hosting_country or None,
        hosting_zone=electricity_zone(candidate.hosting_country),
        dpa_in_place=candidate.dpa_in_place,
        vendor_support=candidate.support_contract,
        latency_ms=_raw(fmap, "latency_ms"),
        quality=_raw(fmap, "quality"),
        transparency=_transparency(candidate, fmap),
        context_window=_raw(fmap, "context_window"),
        fine_tuning=_fine_tuning_level(kind, fmap),
        commercial_use=commercial,
        commercial_use_source=(
            Source.OWN if getattr(verdict_factor, "source_kind", "") == SOURCE_OWN else Source.CATALOG
        ),
        input_price=_price(fmap, "price_input", currency, rates),
        output_price=_price(fmap, "price_output", currency, rates),
        energy_per_million_output_tokens=_raw(fmap, "energy_kwh"),
        parameters=_raw(fmap, "parameters_total"),
        popularity=_raw(fmap, "downloads"),
        hosting_estimate=hosting_estimate,
    )


def _country_from_note(note: str) -> frozenset[str] | None:
    text = (note or "").strip()
    if not text:
        return None
    try:
        country = pycountry.countries.lookup(text)
    except LookupError:
        return None
    return frozenset({country.alpha_2})


def use_case_requirements(use_case: UseCase, rates: Mapping[str, str]) -> Requirements:
    budget = _num(use_case.monthly_budget)
    budget_usd, ok = to_usd(budget, use_case.budget_currency or BASE_CURRENCY, rates)
    residency = use_case.data_residency
    allowed = residency_countries(residency)
    label = residency if allowed is not None else ""
    manual = ""
    if residency == "specific_country":
        allowed = _country_from_note(use_case.data_residency_note)
        label = use_case.data_residency_note.strip() if allowed is not None else ""
        manual = "" if allowed is not None else use_case.data_residency_note.strip()
    elif residency == "other":
        manual = use_case.data_residency_note.strip() or residency
    highest = use_case.highest_classification() or ""
    if use_case.data_assessments.filter(contains_confidential="yes").exists():
        # "contains confidential information that must stay inside the company" (design §1.1):
        # the strictest class for the policy check
        highest = Classification.RESTRICTED.value
    return Requirements(
        min_context_window=use_case.min_context_tokens,
        max_latency_ms=_num(use_case.max_latency_ms),
        real_time=use_case.realtime,
        monthly_budget=budget_usd if ok else None,
        budget_unconverted_currency="" if ok else (use_case.budget_currency or ""),
        commercial_use=use_case.commercial_use,
        residency=allowed,
        residency_label=label,
        residency_on_premises=residency == "on_premises",
        residency_manual=manual,
        needs_fine_tuning=use_case.fine_tuning_needed,
        data_classification=Classification(highest) if highest in Classification._value2member_map_ else None,
    )


def use_case_workload(use_case: UseCase) -> Workload:
    return Workload(
        monthly_requests=_num(use_case.monthly_requests),
        input_tokens_per_request=_num(use_case.input_tokens_per_request),
        output_tokens_per_request=_num(use_case.output_tokens_per_request),
    )


def scorecard_inputs(scorecard: Scorecard, candidates: list[ScorecardCandidate]) -> dict[str, Any]:
    rates = dict(scorecard.currency_rates or {})
    return {
        "requirements": use_case_requirements(scorecard.use_case, rates),
        "workload": use_case_workload(scorecard.use_case),
        "candidates": [candidate_facts(c, rates) for c in candidates],
    }
