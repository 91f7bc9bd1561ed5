"""Hard constraints and policy checks, evaluated per candidate (pure; no Django, no database).

Each check answers PASS, WARN (shown, does not exclude), FAIL (a violated hard constraint: the
candidate stays visible but is excluded from the ranking) or N/A (the use case doesn't ask for it).
A check whose input is unknown WARNs — it never passes or fails silently. Reasons are message keys
with parameters; :mod:`apps.scorecards.display` turns them into translated sentences.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from apps.scorecards.scoring import Check, CheckStatus

__all__ = [
    "CHECK_CODES",
    "CLASSIFICATION_ORDER",
    "DEFAULT_POLICY",
    "CheckSubject",
    "Classification",
    "CommercialUse",
    "HostingOption",
    "ModelKind",
    "PolicyVerdict",
    "Requirements",
    "evaluate_checks",
]


class ModelKind(StrEnum):
    PROPRIETARY = "proprietary_api"  # a vendor's model, reached through an API
    OPEN_WEIGHTS = "open_weights"


class HostingOption(StrEnum):
    VENDOR_API = "vendor_api"
    CLOUD_MARKETPLACE = "cloud_marketplace"
    SELF_HOSTED = "self_hosted"


class Classification(StrEnum):
    PUBLIC = "public"
    INTERNAL = "internal"
    CONFIDENTIAL = "confidential"
    RESTRICTED = "restricted"


CLASSIFICATION_ORDER: tuple[Classification, ...] = tuple(Classification)


class CommercialUse(StrEnum):
    ALLOWED = "allowed"
    CONDITIONAL = "conditional"
    NOT_ALLOWED = "not_allowed"
    UNKNOWN = "unknown"


class PolicyVerdict(StrEnum):
    ALLOWED = "allowed"
    ALLOWED_WITH_DPA = "allowed_with_dpa"
    FORBIDDEN = "forbidden"


# Where data of each classification may go, per hosting option. Organization admins edit their copy.
DEFAULT_POLICY: Mapping[tuple[Classification, HostingOption], PolicyVerdict] = {
    (Classification.PUBLIC, HostingOption.VENDOR_API): PolicyVerdict.ALLOWED,
    (Classification.INTERNAL, HostingOption.VENDOR_API): PolicyVerdict.ALLOWED,
    (Classification.CONFIDENTIAL, HostingOption.VENDOR_API): PolicyVerdict.ALLOWED_WITH_DPA,
    (Classification.RESTRICTED, HostingOption.VENDOR_API): PolicyVerdict.FORBIDDEN,
    (Classification.PUBLIC, HostingOption.CLOUD_MARKETPLACE): PolicyVerdict.ALLOWED,
    (Classification.INTERNAL, HostingOption.CLOUD_MARKETPLACE): PolicyVerdict.ALLOWED,
    (Classification.CONFIDENTIAL, HostingOption.CLOUD_MARKETPLACE): PolicyVerdict.ALLOWED,
    (Classification.RESTRICTED, HostingOption.CLOUD_MARKETPLACE): PolicyVerdict.ALLOWED_WITH_DPA,
    (Classification.PUBLIC, HostingOption.SELF_HOSTED): PolicyVerdict.ALLOWED,
    (Classification.INTERNAL, HostingOption.SELF_HOSTED): PolicyVerdict.ALLOWED,
    (Classification.CONFIDENTIAL, HostingOption.SELF_HOSTED): PolicyVerdict.ALLOWED,
    (Classification.RESTRICTED, HostingOption.SELF_HOSTED): PolicyVerdict.ALLOWED,
}

CHECK_CODES: tuple[str, ...] = (
    "context_window",
    "commercial_use",
    "data_policy",
    "data_residency",
    "latency",
    "budget",
    "fine_tuning",
)


@dataclass(frozen=True, slots=True)
class Requirements:
    """What the use case asks for (None / False: not asked)."""

    min_context_window: int | None = None
    max_latency_ms: float | None = None
    real_time: bool = False
    monthly_budget: float | None = None  # in the costs' currency (USD)
    budget_unconverted_currency: str = ""  # a budget exists in this currency but cannot be converted
    commercial_use: bool = False
    # Allowed hosting locations (upper-case codes, already expanded from regions); None: no requirement.
    residency: frozenset[str] | None = None
    residency_label: str = ""
    residency_on_premises: bool = False  # the data must stay on-premises: only self-hosted models pass
    residency_manual: str = ""  # a constraint only a person can check (warned with this text)
    needs_fine_tuning: bool = False
    data_classification: Classification | None = None  # the highest among the use case's data sources


@dataclass(frozen=True, slots=True)
class CheckSubject:
    """What the checks need to know about one candidate (None: unknown)."""

    kind: ModelKind
    hosting: HostingOption
    hosting_location: str | None = None  # upper-case country code (same code list as residency)
    dpa_in_place: bool = False
    context_window: float | None = None
    latency_ms: float | None = None
    monthly_cost: float | None = None
    commercial_use: CommercialUse | None = None
    fine_tuning: int | None = None  # 0 none, 1 through the vendor's service, 2 full weights


def evaluate_checks(
    requirements: Requirements,
    subject: CheckSubject,
    policy: Mapping[tuple[Classification, HostingOption], PolicyVerdict] | None = None,
) -> tuple[Check, ...]:
    policy = DEFAULT_POLICY if policy is None else policy
    return (
        _context_window(requirements, subject),
        _commercial_use(requirements, subject),
        _data_policy(requirements, subject, policy),
        _data_residency(requirements, subject),
        _latency(requirements, subject),
        _budget(requirements, subject),
        _fine_tuning(requirements, subject),
    )


def _context_window(req: Requirements, s: CheckSubject) -> Check:
    code = "context_window"
    if not req.min_context_window:
        return Check(code, CheckStatus.NOT_APPLICABLE, "not_required")
    params = {"required": req.min_context_window, "actual": s.context_window}
    if s.context_window is None:
        return Check(code, CheckStatus.WARN, "context_unknown", params)
    if s.context_window < req.min_context_window:
        return Check(code, CheckStatus.FAIL, "context_too_small", params)
    return Check(code, CheckStatus.PASS, "context_ok", params)


def _commercial_use(req: Requirements, s: CheckSubject) -> Check:
    code = "commercial_use"
    if not req.commercial_use:
        return Check(code, CheckStatus.NOT_APPLICABLE, "not_required")
    verdict = s.commercial_use or CommercialUse.UNKNOWN
    params = {"verdict": verdict.value}
    if verdict is CommercialUse.NOT_ALLOWED:
        return Check(code, CheckStatus.FAIL, "licence_forbids_commercial", params)
    if verdict is CommercialUse.CONDITIONAL:
        return Check(code, CheckStatus.WARN, "licence_conditional", params)
    if verdict is CommercialUse.UNKNOWN:
        return Check(code, CheckStatus.WARN, "licence_unknown", params)
    return Check(code, CheckStatus.PASS, "licence_allows_commercial", params)


def _data_policy(
    req: Requirements, s: CheckSubject, policy: Mapping[tuple[Classification, HostingOption], PolicyVerdict]
) -> Check:
    code = "data_policy"
    params: dict[str, object] = {"hosting": s.hosting.value}
    if req.data_classification is None:
        if s.hosting is HostingOption.SELF_HOSTED:
            return Check(code, CheckStatus.PASS, "data_stays", params)
        return Check(code, CheckStatus.WARN, "classification_unknown", params)
    params["classification"] = req.data_classification.value
    verdict = policy.get((req.data_classification, s.hosting), PolicyVerdict.FORBIDDEN)
    params["verdict"] = verdict.value
    if verdict is PolicyVerdict.FORBIDDEN:
        return Check(code, CheckStatus.FAIL, "policy_forbids", params)
    if verdict is PolicyVerdict.ALLOWED_WITH_DPA:
        if s.dpa_in_place:
            return Check(code, CheckStatus.PASS, "policy_dpa_in_place", params)
        return Check(code, CheckStatus.FAIL, "policy_needs_dpa", params)
    return Check(code, CheckStatus.PASS, "policy_allows", params)


def _data_residency(req: Requirements, s: CheckSubject) -> Check:
    code = "data_residency"
    if req.residency_on_premises:
        if s.hosting is HostingOption.SELF_HOSTED:
            return Check(code, CheckStatus.PASS, "on_premises_ok", {"hosting": s.hosting.value})
        return Check(code, CheckStatus.FAIL, "on_premises_required", {"hosting": s.hosting.value})
    if req.residency_manual:
        return Check(code, CheckStatus.WARN, "residency_manual", {"required": req.residency_manual})
    if req.residency is None:
        return Check(code, CheckStatus.NOT_APPLICABLE, "not_required")
    params = {"required": req.residency_label or ", ".join(sorted(req.residency)), "actual": s.hosting_location}
    if not s.hosting_location:
        return Check(code, CheckStatus.WARN, "location_unknown", params)
    if s.hosting_location.upper() not in req.residency:
        return Check(code, CheckStatus.FAIL, "residency_not_met", params)
    return Check(code, CheckStatus.PASS, "residency_met", params)


def _latency(req: Requirements, s: CheckSubject) -> Check:
    code = "latency"
    if not req.max_latency_ms:
        if req.real_time and s.latency_ms is None:
            return Check(code, CheckStatus.WARN, "realtime_latency_unknown", {"actual": None})
        return Check(code, CheckStatus.NOT_APPLICABLE, "not_required")
    params = {"required": req.max_latency_ms, "actual": s.latency_ms}
    if s.latency_ms is None:
        return Check(code, CheckStatus.WARN, "latency_unknown", params)
    if s.latency_ms > req.max_latency_ms:
        return Check(code, CheckStatus.FAIL, "latency_too_high", params)
    return Check(code, CheckStatus.PASS, "latency_ok", params)


def _budget(req: Requirements, s: CheckSubject) -> Check:
    code = "budget"
    if req.monthly_budget is None:
        if req.budget_unconverted_currency:
            return Check(code, CheckStatus.WARN, "budget_currency", {"currency": req.budget_unconverted_currency})
        return Check(code, CheckStatus.NOT_APPLICABLE, "not_required")
    params = {"required": req.monthly_budget, "actual": s.monthly_cost}
    if s.monthly_cost is None:
        return Check(code, CheckStatus.WARN, "cost_unknown", params)
    if s.monthly_cost > req.monthly_budget:
        return Check(code, CheckStatus.FAIL, "over_budget", params)
    return Check(code, CheckStatus.PASS, "within_budget", params)


def _fine_tuning(req: Requirements, s: CheckSubject) -> Check:
    code = "fine_tuning"
    if not req.needs_fine_tuning:
        return Check(code, CheckStatus.NOT_APPLICABLE, "not_required")
    params = {"actual": s.fine_tuning}
    if s.fine_tuning is None:
        return Check(code, CheckStatus.WARN, "fine_tuning_unknown", params)
    if s.fine_tuning <= 0:
        return Check(code, CheckStatus.FAIL, "fine_tuning_impossible", params)
    return Check(code, CheckStatus.PASS, "fine_tuning_possible", params)
