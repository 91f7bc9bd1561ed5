"""Hard constraints and policy checks (pure: no database)."""

from __future__ import annotations

import pytest

from apps.scorecards.checks import (
    DEFAULT_POLICY,
    CheckSubject,
    Classification,
    CommercialUse,
    HostingOption,
    ModelKind,
    PolicyVerdict,
    Requirements,
    evaluate_checks,
)
from apps.scorecards.scoring import CheckStatus

API = CheckSubject(kind=ModelKind.PROPRIETARY, hosting=HostingOption.VENDOR_API)
SELF = CheckSubject(kind=ModelKind.OPEN_WEIGHTS, hosting=HostingOption.SELF_HOSTED)


def check(req: Requirements, subject: CheckSubject, code: str, policy=None):  # type: ignore[no-untyped-def]
    return {c.code: c for c in evaluate_checks(req, subject, policy)}[code]


def with_(subject: CheckSubject, **kw: object) -> CheckSubject:
    from dataclasses import replace

    return replace(subject, **kw)  # type: ignore[arg-type]


def test_nothing_required_is_not_applicable_except_data_policy() -> None:
    checks = evaluate_checks(Requirements(), SELF)
    assert [c.code for c in checks] == [
        "context_window",
        "commercial_use",
        "data_policy",
        "data_residency",
        "latency",
        "budget",
        "fine_tuning",
    ]
    assert {c.code: c.status for c in checks if c.status is not CheckStatus.NOT_APPLICABLE} == {
        "data_policy": CheckStatus.PASS
    }


@pytest.mark.parametrize(
    ("actual", "status", "reason"),
    [
        (8_000, CheckStatus.FAIL, "context_too_small"),
        (32_000, CheckStatus.PASS, "context_ok"),
        (200_000, CheckStatus.PASS, "context_ok"),
        (None, CheckStatus.WARN, "context_unknown"),
    ],
)
def test_context_window(actual, status, reason) -> None:  # type: ignore[no-untyped-def]
    c = check(Requirements(min_context_window=32_000), with_(API, context_window=actual), "context_window")
    assert (c.status, c.reason) == (status, reason)
    assert c.params == {"required": 32_000, "actual": actual}


@pytest.mark.parametrize(
    ("verdict", "status"),
    [
        (CommercialUse.ALLOWED, CheckStatus.PASS),
        (CommercialUse.CONDITIONAL, CheckStatus.WARN),
        (CommercialUse.UNKNOWN, CheckStatus.WARN),
        (None, CheckStatus.WARN),
        (CommercialUse.NOT_ALLOWED, CheckStatus.FAIL),
    ],
)
def test_commercial_use(verdict, status) -> None:  # type: ignore[no-untyped-def]
    c = check(Requirements(commercial_use=True), with_(SELF, commercial_use=verdict), "commercial_use")
    assert c.status is status
    assert (
        check(Requirements(), with_(SELF, commercial_use=verdict), "commercial_use").status
        is CheckStatus.NOT_APPLICABLE
    )


@pytest.mark.parametrize(
    ("classification", "hosting", "dpa", "status", "reason"),
    [
        (Classification.PUBLIC, HostingOption.VENDOR_API, False, CheckStatus.PASS, "policy_allows"),
        (Classification.CONFIDENTIAL, HostingOption.VENDOR_API, False, CheckStatus.FAIL, "policy_needs_dpa"),
        (Classification.CONFIDENTIAL, HostingOption.VENDOR_API, True, CheckStatus.PASS, "policy_dpa_in_place"),
        (Classification.RESTRICTED, HostingOption.VENDOR_API, True, CheckStatus.FAIL, "policy_forbids"),
        (Classification.RESTRICTED, HostingOption.SELF_HOSTED, False, CheckStatus.PASS, "policy_allows"),
        (Classification.RESTRICTED, HostingOption.CLOUD_MARKETPLACE, False, CheckStatus.FAIL, "policy_needs_dpa"),
    ],
)
def test_data_policy_defaults(classification, hosting, dpa, status, reason) -> None:  # type: ignore[no-untyped-def]
    subject = CheckSubject(kind=ModelKind.PROPRIETARY, hosting=hosting, dpa_in_place=dpa)
    c = check(Requirements(data_classification=classification), subject, "data_policy")
    assert (c.status, c.reason) == (status, reason)
    assert c.params["classification"] == classification.value


