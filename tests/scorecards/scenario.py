"""A complete scorecard in one organization, built through the real services (call inside org_scope):
a commercial, EU-resident use case touching confidential data and five candidates — two proprietary
(one with a DPA, one without → excluded by the data policy), three open-weights (one conditional
licence, one permissive, one non-commercial → excluded by the licence)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from apps.datasources.services import assessment_create, datasource_create
from apps.registry.models import RegisteredModel
from apps.scorecards.models import Scorecard, ScorecardCandidate
from apps.scorecards.services import candidate_add, scorecard_create
from apps.usecases.models import UseCase
from apps.usecases.services import usecase_create
from tests.scorecards.factories import CatalogEntryFactory, RegisteredModelFactory


@dataclass
class Scenario:
    use_case: UseCase
    scorecard: Scorecard
    models: dict[str, RegisteredModel]
    candidates: dict[str, ScorecardCandidate]


def build(organization: Any, members: dict[str, Any], *, prefix: str = "") -> Scenario:
    actor = members["contributor"]
    use_case = usecase_create(
        organization=organization,
        actor=actor,
        title=f"{prefix}Claims letter drafting",
        business_problem="Drafting replies to claim letters takes too long.",
        min_context_tokens=16_000,
        max_latency_ms=1500,
        monthly_requests=200_000,
        input_tokens_per_request=1_500,
        output_tokens_per_request=400,
        monthly_budget=Decimal("5000"),
        budget_currency="USD",
        commercial_use=True,
        data_residency="eu",
    )
    source = datasource_create(
        organization=organization,
        actor=actor,
        name=f"{prefix}Claim letters",
        origin="internal",
        classification="confidential",
    )
    assessment_create(organization=organization, actor=actor, use_case=use_case, data_source=source)
    e = CatalogEntryFactory
    entries = {
        "vendor_a": e(
            display_name="Vendor A Large",
            kind="proprietary_api",
            commercial_use="allowed",
            context_window=128_000,
            fine_tuning="available",
            price_input_per_mtok=Decimal("2.5"),
            price_output_per_mtok=Decimal("10"),
            energy_kwh_per_mtok=4.0,
        ),
        "vendor_b": e(
            display_name="Vendor B Pro",
            kind="proprietary_api",
            commercial_use="allowed",
            context_window=200_000,
            price_input_per_mtok=Decimal("3"),
            price_output_per_mtok=Decimal("15"),
        ),
        "llama": e(
            display_name="Open Llama 70B",
            kind="open_weights",
            licence_id="llama3.1",
            commercial_use="conditional",
            context_window=128_000,
            fine_tuning="available",
            parameters_total=70_000_000_000,
            downloads=5_000_000,
            price_input_per_mtok=None,
            price_output_per_mtok=None,
            training_data_summary="15T tokens of public web data.",
        ),
        "mistral": e(
            display_name="Open Mistral 7B",
            kind="open_weights",
            licence_id="apache-2.0",
            commercial_use="allowed",
            context_window=32_768,
            fine_tuning="available",
            parameters_total=7_000_000_000,
            downloads=2_000_000,
            price_input_per_mtok=None,
            price_output_per_mtok=None,
            energy_kwh_per_mtok=0.3,
        ),
        "research": e(
            display_name="Research Model",
            kind="open_weights",
            licence_id="cc-by-nc-4.0",
            commercial_use="not_allowed",
            context_window=64_000,
            fine_tuning="available",
            price_input_per_mtok=None,
            price_output_per_mtok=None,
        ),
    }
    r = RegisteredModelFactory
    models = {
        "vendor_a": r(
            organization=organization,
            catalog_entry=entries["vendor_a"],
            name=f"{prefix}Vendor A Large",
            kind="proprietary_api",
            hosting="vendor_api",
            measured_latency_ms=Decimal("700"),
            quality_score=Decimal("88"),
        ),
        "vendor_b": r(
            organization=organization,
            catalog_entry=entries["vendor_b"],
            name=f"{prefix}Vendor B Pro",
            kind="proprietary_api",
            hosting="vendor_api",
            quality_score=Decimal("90"),
        ),
        "llama": r(
            organization=organization,
            catalog_entry=entries["llama"],
            name=f"{prefix}Open Llama 70B",
            kind="open_weights",
            hosting="self_hosted",
            measured_latency_ms=Decimal("900"),
            measured_throughput_tps=Decimal("400"),
            quality_score=Decimal("84"),
        ),
        "mistral": r(
            organization=organization,
            catalog_entry=entries["mistral"],
            name=f"{prefix}Open Mistral 7B",
            kind="open_weights",
            hosting="self_hosted",
            measured_latency_ms=Decimal("300"),
            quality_score=Decimal("70"),
        ),
        "research": r(
            organization=organization,
            catalog_entry=entries["research"],
            name=f"{prefix}Research Model",
            kind="open_weights",
            hosting="self_hosted",
            quality_score=Decimal("86"),
        ),
    }
    scorecard = scorecard_create(
        organization=organization, actor=actor, use_case=use_case, title=f"{prefix}Claims drafting models"
    )
    extra: dict[str, dict[str, Any]] = {
        "vendor_a": {"hosting_country": "DE", "dpa_in_place": True, "transparency": 0},
        "vendor_b": {"hosting_country": "IE", "transparency": 0},
        "llama": {
            "hosting_country": "DE",
            "transparency": 1,
            "price_per_hour": Decimal("4"),
            "power_kw": Decimal("1.4"),
            "pue": Decimal("1.3"),
        },
        "mistral": {
            "hosting_country": "FR",
            "transparency": 1,
            "price_per_hour": Decimal("1"),
            "throughput_tps": Decimal("800"),
        },
        "research": {"hosting_country": "DE", "price_per_hour": Decimal("2"), "throughput_tps": Decimal("400")},
    }
    candidates = {
        key: candidate_add(
            organization=organization, actor=actor, scorecard=scorecard, registered_model=model, **extra[key]
        )
        for key, model in models.items()
    }
    return Scenario(use_case, scorecard, models, candidates)