def test_data_policy_uses_the_organization_table() -> None:
    policy = dict(DEFAULT_POLICY)
    policy[(Classification.INTERNAL, HostingOption.VENDOR_API)] = PolicyVerdict.FORBIDDEN
    req = Requirements(data_classification=Classification.INTERNAL)
    assert check(req, API, "data_policy", policy).status is CheckStatus.FAIL
    assert check(req, API, "data_policy").status is CheckStatus.PASS


def test_data_policy_missing_cell_is_forbidden() -> None:
    req = Requirements(data_classification=Classification.PUBLIC)
    assert check(req, API, "data_policy", {}).status is CheckStatus.FAIL


def test_unknown_classification_warns_unless_data_stays() -> None:
    assert check(Requirements(), API, "data_policy").status is CheckStatus.WARN
    assert check(Requirements(), SELF, "data_policy").reason == "data_stays"


@pytest.mark.parametrize(
    ("location", "status"),
    [("DE", CheckStatus.PASS), ("de", CheckStatus.PASS), ("US", CheckStatus.FAIL), (None, CheckStatus.WARN)],
)
def test_data_residency(location, status) -> None:  # type: ignore[no-untyped-def]
    req = Requirements(residency=frozenset({"DE", "FR"}), residency_label="EU")
    c = check(req, with_(API, hosting_location=location), "data_residency")
    assert c.status is status and c.params["required"] == "EU"


@pytest.mark.parametrize(
    ("actual", "status"),
    [(800, CheckStatus.PASS), (1000, CheckStatus.PASS), (1200, CheckStatus.FAIL), (None, CheckStatus.WARN)],
)
def test_latency(actual, status) -> None:  # type: ignore[no-untyped-def]
    assert check(Requirements(max_latency_ms=1000), with_(API, latency_ms=actual), "latency").status is status


def test_real_time_without_latency_data_warns() -> None:
    c = check(Requirements(real_time=True), API, "latency")
    assert c.status is CheckStatus.WARN and c.reason == "realtime_latency_unknown"
    assert (
        check(Requirements(real_time=True), with_(API, latency_ms=300), "latency").status is CheckStatus.NOT_APPLICABLE
    )


@pytest.mark.parametrize(
    ("cost", "status"),
    [(999.99, CheckStatus.PASS), (1000, CheckStatus.PASS), (1000.01, CheckStatus.FAIL), (None, CheckStatus.WARN)],
)
def test_budget(cost, status) -> None:  # type: ignore[no-untyped-def]
    assert check(Requirements(monthly_budget=1000), with_(API, monthly_cost=cost), "budget").status is status


def test_budget_zero_is_a_requirement() -> None:
    assert check(Requirements(monthly_budget=0), with_(API, monthly_cost=0.01), "budget").status is CheckStatus.FAIL


@pytest.mark.parametrize(
    ("level", "status"), [(0, CheckStatus.FAIL), (1, CheckStatus.PASS), (2, CheckStatus.PASS), (None, CheckStatus.WARN)]
)
def test_fine_tuning(level, status) -> None:  # type: ignore[no-untyped-def]
    assert check(Requirements(needs_fine_tuning=True), with_(SELF, fine_tuning=level), "fine_tuning").status is status


def test_on_premises_residency() -> None:
    req = Requirements(residency_on_premises=True)
    assert check(req, SELF, "data_residency").status is CheckStatus.PASS
    c = check(req, API, "data_residency")
    assert (c.status, c.reason) == (CheckStatus.FAIL, "on_premises_required")


def test_manual_residency_warns_with_the_text() -> None:
    c = check(Requirements(residency_manual="Kazakhstan only"), SELF, "data_residency")
    assert (c.status, c.params["required"]) == (CheckStatus.WARN, "Kazakhstan only")


def test_unconvertible_budget_warns() -> None:
    c = check(Requirements(budget_unconverted_currency="EUR"), with_(API, monthly_cost=5.0), "budget")
    assert (c.status, c.reason, c.params) == (CheckStatus.WARN, "budget_currency", {"currency": "EUR"})
